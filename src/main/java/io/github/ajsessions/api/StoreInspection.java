package io.github.ajsessions.api;

import io.github.ajsessions.model.Role;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Read-only looks at the file that need no entity: the tables and their row counts, the latest
 * messages across sessions, SQLite's own checks, and the rows aj would fail on. Reached through
 * {@link SessionStore#inspection()}. Every method is a few short auto-commit queries on the pool
 * (no Hibernate), so it works on a store opened {@link StoreConfig.SchemaMode#READ_ONLY} and never
 * holds a lock longer than one query.
 */
public final class StoreInspection {

    /** Largest id aj can read: Diesel maps every id to a 32-bit signed integer. */
    public static final long AJ_MAX_ID = Integer.MAX_VALUE;

    /** The newest schema version of this module's migrations (see {@link SessionStore#schemaVersion()}). */
    public static final int LATEST_SCHEMA_VERSION = io.github.ajsessions.internal.schema.SchemaManager.LATEST_VERSION;

    /** A table and how many rows it holds. */
    public record TableCount(String name, long rows) {
    }

    /**
     * One message with its session.
     *
     * @param id      the message id (rowid)
     * @param session the session name, or {@code null} for a message with no conversation
     * @param role    the role exactly as stored
     * @param content the content, cut to the length asked for
     * @param dynamic the {@code dynamic} flag
     */
    public record MessageLine(long id, String session, String role, String content, boolean dynamic) {
    }

    /** A row that breaks a foreign key, as {@code PRAGMA foreign_key_check} reports it. */
    public record ForeignKeyViolation(String table, Long rowid, String parent) {
        /** @return e.g. {@code "messages row 7 points to a missing conversations row"} */
        public String describe() {
            return table + " row " + rowid + " points to a missing " + parent + " row";
        }
    }

    /**
     * Something in the file that makes aj panic or fail.
     *
     * @param table   the table concerned
     * @param id      the row id concerned
     * @param problem one line naming the row and the value
     */
    public record AjHazard(String table, long id, String problem) {
    }

    private final SessionStore store;
    private final Jdbc jdbc;

    StoreInspection(SessionStore store) {
        this.store = store;
        this.jdbc = new Jdbc(store);
    }

    /**
     * @return every table of the file (aj's, Diesel's, this module's; not SQLite's internals nor the
     *         shadow tables of the search index) with its row count, in creation order
     */
    public List<TableCount> tables() {
        return jdbc.read(c -> {
            List<String> names = new ArrayList<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT name FROM pragma_table_list WHERE schema = 'main'"
                         + " AND type IN ('table', 'virtual') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            // pragma_table_list has no creation order: take sqlite_master's
            List<String> ordered = new ArrayList<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")) {
                while (rs.next()) {
                    if (names.contains(rs.getString(1))) {
                        ordered.add(rs.getString(1));
                    }
                }
            }
            List<TableCount> out = new ArrayList<>();
            for (String name : ordered) {
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT count(*) FROM " + Jdbc.quote(name))) {
                    rs.next();
                    out.add(new TableCount(name, rs.getLong(1)));
                }
            }
            return out;
        });
    }

    /**
     * The same as {@link SessionStore#listSessions()}, in one SQL query without Hibernate (fast start-up).
     *
     * @return every session with its message count, newest message id and latest model, in id order
     */
    public List<SessionSummary> sessions() {
        return jdbc.read(c -> {
            List<SessionSummary> out = new ArrayList<>();
            try (Statement st = c.createStatement();
                 // one grouped pass over messages: aj's files have no index on conversation_id, and a count per
                 // conversation would scan the table once per session (2 s instead of 60 ms at 100k messages)
                 ResultSet rs = st.executeQuery("SELECT c.id, c.session_name, coalesce(g.n, 0), g.last,"
                         + " (SELECT a.model FROM awful_configs a WHERE a.conversation_id = c.id"
                         + "  ORDER BY a.id DESC LIMIT 1)"
                         + " FROM conversations c LEFT JOIN (SELECT conversation_id, count(*) AS n, max(id) AS last"
                         + "  FROM messages GROUP BY conversation_id) g ON g.conversation_id = c.id ORDER BY c.id")) {
                while (rs.next()) {
                    long last = rs.getLong(4);
                    Long lastId = rs.wasNull() ? null : last;
                    out.add(new SessionSummary(rs.getLong(1), rs.getString(2), rs.getLong(3), lastId, rs.getString(5)));
                }
            }
            return out;
        });
    }

    /**
     * The latest messages across every session, newest last (the docs' "last 10 messages").
     *
     * @param count    how many messages, at least 0
     * @param maxChars how much of each content to read, at least 1
     */
    public List<MessageLine> tail(int count, int maxChars) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be >= 1, was " + maxChars);
        }
        return jdbc.read(c -> {
            List<MessageLine> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT m.id, c.session_name, m.role,"
                    + " substr(m.content, 1, ?), m.dynamic FROM messages m"
                    + " LEFT JOIN conversations c ON c.id = m.conversation_id ORDER BY m.id DESC LIMIT ?")) {
                ps.setInt(1, maxChars);
                ps.setInt(2, count);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new MessageLine(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getBoolean(5)));
                    }
                }
            }
            java.util.Collections.reverse(out);
            return out;
        });
    }

    /** @return {@code PRAGMA integrity_check}'s lines: exactly {@code ["ok"]} for a sound file */
    public List<String> integrityCheck() {
        return jdbc.read(c -> {
            List<String> out = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    /** @return every row {@code PRAGMA foreign_key_check} reports; empty when clean */
    public List<ForeignKeyViolation> foreignKeyCheck() {
        return jdbc.read(c -> {
            List<ForeignKeyViolation> out = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA foreign_key_check")) {
                while (rs.next()) {
                    long rowid = rs.getLong(2);
                    Long id = rs.wasNull() ? null : rowid; // a WITHOUT ROWID table has none
                    out.add(new ForeignKeyViolation(rs.getString(1), id, rs.getString(3)));
                }
            }
            return out;
        });
    }

    /** @return whether this module's connections enforce foreign keys ({@code PRAGMA foreign_keys}) */
    public boolean foreignKeysEnforced() {
        return jdbc.read(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA foreign_keys")) {
                return rs.next() && rs.getInt(1) == 1;
            }
        });
    }

    /** @return how many config snapshots hold a non-empty API key */
    public long storedApiKeys() {
        return jdbc.read(c -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM awful_configs WHERE api_key <> ''")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** @return the database's size in bytes as SQLite sees it ({@code page_count * page_size}) */
    public long databaseBytes() {
        return jdbc.read(Jdbc2::databaseBytes);
    }

    /**
     * The rows aj would panic or fail on: a non-empty conversation with fewer rows than aj's
     * 3-row preamble, a role other than system/user/assistant, an id above {@link #AJ_MAX_ID}.
     *
     * @param limit at most this many hazards of each kind
     */
    public List<AjHazard> ajHazards(int limit) {
        return jdbc.read(c -> {
            List<AjHazard> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT c.id, c.session_name, count(m.id)"
                    + " FROM conversations c JOIN messages m ON m.conversation_id = c.id GROUP BY c.id"
                    + " HAVING count(m.id) < 3 ORDER BY c.id LIMIT ?")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new AjHazard("conversations", rs.getLong(1), "session '" + rs.getString(2)
                                + "' (conversation " + rs.getLong(1) + ") has " + rs.getLong(3)
                                + " message(s), fewer than aj's 3 preamble rows: aj panics when it loads it"));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT m.id, c.session_name, m.role FROM messages m"
                    + " LEFT JOIN conversations c ON c.id = m.conversation_id"
                    + " WHERE m.role NOT IN ('system', 'user', 'assistant') ORDER BY m.id LIMIT ?")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new AjHazard("messages", rs.getLong(1), "message " + rs.getLong(1) + " of session '"
                                + rs.getString(2) + "' has role '" + rs.getString(3) + "'; aj accepts only "
                                + Role.knownValues() + " and panics on it"));
                    }
                }
            }
            for (String table : List.of("conversations", "messages", "awful_configs")) {
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT max(id) FROM " + table)) {
                    if (rs.next() && rs.getLong(1) > AJ_MAX_ID) {
                        out.add(new AjHazard(table, rs.getLong(1), table + " has id " + rs.getLong(1)
                                + ", above 2,147,483,647: aj reads ids as 32-bit integers and fails on it"));
                    }
                }
            }
            return out;
        });
    }

    /** Small shared queries. */
    static final class Jdbc2 {
        private Jdbc2() {
        }

        static long databaseBytes(Connection c) throws SQLException {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT page_count * page_size FROM pragma_page_count, pragma_page_size")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
