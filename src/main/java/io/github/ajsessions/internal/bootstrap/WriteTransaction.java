package io.github.ajsessions.internal.bootstrap;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One write transaction on a connection of the store: {@code BEGIN IMMEDIATE} when it is created,
 * {@code COMMIT} on {@link #commit()}, {@code ROLLBACK} on {@link #close()} when not committed. For
 * try-with-resources:
 *
 * <pre>{@code
 * try (Connection c = pool.getConnection(); WriteTransaction tx = WriteTransaction.immediate(c)) {
 *     ... statements on c ...
 *     tx.commit();
 * }
 * }</pre>
 *
 * <p>{@code IMMEDIATE} takes SQLite's write lock at the {@code BEGIN}, waiting up to the busy timeout
 * for it, so two writers never deadlock on a lock upgrade (a {@code DEFERRED} transaction that has read
 * cannot get the write lock while another holds it, and fails at once with SQLITE_BUSY).
 *
 * <p>The connection is the pool's (HikariCP's) or an {@link ExplicitTransactionConnection} itself; the
 * transaction is begun on the latter, then {@code setAutoCommit(false)} is called on the connection
 * given, so that the pool knows a transaction is open (it rolls back and resets by that state when the
 * connection is returned) while no second {@code BEGIN} runs. Not thread-safe.
 */
public final class WriteTransaction implements AutoCloseable {

    private final Connection connection;
    private boolean ended;

    private WriteTransaction(Connection connection) {
        this.connection = connection;
    }

    /**
     * Begins a write transaction with {@code BEGIN IMMEDIATE}.
     *
     * @param connection a connection of an {@link ExplicitTransactionDataSource} (directly or through a pool),
     *                   in auto-commit mode
     * @return the open transaction
     * @throws SQLException when {@code connection} is not of that data source, a transaction is already
     *                      open, or {@code BEGIN IMMEDIATE} failed (SQLITE_BUSY after the busy timeout); the
     *                      connection is then left in auto-commit mode with no transaction
     */
    public static WriteTransaction immediate(Connection connection) throws SQLException {
        if (!connection.isWrapperFor(ExplicitTransactionConnection.class)) {
            throw new SQLException("BEGIN IMMEDIATE needs a connection of " + ExplicitTransactionDataSource.class
                    .getSimpleName() + ", not " + connection.getClass().getName());
        }
        ExplicitTransactionConnection own = connection.unwrap(ExplicitTransactionConnection.class);
        own.beginImmediate();
        try {
            connection.setAutoCommit(false); // the pool's bookkeeping; no statement runs
        } catch (SQLException | RuntimeException e) {
            try {
                own.rollback();
                own.setAutoCommit(true);
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        }
        return new WriteTransaction(connection);
    }

    /**
     * Commits ({@code COMMIT}) and returns the connection to auto-commit mode.
     *
     * @throws SQLException when {@code COMMIT} failed; the transaction is then still open, and
     *                      {@link #close()} rolls it back
     */
    public void commit() throws SQLException {
        if (ended) {
            throw new SQLException("write transaction already ended");
        }
        connection.setAutoCommit(true); // JDBC: switching auto-commit on commits
        ended = true;
    }

    /**
     * Rolls back ({@code ROLLBACK}) unless {@link #commit()} succeeded, and returns the connection to
     * auto-commit mode; does nothing when already ended.
     */
    @Override
    public void close() throws SQLException {
        if (ended) {
            return;
        }
        ended = true;
        connection.rollback();
        connection.setAutoCommit(true);
    }
}
