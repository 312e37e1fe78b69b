package io.github.ajsessions.core;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Another process (aj, sqlite3, a second JVM) held the lock longer than the busy timeout
 * (SQLITE_BUSY / SQLITE_LOCKED). Nothing of the failed call was written.
 * The CLI exits with code 4 (locked).
 */
public final class DatabaseLockedException extends AjSessionsException {
    private final Duration busyTimeout;

    /** @param busyTimeout how long this module waited for the lock */
    public DatabaseLockedException(Path database, Duration busyTimeout, Throwable cause) {
        super(database, "database " + database + " is locked by another process (waited the busy timeout of "
                + busyTimeout.toMillis() + " ms); retry when the other writer is done, or raise busyTimeout", cause);
        this.busyTimeout = busyTimeout;
    }

    /** @return the busy timeout that was exhausted */
    public Duration busyTimeout() {
        return busyTimeout;
    }
}
