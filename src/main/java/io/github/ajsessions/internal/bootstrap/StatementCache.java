package io.github.ajsessions.internal.bootstrap;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The compiled statements of one physical connection that nobody holds, by SQL text: what
 * {@link CachingConnection#prepareCached} serves from. Not thread-safe; a connection is used by one
 * thread at a time.
 *
 * <p>A statement is in the cache only while it is free: a second checkout of the same SQL while the
 * first is open compiles a statement of its own, and when both come back the first one back is kept.
 */
final class StatementCache {

    /** Most statements a connection keeps compiled: the session API uses about ten. */
    static final int CAPACITY = 32;

    private final Connection target;
    private final ExplicitTransactionConnection owner;
    private final Map<String, PreparedStatement> idle = new HashMap<>();

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
        PreparedStatement statement = idle.remove(sql);
        if (statement == null) {
            statement = target.prepareStatement(sql);
        }
        return new CachedStatement(statement, sql, owner, this);
    }

    /**
     * Takes a statement back from its checkout: closes its last result set and clears its parameters, then
     * keeps it for the next checkout, or finalizes it when its execution failed, the connection is closed,
     * the cache is full or holds that SQL already.
     */
    void giveBack(PreparedStatement statement, String sql, ResultSet lastResult, boolean failed)
            throws SQLException {
        try {
            if (lastResult != null) {
                lastResult.close(); // sqlite-jdbc resets the statement here: no read lock stays behind
            }
            statement.clearParameters();
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
        if (failed || target.isClosed() || idle.size() >= CAPACITY || idle.putIfAbsent(sql, statement) != null) {
            statement.close();
        }
    }

    /** @return how many statements are kept, free */
    int size() {
        return idle.size();
    }

    /** Finalizes every kept statement; the cache stays usable. */
    void clear() {
        for (PreparedStatement statement : idle.values()) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // the connection closes next, which finalizes whatever is left
            }
        }
        idle.clear();
    }
}
