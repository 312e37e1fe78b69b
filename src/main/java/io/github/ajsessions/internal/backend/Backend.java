package io.github.ajsessions.internal.backend;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

/**
 * What the shared path (the session API, JPA access) needs from the database behind a store, and
 * nothing else: how a write transaction begins, how a failure becomes the module's exception, and
 * the journal mode {@code info()} reports. SQLite's PRAGMAs, {@code BEGIN
 * IMMEDIATE} and {@code sqlite_sequence} stay in {@link SqliteBackend}; PostgreSQL's connection and
 * locking in {@code internal.postgres}. The statements on aj's tables ({@code internal.tables}) are
 * written in SQL both accept.
 */
public interface Backend {

    /** An open write transaction of one call. */
    interface WriteTx extends AutoCloseable {
        /** Commits and returns the connection to auto-commit. */
        void commit() throws SQLException;

        /** Rolls back unless committed, and returns the connection to auto-commit. */
        @Override
        void close() throws SQLException;
    }

    /** @return {@code true} for a PostgreSQL server, {@code false} for aj's SQLite file */
    boolean isPostgres();

    /**
     * Begins the write transaction of one session-API call: one writer at a time per database, so that
     * a check-then-insert (find-or-create) cannot race.
     */
    WriteTx beginWrite(Connection connection) throws SQLException;

    /** @return the module's exception for {@code failure}, naming {@code where} */
    RuntimeException translate(Throwable failure, Path where, Duration busyTimeout, String whatFailed);

    /** @return the journal mode now (SQLite), or a fixed description of the server's */
    String journalMode(DataSource dataSource) throws SQLException;

    /**
     * Moves the id counters of {@code tables} past the highest id now in each, after rows were inserted
     * with ids of their own (an import that keeps aj's ids), in the caller's write transaction: the next
     * insert without an id then takes an id above them. Never moves a counter back.
     */
    void followKeptIds(Connection connection, List<String> tables) throws SQLException;
}
