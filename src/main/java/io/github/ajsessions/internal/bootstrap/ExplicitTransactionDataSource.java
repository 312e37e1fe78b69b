package io.github.ajsessions.internal.bootstrap;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.sqlite.JDBC;

/**
 * Hands out sqlite-jdbc connections whose transactions are exactly {@code BEGIN IMMEDIATE ... COMMIT}
 * and nothing more, so that no lock is held outside a transaction the caller asked for.
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
 * <p>Here the underlying connection always stays in sqlite-jdbc's auto-commit mode and this wrapper
 * executes the transaction statements itself: {@code setAutoCommit(false)} runs {@code BEGIN IMMEDIATE}
 * ({@code BEGIN DEFERRED} when the connection is marked read-only, so read transactions never take the
 * write lock) and changes state only when it succeeded; {@code commit()} runs {@code COMMIT} and then
 * {@code BEGIN DEFERRED}, which takes no lock until a statement runs, to keep JDBC's meaning of
 * auto-commit off.
 *
 * <p>The connections also implement {@link CachingConnection}: the module's own statements stay
 * compiled between checkouts.
 */
final class ExplicitTransactionDataSource implements DataSource, WriteLockStatistics {

    /** Most statements a connection keeps compiled: the session API uses about ten. */
    static final int CACHED_STATEMENTS = 32;

    private final String url;
    private final LongAdder writeTransactions = new LongAdder();
    private final LongAdder totalHoldNanos = new LongAdder();
    private final AtomicLong longestHoldNanos = new AtomicLong();
    private final Properties properties;
    private PrintWriter logWriter;
    private volatile int loginTimeoutSeconds = 5;

    ExplicitTransactionDataSource(String url, Properties properties) {
        this.url = url;
        this.properties = properties;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection raw = JDBC.createConnection(url, properties);
        return (Connection) Proxy.newProxyInstance(ExplicitTransactionDataSource.class.getClassLoader(),
                new Class<?>[] {Connection.class, CachingConnection.class}, new Handler(raw, this));
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // a local file opens at once; kept because Hikari waits this long for its add-connection
        // executor when closing (0 makes it warn at every close)
        this.loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging parent logger");
    }

    @Override
    public long writeTransactions() {
        return writeTransactions.sum();
    }

    @Override
    public Duration longestHold() {
        return Duration.ofNanos(longestHoldNanos.get());
    }

    @Override
    public Duration totalHold() {
        return Duration.ofNanos(totalHoldNanos.sum());
    }

    @Override
    public void reset() {
        writeTransactions.reset();
        totalHoldNanos.reset();
        longestHoldNanos.set(0);
    }

    private void recordHold(long nanos) {
        writeTransactions.increment();
        totalHoldNanos.add(nanos);
        longestHoldNanos.accumulateAndGet(nanos, Math::max);
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper for " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }

    /**
     * sqlite-jdbc's {@code PreparedStatement.toString()} prints the bound values, and Hibernate logs
     * statements at DEBUG ({@code org.hibernate.orm.resource.registry}, "Releasing statement ..."):
     * that would put aj's {@code api_key} in a log. The wrapper prints the SQL only.
     */
    static PreparedStatement withoutValuesInToString(PreparedStatement statement, String sql) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("toString")) {
                return "PreparedStatement[" + sql + "]";
            }
            Object own = answeredByProxy(proxy, method, args);
            return own != NOT_ANSWERED ? own : invoke(statement, method, args);
        };
        return (PreparedStatement) Proxy.newProxyInstance(ExplicitTransactionDataSource.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, handler);
    }

    private static final Object NOT_ANSWERED = new Object();

    /**
     * The methods both proxies answer themselves: identity {@code equals}/{@code hashCode}, and
     * {@code unwrap}/{@code isWrapperFor} to the proxy's own interface (so that unwrapping never
     * bypasses it); {@link #NOT_ANSWERED} for every other call.
     */
    private static Object answeredByProxy(Object proxy, Method method, Object[] args) {
        switch (method.getName()) {
            case "hashCode":
                return System.identityHashCode(proxy);
            case "equals":
                return proxy == args[0];
            case "unwrap":
                return ((Class<?>) args[0]).isInstance(proxy) ? proxy : NOT_ANSWERED;
            case "isWrapperFor":
                return ((Class<?>) args[0]).isInstance(proxy) ? Boolean.TRUE : NOT_ANSWERED;
            default:
                return NOT_ANSWERED;
        }
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static final class Handler implements InvocationHandler {
        private final Connection target;
        private final ExplicitTransactionDataSource owner;
        private boolean autoCommit = true;
        private boolean readOnly;
        /** Statements of {@link CachingConnection#prepareCached}, compiled and free, by SQL. */
        private final Map<String, PreparedStatement> idle = new HashMap<>();
        /** System.nanoTime() when BEGIN IMMEDIATE succeeded; 0 when no write lock is held. */
        private long writeLockSince;

        Handler(Connection target, ExplicitTransactionDataSource owner) {
            this.target = target;
            this.owner = owner;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "setAutoCommit":
                    setAutoCommit((Boolean) args[0]);
                    return null;
                case "getAutoCommit":
                    checkOpen();
                    return autoCommit;
                case "commit":
                    endTransaction("COMMIT");
                    return null;
                case "rollback":
                    if (args == null || args.length == 0) {
                        endTransaction("ROLLBACK");
                        return null;
                    }
                    break;
                case "setReadOnly":
                    // sqlite-jdbc refuses to change the open mode of an open connection; the flag only
                    // chooses the kind of BEGIN here
                    checkOpen();
                    readOnly = (Boolean) args[0];
                    return null;
                case "isReadOnly":
                    return readOnly || target.isReadOnly();
                case "isValid":
                    // a connection to a local file cannot go stale as a network one does. sqlite-jdbc answers by
                    // running a statement, which on a non-database or a locked file fails; HikariCP then logs an
                    // ERROR ("Failed to execute isValid() ... configure connection test query") next to the
                    // exception the store raises with the real reason, and runs it on every borrow after
                    // 500 ms idle
                    return !target.isClosed();
                case "close":
                    if (!autoCommit && !target.isClosed()) {
                        try {
                            execute("ROLLBACK");
                        } catch (SQLException ignored) {
                            // closing anyway: SQLite rolls back an open transaction on close
                        }
                    }
                    autoCommit = true;
                    endHold();
                    closeCached();
                    target.close();
                    return null;
                case "prepareCached":
                    return prepareCached((String) args[0]);
                case "toString":
                    return "ExplicitTransactionConnection[" + target + "]";
                case "prepareStatement":
                    return withoutValuesInToString((PreparedStatement) ExplicitTransactionDataSource.invoke(target,
                            method, args), (String) args[0]);
                default:
                    break;
            }
            Object own = answeredByProxy(proxy, method, args);
            return own != NOT_ANSWERED ? own : ExplicitTransactionDataSource.invoke(target, method, args);
        }

        /**
         * {@link CachingConnection#prepareCached}. A statement is in {@link #idle} only while nobody
         * holds it; a second checkout of the same SQL meanwhile gets a statement of its own.
         */
        private PreparedStatement prepareCached(String sql) throws SQLException {
            checkOpen();
            PreparedStatement raw = idle.remove(sql);
            if (raw == null) {
                raw = target.prepareStatement(sql);
            }
            return checkout(raw, sql);
        }

        private PreparedStatement checkout(PreparedStatement raw, String sql) {
            InvocationHandler handler = new InvocationHandler() {
                private boolean closed;
                private boolean failed;
                private ResultSet lastResult;

                @Override
                public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
                    switch (method.getName()) {
                        case "toString":
                            return "PreparedStatement[" + sql + "]";
                        case "isClosed":
                            return closed;
                        case "close":
                            if (!closed) {
                                closed = true;
                                giveBack(raw, sql, lastResult, failed);
                            }
                            return null;
                        default:
                            break;
                    }
                    Object own = answeredByProxy(proxy, method, args);
                    if (own != NOT_ANSWERED) {
                        return own;
                    }
                    if (closed) {
                        throw new SQLException("statement closed: " + sql);
                    }
                    try {
                        Object result = ExplicitTransactionDataSource.invoke(raw, method, args);
                        if (result instanceof ResultSet) {
                            lastResult = (ResultSet) result;
                        }
                        return result;
                    } catch (Throwable e) {
                        failed = true;
                        throw e;
                    }
                }
            };
            return (PreparedStatement) Proxy.newProxyInstance(ExplicitTransactionDataSource.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, handler);
        }

        /** Keeps a statement for the next checkout once reset; finalizes it when it failed or the cache is full. */
        private void giveBack(PreparedStatement raw, String sql, ResultSet lastResult, boolean failed)
                throws SQLException {
            try {
                if (lastResult != null) {
                    lastResult.close(); // sqlite-jdbc resets the statement here: no read lock stays behind
                }
                raw.clearParameters();
            } catch (SQLException e) {
                raw.close();
                throw e;
            }
            if (failed || target.isClosed() || idle.size() >= CACHED_STATEMENTS || idle.putIfAbsent(sql, raw) != null) {
                raw.close();
            }
        }

        private void closeCached() {
            for (PreparedStatement raw : idle.values()) {
                try {
                    raw.close();
                } catch (SQLException ignored) {
                    // the connection closes next, which finalizes whatever is left
                }
            }
            idle.clear();
        }

        private void setAutoCommit(boolean on) throws SQLException {
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
            } else {
                execute(readOnly ? "BEGIN DEFERRED" : "BEGIN IMMEDIATE");
                if (!readOnly) {
                    writeLockSince = System.nanoTime();
                }
            }
            autoCommit = on; // only once the statement succeeded (contrast xerial/sqlite-jdbc#683)
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
                owner.recordHold(System.nanoTime() - writeLockSince);
                writeLockSince = 0;
            }
        }

        private void execute(String sql) throws SQLException {
            try (Statement statement = target.createStatement()) {
                statement.execute(sql);
            }
        }

        private void checkOpen() throws SQLException {
            if (target.isClosed()) {
                throw new SQLException("database connection closed");
            }
        }
    }
}
