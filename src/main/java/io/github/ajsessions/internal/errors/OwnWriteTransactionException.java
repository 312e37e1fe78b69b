package io.github.ajsessions.internal.errors;

import java.nio.file.Path;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * SQLITE_BUSY that no wait can end: the thread asking for the write lock of a file already holds it, in a
 * write transaction of its own on another connection (a {@code @Transactional} method, a JPA transaction)
 * that cannot end while the thread waits. Raised at once rather than after the busy timeout;
 * {@link SqliteErrors} turns it into a {@code DatabaseLockedException} that says so.
 */
public final class OwnWriteTransactionException extends SQLiteException {

    private static final long serialVersionUID = 1L;

    /** @param file the database whose write lock the thread holds */
    public OwnWriteTransactionException(Path file) {
        super("[SQLITE_BUSY] this thread already holds the write lock of " + file
                + " in another transaction", SQLiteErrorCode.SQLITE_BUSY);
    }
}
