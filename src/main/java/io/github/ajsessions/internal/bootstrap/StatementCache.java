package io.github.ajsessions.internal.bootstrap;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The compiled statements of one physical connection that nobody holds, by SQL text: what
 * {@link CachingConnection#prepareCached} and the connection's {@code prepareStatement} serve from.
 * Safe to call from several threads, though a connection is normally used by one at a time.
 *
 * <p>A statement is in the cache only while it is free: a second checkout of the same SQL while the
 * first is open compiles a statement of its own, and when both come back the first one back is kept.
 * When the cache is full, the statement given back least recently is finalized to make room.
 *
 * <p>A statement comes back as it was compiled: its last result set closed, its parameters and batch
 * cleared, and its query timeout, maximum rows, fetch size, fetch direction and maximum field size set
 * back to the values a new statement of the driver has. One that cannot be set back (its execution
 * failed, it was asked to close on completion, or marked not poolable) is finalized instead.
 */
final class StatementCache {

    /**
     * Most statements a connection keeps compiled: the session API uses about ten, a Hibernate turn
     * about five more; the least recently used one beyond that is finalized.
     */
    static final int CAPACITY = 32;

    private final Connection target;
    private final ExplicitTransactionConnection owner;
    /** In give-back order, oldest first: a checkout removes its entry, the give-back appends it. */
    private final Map<String, PreparedStatement> idle = new LinkedHashMap<>();
    /** The settings of a statement as the driver compiles it, read from the first one compiled. */
    private Defaults defaults;

    /**
     * @param target the driver's connection that compiles the statements
     * @param owner  the connection the checkouts report as theirs
     */
    StatementCache(Connection target, ExplicitTransactionConnection owner) {
        this.target = target;
        this.owner = owner;
    }

    /** @return a checkout of the free statement for {@code sql}, compiled now if there is none */
    PreparedStatement checkout(String sql) throws SQLException {
        PreparedStatement statement;
        synchronized (this) {
            statement = idle.remove(sql);
        }
        if (statement == null) {
            statement = target.prepareStatement(sql);
            if (defaults == null) {
                defaults = Defaults.of(statement);
            }
        }
        return new CachedStatement(statement, sql, owner, this);
    }

    /**
     * Takes a statement back from its checkout: closes its last result set, clears its parameters (and its
     * batch when one was added to), sets back what the caller changed, then keeps it for the next checkout,
     * or finalizes it when {@code reusable} is false or it asked to close on completion. Keeping it may
     * finalize the least recently given back statement to stay within {@link #CAPACITY}. A statement the
     * caller closed itself (through {@code unwrap}), or given back after its connection closed, is dropped.
     */
    void giveBack(PreparedStatement statement, String sql, ResultSet lastResult, boolean batched, boolean reusable)
            throws SQLException {
        if (statement.isClosed()) {
            return;
        }
        if (target.isClosed()) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // closing the connection finalized it already
            }
            return;
        }
        boolean keep = reusable;
        try {
            if (lastResult != null) {
                lastResult.close(); // sqlite-jdbc resets the statement here: no read lock stays behind
                if (statement.isClosed()) {
                    return; // it was to close on completion
                }
            }
            statement.clearParameters();
            if (batched) {
                statement.clearBatch(); // rows added and never executed would run with the next caller's batch
            }
            keep = keep && !statement.isCloseOnCompletion(); // which JDBC offers no way to undo
            if (keep) {
                defaults.restore(statement);
            }
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
        PreparedStatement evicted = null;
        synchronized (this) {
            if (keep && !target.isClosed() && !idle.containsKey(sql)) {
                if (idle.size() >= CAPACITY) {
                    Iterator<PreparedStatement> oldest = idle.values().iterator();
                    evicted = oldest.next();
                    oldest.remove();
                }
                idle.put(sql, statement);
                statement = null;
            }
        }
        if (statement != null) {
            statement.close();
        }
        if (evicted != null) {
            evicted.close();
        }
    }

    /** @return how many statements are kept, free */
    synchronized int size() {
        return idle.size();
    }

    /** Finalizes every kept statement; the cache stays usable. */
    void clear() {
        PreparedStatement[] kept;
        synchronized (this) {
            kept = idle.values().toArray(new PreparedStatement[0]);
            idle.clear();
        }
        for (PreparedStatement statement : kept) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // the connection closes next, which finalizes whatever is left
            }
        }
    }

    /**
     * The settings a caller may change on a statement, as the driver sets them on a new one (sqlite-jdbc
     * keeps the fetch size on the statement's one result set object, so a change made through the result set
     * is caught too).
     */
    private record Defaults(int queryTimeout, long maxRows, int fetchSize, int fetchDirection, int maxFieldSize) {

        static Defaults of(PreparedStatement fresh) throws SQLException {
            return new Defaults(fresh.getQueryTimeout(), fresh.getLargeMaxRows(), fresh.getFetchSize(),
                    fresh.getFetchDirection(), fresh.getMaxFieldSize());
        }

        /** Sets back what differs. */
        void restore(PreparedStatement statement) throws SQLException {
            if (statement.getQueryTimeout() != queryTimeout) {
                statement.setQueryTimeout(queryTimeout);
            }
            if (statement.getLargeMaxRows() != maxRows) {
                statement.setLargeMaxRows(maxRows);
            }
            if (statement.getFetchSize() != fetchSize) {
                statement.setFetchSize(fetchSize);
            }
            if (statement.getFetchDirection() != fetchDirection) {
                statement.setFetchDirection(fetchDirection);
            }
            if (statement.getMaxFieldSize() != maxFieldSize) {
                statement.setMaxFieldSize(maxFieldSize);
            }
        }
    }
}
