package io.github.ajsessions.internal.bootstrap;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * A sqlite-jdbc connection whose transactions are exactly {@code BEGIN ... COMMIT} (or {@code ROLLBACK})
 * and nothing more, so that no lock is held outside a transaction the caller asked for.
 *
 * <p>The driver's connection always stays in sqlite-jdbc's own auto-commit mode; this class runs the
 * transaction statements itself and keeps JDBC's auto-commit state:
 * <ul>
 *   <li>{@link #beginImmediate()}: {@code BEGIN IMMEDIATE}, the module's own write transactions
 *       (through {@link WriteTransaction});</li>
 *   <li>{@link #setAutoCommit setAutoCommit(false)}: {@code BEGIN IMMEDIATE} too, so that foreign code
 *       (Hibernate, Spring's transaction managers) gets write transactions that take the write lock at
 *       once, or {@code BEGIN DEFERRED} when the connection is marked {@linkplain #setReadOnly read-only},
 *       so that read transactions never take it;</li>
 *   <li>{@link #commit()} and {@link #rollback()}: {@code COMMIT} or {@code ROLLBACK}, then
 *       {@code BEGIN DEFERRED}, which takes no lock until a statement runs, to keep JDBC's meaning of
 *       auto-commit off;</li>
 *   <li>{@link #setAutoCommit setAutoCommit(true)} in a transaction: {@code COMMIT}.</li>
 * </ul>
 * The state changes only once its statement succeeded.
 *
 * <p>Why not sqlite-jdbc's own transactions (3.54.1.0, {@code SQLiteConnection}):
 * <ul>
 *   <li>{@code commit()} and {@code rollback()} immediately execute the next {@code BEGIN}. In
 *       IMMEDIATE mode that takes the write lock again at once, so an idle pooled connection can keep
 *       aj (which has no busy timeout) from writing, and a commit that succeeded can still report a
 *       failure when that second {@code BEGIN} meets a busy file.</li>
 *   <li>{@code setAutoCommit(false)} flips its flag before executing {@code BEGIN}; when the
 *       {@code BEGIN} fails (SQLITE_BUSY) the connection believes it is in a transaction while SQLite
 *       is not, and the next insert is committed on its own while the caller sees a failure
 *       (xerial/sqlite-jdbc#683, a "phantom" commit).</li>
 * </ul>
 *
 * <p>Each hold of the write lock, from a successful {@code BEGIN IMMEDIATE} to the end of its
 * {@code COMMIT} or {@code ROLLBACK}, is recorded in the data source's {@link WriteLockStatistics}.
 * Prepared statements print their SQL only ({@link MaskedPreparedStatement}) and are kept compiled, the
 * module's and any caller's ({@link CachingConnection}, {@link StatementCache}).
 */
final class ExplicitTransactionConnection extends DelegatingConnection implements CachingConnection {

    private final LockHoldStatistics statistics;
    private final WriteGate gate;
    private final int busyTimeoutMillis;
    private final StatementCache cache;
    private boolean autoCommit = true;
    private boolean readOnly;
    /** System.nanoTime() when BEGIN IMMEDIATE succeeded; 0 when no write lock is held. */
    private long writeLockSince;
    /** BEGIN IMMEDIATE, BEGIN DEFERRED, COMMIT and ROLLBACK, each compiled once ({@link #execute}). */
    private final Map<String, PreparedStatement> control = new HashMap<>(8);

    /**
     * @param target     a sqlite-jdbc connection in its auto-commit mode, not shared
     * @param statistics where the write-lock holds are recorded
     * @param gate       this JVM's queue of writers on the file, passed before each {@code BEGIN IMMEDIATE}
     * @param busyTimeoutMillis how long to wait in that queue (SQLite's busy timeout then applies again)
     */
    ExplicitTransactionConnection(Connection target, LockHoldStatistics statistics, WriteGate gate,
                                  int busyTimeoutMillis) {
        super(target);
        this.statistics = statistics;
        this.gate = gate;
        this.busyTimeoutMillis = busyTimeoutMillis;
        this.cache = new StatementCache(target, this);
    }

    /**
     * Begins a write transaction: {@code BEGIN IMMEDIATE}, which takes SQLite's write lock at once,
     * waiting up to the busy timeout for it, whether or not the connection is marked read-only.
     * Afterwards auto-commit is off; end the transaction with {@link #commit()}, {@link #rollback()} or
     * {@code setAutoCommit(true)}.
     *
     * @throws SQLException when a transaction is already open, the connection is closed, or
     *                      {@code BEGIN IMMEDIATE} failed (SQLITE_BUSY after the busy timeout); the
     *                      connection is then still in auto-commit mode
     */
    void beginImmediate() throws SQLException {
        checkOpen();
        if (!autoCommit) {
            throw new SQLException("a transaction is already open on this connection: cannot BEGIN IMMEDIATE");
        }
        begin(true);
    }

    /** @return whether this connection holds SQLite's write lock from its own {@code BEGIN IMMEDIATE} */
    boolean holdsWriteLock() {
        return writeLockSince != 0;
    }

    @Override
    public void setAutoCommit(boolean on) throws SQLException {
        checkOpen();
        if (on == autoCommit) {
            return;
        }
        if (on) {
            try {
                execute("COMMIT"); // JDBC: switching auto-commit on commits the open transaction
            } finally {
                endHold();
            }
            autoCommit = true;
        } else {
            begin(!readOnly);
        }
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        checkOpen();
        return autoCommit;
    }

    @Override
    public void commit() throws SQLException {
        endTransaction("COMMIT");
    }

    @Override
    public void rollback() throws SQLException {
        endTransaction("ROLLBACK");
    }

    /**
     * Marks the connection read-only: the next {@code setAutoCommit(false)} begins {@code DEFERRED}.
     * sqlite-jdbc refuses to change the open mode of an open connection, so the flag only chooses the
     * kind of {@code BEGIN} here; SQLite itself still accepts writes.
     */
    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        checkOpen();
        this.readOnly = readOnly;
    }

    /** @return whether marked read-only, or opened read-only */
    @Override
    public boolean isReadOnly() throws SQLException {
        return readOnly || target.isReadOnly();
    }

    /**
     * @return {@code true} while not closed. A connection to a local file cannot go stale as a network
     *         one does. sqlite-jdbc answers by running a statement, which on a non-database or a locked
     *         file fails; HikariCP then logs an ERROR ("Failed to execute isValid() ... configure
     *         connection test query") next to the exception the store raises with the real reason, and
     *         asks on every borrow after 500 ms idle.
     */
    @Override
    public boolean isValid(int timeout) throws SQLException {
        return !target.isClosed();
    }

    /** Rolls back an open transaction, finalizes the kept statements and closes the driver's connection. */
    @Override
    public void close() throws SQLException {
        if (!autoCommit && !target.isClosed()) {
            try {
                execute("ROLLBACK");
            } catch (SQLException ignored) {
                // closing anyway: SQLite rolls back an open transaction on close
            }
        }
        autoCommit = true;
        endHold();
        cache.clear();
        synchronized (control) {
            for (PreparedStatement statement : control.values()) {
                try {
                    statement.close();
                } catch (SQLException ignored) {
                    // closing the connection finalizes it anyway
                }
            }
            control.clear();
        }
        target.close();
    }

    @Override
    public PreparedStatement prepareCached(String sql) throws SQLException {
        checkOpen();
        return cache.checkout(sql);
    }

    /** Served from the statement cache, as {@link #prepareCached}: Hibernate's and any caller's statements. */
    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        return prepareCached(sql);
    }

    // sqlite-jdbc (3.54.1.0) compiles the same statement whatever these three ask for: it answers
    // getGeneratedKeys from last_insert_rowid() on any statement. So they share the plain one's cache entry.

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        return prepareCached(sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        return prepareCached(sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        return prepareCached(sql);
    }

    /** Served from the statement cache when asking for what a plain {@code prepareStatement} gives. */
    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        if (resultSetType == ResultSet.TYPE_FORWARD_ONLY && resultSetConcurrency == ResultSet.CONCUR_READ_ONLY) {
            return prepareCached(sql);
        }
        return new MaskedPreparedStatement(target.prepareStatement(sql, resultSetType, resultSetConcurrency), sql,
                this);
    }

    /** Served from the statement cache when asking for what a plain {@code prepareStatement} gives. */
    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
                                              int resultSetHoldability) throws SQLException {
        if (resultSetType == ResultSet.TYPE_FORWARD_ONLY && resultSetConcurrency == ResultSet.CONCUR_READ_ONLY
                && resultSetHoldability == target.getHoldability()) {
            return prepareCached(sql);
        }
        return new MaskedPreparedStatement(target.prepareStatement(sql, resultSetType, resultSetConcurrency,
                resultSetHoldability), sql, this);
    }

    @Override
    public String toString() {
        return "ExplicitTransactionConnection[" + target + "]";
    }

    private void begin(boolean write) throws SQLException {
        if (!write) {
            execute("BEGIN DEFERRED");
            autoCommit = false;
            return;
        }
        // this JVM's writers queue fairly here; SQLite's busy handler then only arbitrates with other processes
        gate.enter(busyTimeoutMillis);
        try {
            execute("BEGIN IMMEDIATE");
        } catch (SQLException | RuntimeException e) {
            gate.leave();
            throw e;
        }
        writeLockSince = System.nanoTime();
        autoCommit = false; // only once BEGIN succeeded (contrast xerial/sqlite-jdbc#683)
    }

    private void endTransaction(String statement) throws SQLException {
        checkOpen();
        if (autoCommit) {
            throw new SQLException("database in auto-commit mode: no transaction to " + statement);
        }
        try {
            execute(statement);
        } catch (SQLException e) {
            if (statement.equals("ROLLBACK")) {
                endHold(); // a failed COMMIT may leave the transaction open: its hold ends at the ROLLBACK
            }
            // SQLite may have rolled the transaction back itself (SQLITE_FULL, IOERR, ...)
            if (!(statement.equals("ROLLBACK") && String.valueOf(e.getMessage()).contains("no transaction"))) {
                throw e;
            }
        }
        endHold();
        // still JDBC auto-commit off: open a transaction that takes no lock until it is used
        execute("BEGIN DEFERRED");
    }

    private void endHold() {
        if (writeLockSince != 0) {
            statistics.record(System.nanoTime() - writeLockSince);
            writeLockSince = 0;
            gate.leave();
        }
    }

    /**
     * Runs one of the transaction statements, compiled on first use and kept until the connection closes:
     * a Spring or Hibernate transaction runs four (BEGIN IMMEDIATE, COMMIT, then JDBC's BEGIN DEFERRED and
     * the COMMIT that ends it), and compiling them anew cost ≈ 4 of the ≈ 19 µs they take on a file in memory
     * ({@code TransactionStatementsBenchmark}).
     */
    private void execute(String sql) throws SQLException {
        synchronized (control) { // close() may come from the pool's housekeeping thread
            PreparedStatement statement = control.get(sql);
            if (statement == null) {
                statement = target.prepareStatement(sql);
                control.put(sql, statement);
            }
            try {
                statement.execute();
            } catch (SQLException | RuntimeException e) {
                control.remove(sql); // compiled anew next time rather than trusting a statement in an unknown state
                try {
                    statement.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }

    private void checkOpen() throws SQLException {
        if (target.isClosed()) {
            throw new SQLException("database connection closed");
        }
    }
}
