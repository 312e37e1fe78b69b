package io.github.ajsessions.internal.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;

/** Small JDBC helpers shared by the module's packages, each defined once; imports nothing of the module. */
public final class Sql {

    private Sql() {
    }

    /** @return {@code name} as a quoted SQL identifier */
    public static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** @return the first line of {@code text} */
    public static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    /** @return the rowid of the last row this connection inserted (on PostgreSQL: the last id a sequence gave it) */
    public static long lastInsertRowid(Connection c) throws SQLException {
        // PostgreSQL's ids come from the identity sequences (see the PostgreSQL migrations' NULL-id trigger)
        if (isPostgres(c)) {
            return single(c, "SELECT lastval()");
        }
        return single(c, "SELECT last_insert_rowid()");
    }

    /** @return whether {@code c} is a PostgreSQL connection (the PostgreSQL backend), not SQLite */
    public static boolean isPostgres(Connection c) throws SQLException {
        return "PostgreSQL".equals(c.getMetaData().getDatabaseProductName());
    }

    /** @return the first column of the first row of {@code sql}, as a number */
    public static long single(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Binds an id, or SQL NULL for {@code null} (SQLite then assigns the id, or the row has no parent). */
    public static void setId(PreparedStatement ps, int index, Long id) throws SQLException {
        if (id == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setLong(index, id);
        }
    }

    /** @return the nullable integer in column {@code index} */
    public static Long getId(ResultSet rs, int index) throws SQLException {
        long value = rs.getLong(index);
        return rs.wasNull() ? null : value;
    }
}
