package io.github.ajsessions.internal.bootstrap;

import io.github.ajsessions.internal.errors.OwnWriteTransactionException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * A fair, first-come first-served turnstile in front of {@code BEGIN IMMEDIATE}: one per database file in
 * this JVM, shared by every data source on that file. A connection passes it before asking SQLite for the
 * write lock and leaves it when its write transaction ends, so this JVM's writers queue in arrival order
 * and only one of them at a time waits in SQLite's busy handler (against other processes, such as aj).
 *
 * <p>Why: SQLite's busy handler is not a queue. A waiting connection sleeps and retries (with growing
 * sleeps of up to 100 ms), so while one thread commits, another that arrived later can take the lock first,
 * and under steady load one thread can lose every retry until its busy timeout ends (seen with four
 * threads of one Spring application appending turns: 2 of 400 calls failed after 5 s). A permit is not
 * owned by a thread, so a transaction may end on another thread than the one that began it.
 *
 * <p>A thread that asks again while the permit is its own — a write call that begins its own transaction
 * inside a {@code @Transactional} method or a JPA transaction on the same file — is refused at once: it
 * would wait for a transaction that cannot end while it waits, and fail after the busy timeout as if another
 * process held the file.
 */
final class WriteGate {

    private static final ConcurrentMap<Path, WriteGate> GATES = new ConcurrentHashMap<>();

    private final Semaphore turnstile = new Semaphore(1, true);
    private final Path file;
    /** The thread that entered last, while the permit is taken; null when it is free. */
    private volatile Thread holder;

    private WriteGate(Path file) {
        this.file = file;
    }

    /** @return the gate of {@code file} (absolute, normalised), shared in this JVM */
    static WriteGate of(Path file) {
        return GATES.computeIfAbsent(file.toAbsolutePath().normalize(), WriteGate::new);
    }

    /**
     * Waits for this JVM's earlier writers on the file, at most {@code timeoutMillis}.
     *
     * @throws SQLiteException SQLITE_BUSY when the wait timed out (as SQLite's own busy timeout would),
     *                         or when the thread was interrupted (its interrupt status kept);
     *                         {@link OwnWriteTransactionException} at once when this thread holds the permit
     */
    void enter(int timeoutMillis) throws SQLiteException {
        if (holder == Thread.currentThread()) {
            throw new OwnWriteTransactionException(file);
        }
        try {
            if (turnstile.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS)) {
                holder = Thread.currentThread();
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLiteException("[SQLITE_BUSY] interrupted while waiting for this JVM's other writers on "
                    + file, SQLiteErrorCode.SQLITE_BUSY);
        }
        throw new SQLiteException("[SQLITE_BUSY] another write transaction of this JVM held " + file
                + " for longer than the busy timeout (" + timeoutMillis + " ms)", SQLiteErrorCode.SQLITE_BUSY);
    }

    /** Lets the next writer of this JVM in; called once per successful {@link #enter}. */
    void leave() {
        holder = null;
        turnstile.release();
    }
}
