package io.github.ajsessions.internal.bootstrap;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A pooled connection of the store that keeps its prepared statements compiled from one checkout to the
 * next. Reached with {@code connection.unwrap(CachingConnection.class)}; the connection's own
 * {@code prepareStatement} serves from the same cache (the overloads that ask for nothing a plain
 * statement lacks: forward-only, read-only result sets), so Hibernate's statements and any caller's are
 * kept too.
 *
 * <p>Why: SQLite compiles a statement anew for every {@code prepareStatement}, and neither
 * sqlite-jdbc nor HikariCP caches them; the session API's append would compile a name lookup and an
 * insert on every turn, a JPA append its id statement and insert for every message (the cost is
 * measured in persistence-notes, "Statement cache").
 */
public interface CachingConnection {

    /**
     * @return a prepared statement for {@code sql}: the one this physical connection compiled before
     *         when it is free, else a new one. Close it after use: closing closes the result set it
     *         returned (which resets the statement, so it holds no read lock), clears its parameters
     *         and batch, sets back its query timeout, maximum rows, fetch size, fetch direction and
     *         maximum field size, and keeps it for the next call. A statement whose execution failed,
     *         marked not poolable or to close on completion is finalized instead.
     */
    PreparedStatement prepareCached(String sql) throws SQLException;
}
