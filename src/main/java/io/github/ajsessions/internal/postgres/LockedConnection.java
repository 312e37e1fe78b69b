package io.github.ajsessions.internal.postgres;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Set;

/**
 * The connection of one write call on PostgreSQL: the call's write lock ({@code pg_advisory_xact_lock}) is
 * taken before the call's first statement runs, in the same round trip when that statement is a query.
 *
 * <p>Contract: no statement of the call runs before the lock is granted, and each statement after it
 * sees every transaction that committed before the grant. When the first statement is a query
 * prepared with {@link Connection#prepareStatement(String)}, it is sent as {@code SELECT
 * pg_advisory_xact_lock(key); query}: the driver sends both in one round trip, and under READ
 * COMMITTED the query takes its own snapshot after the lock statement has finished. Any other first
 * statement (an insert, a plain {@code Statement}, a prepared statement with options) takes the lock in
 * a round trip of its own first. The lock is held until the transaction ends.
 */
final class LockedConnection implements InvocationHandler {

    private static final Set<String> STATEMENT_FACTORIES = Set.of("createStatement", "prepareStatement",
            "prepareCall");

    private final Connection target;
    private final String lockSql;
    /** The lock has been taken (or sent, in front of a query that has run). */
    private boolean held;
    /** A query was prepared with the lock in front; it has not run yet. */
    private boolean lockInFront;

    private LockedConnection(Connection target, long key) {
        this.target = target;
        this.lockSql = "SELECT pg_advisory_xact_lock(" + key + ")";
    }

    /** @return {@code target}, taking the advisory lock {@code key} before its first statement runs */
    static Connection wrap(Connection target, long key) {
        return (Connection) Proxy.newProxyInstance(LockedConnection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new LockedConnection(target, key));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if (!held && STATEMENT_FACTORIES.contains(name)) {
            if (!lockInFront && name.equals("prepareStatement") && args.length == 1 && isQuery((String) args[0])) {
                lockInFront = true;
                PreparedStatement both = target.prepareStatement(lockSql + ";\n" + args[0]);
                return Proxy.newProxyInstance(LockedConnection.class.getClassLoader(),
                        new Class<?>[] {PreparedStatement.class}, new LockInFront(both));
            }
            lockNow();
        }
        if (name.equals("equals")) {
            return proxy == args[0];
        }
        if (name.equals("hashCode")) {
            return System.identityHashCode(proxy);
        }
        return call(target, method, args);
    }

    private void lockNow() throws SQLException {
        try (Statement st = target.createStatement()) {
            st.execute(lockSql);
        }
        held = true;
    }

    /** @return whether {@code sql} is a query (a SELECT), whose result the caller reads as the first result */
    private static boolean isQuery(String sql) {
        return sql.stripLeading().toUpperCase(Locale.ROOT).startsWith("SELECT ");
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The lock statement and a query, executed together; the caller sees the query's result only. */
    private final class LockInFront implements InvocationHandler {
        private final PreparedStatement both;

        LockInFront(PreparedStatement both) {
            this.both = both;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            boolean noArgs = args == null || args.length == 0;
            switch (method.getName()) {
                case "executeQuery":
                    if (noArgs) {
                        run();
                        return both.getResultSet();
                    }
                    break;
                case "execute":
                    if (noArgs) {
                        run();
                        return both.getResultSet() != null;
                    }
                    break;
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                default:
                    break;
            }
            return call(both, method, args);
        }

        /** Runs both statements in one round trip and moves to the query's result. */
        private void run() throws SQLException {
            // a failure of either statement aborts the transaction: nothing more runs in it but the rollback
            both.execute();
            held = true;
            lockInFront = false;
            if (!both.getMoreResults()) {
                throw new SQLException("the query sent after the write lock returned no result set");
            }
        }
    }
}
