package io.github.ajsessions.core;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Another process (aj, sqlite3, a second JVM) held the lock longer than the busy timeout
 * (SQLITE_BUSY / SQLITE_LOCKED), or, on PostgreSQL, the server gave up on a lock or ended the transaction to
 * resolve a conflict with a concurrent one (lock or statement timeout, serialization failure, deadlock). Nothing
 * of the failed call was written; retrying it is safe. The CLI exits with code 4 (locked).
 */
public final class DatabaseLockedException extends AjSessionsException {
    private final Duration busyTimeout;

    /** @param busyTimeout how long this module waited for the lock */
    public DatabaseLockedException(Path database, Duration busyTimeout, Throwable cause) {
        super(database, "database " + database + " is locked by another process (waited the busy timeout of "
                + busyTimeout.toMillis() + " ms); retry when the other writer is done, or raise busyTimeout", cause);
        this.busyTimeout = busyTimeout;
    }

    /**
     * @param busyTimeout this module's busy timeout
     * @param message     what happened, naming the database and saying what to do
     */
    public DatabaseLockedException(Path database, Duration busyTimeout, String message, Throwable cause) {
        super(database, message, cause);
        this.busyTimeout = busyTimeout;
    }

    /** @return this module's busy timeout: on SQLite, the wait that was exhausted */
    public Duration busyTimeout() {
        return busyTimeout;
    }
}
