package io.github.ajsessions.internal.bootstrap;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A pooled connection of the store that keeps the prepared statements of the module's own fixed SQL
 * from one checkout to the next. Reached with {@code connection.unwrap(CachingConnection.class)}.
 *
 * <p>Why: SQLite compiles a statement anew for every {@code prepareStatement}, and neither
 * sqlite-jdbc nor HikariCP caches them; the session API's append would compile a name lookup and an
 * insert on every turn (the cost is measured in persistence-notes, "Statement cache").
 */
public interface CachingConnection {

    /**
     * @return a prepared statement for {@code sql}: the one this physical connection compiled before
     *         when it is free, else a new one. Close it after use: closing closes the result set it
     *         returned (which resets the statement, so it holds no read lock), clears its parameters
     *         and keeps it for the next call. A statement whose execution failed is finalized instead.
     */
    PreparedStatement prepareCached(String sql) throws SQLException;
}
