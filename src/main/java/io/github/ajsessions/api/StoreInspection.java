package io.github.ajsessions.api;

import io.github.ajsessions.core.InvalidDataException;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.internal.jdbc.Sql;
import io.github.ajsessions.internal.tables.AjTables;
import io.github.ajsessions.model.MessageRecord;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Read-only looks at the file: the tables and their row counts, the latest
 * messages across sessions, SQLite's own checks, and the rows aj would fail on. Reached through
 * {@link SessionStore#inspection()}. Every method is a few short auto-commit queries on the pool
 * (no Hibernate), so it works on a store opened {@link StoreConfig.SchemaMode#READ_ONLY} and never
 * holds a lock longer than one query.
 */
public final class StoreInspection {

    /** A table and how many rows it holds. */
    public record TableCount(String name, long rows) {
    }

    /**
     * One of the latest messages, with its session.
     *
     * @param message the row, its content cut to the length asked for
     * @param session the session name, or {@code null} for a message with no conversation
     */
    public record TailLine(MessageRecord message, String session) {
    }

    /**
     * One of the latest messages as stored, for troubleshooting: its role may be one aj does not know.
     *
     * @param id        the message id
     * @param session   the session name, or {@code null} for a message with no conversation
     * @param role      the role as stored (possibly {@code null})
     * @param roleKnown whether aj accepts the role (system, user, assistant); aj panics on any other
     * @param content   the content, cut to the length asked for
     * @param dynamic   the {@code dynamic} flag as aj reads it (any non-zero number is true)
     */
    public record TailRow(long id, String session, String role, boolean roleKnown, String content, boolean dynamic) {
    }

    /** A row that breaks a foreign key, as {@code PRAGMA foreign_key_check} reports it. */
    public record ForeignKeyViolation(String table, Long rowid, String parent) {
        /** @return e.g. {@code "messages row 7 points to a missing conversations row"} */
        public String describe() {
            return table + " row " + rowid + " points to a missing " + parent + " row";
        }
    }

    /**
     * Something in the file that makes aj panic or fail, or an anomaly it tolerates.
     *
     * @param table   the table concerned
     * @param id      the row id concerned
     * @param problem one line naming the row and the value (never an API key or message content)
     * @param fatal   whether aj panics or fails on it; {@code false} for what aj reads anyway (content
     *                stored as a BLOB or a number, {@code dynamic} other than 0 or 1, a row of a missing
     *                conversation)
     */
    public record AjHazard(String table, long id, String problem, boolean fatal) {
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
        store.requireSqlite("the table listing");
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
                     ResultSet rs = st.executeQuery("SELECT count(*) FROM " + Sql.quote(name))) {
                    rs.next();
                    out.add(new TableCount(name, rs.getLong(1)));
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
     * @throws InvalidDataException one of them holds a role aj does not know
     */
    public List<TailLine> tail(int count, int maxChars) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be >= 1, was " + maxChars);
        }
        return jdbc.read(c -> {
            List<TailLine> out = AjTables.latestMessages(c, count, maxChars, AjTables.refuseRow(store.file()),
                    TailLine::new);
            Collections.reverse(out);
            return out;
        });
    }

    /**
     * As {@link #tail}, but a row with a role aj does not know is returned flagged
     * ({@link TailRow#roleKnown()} false) instead of refused: for a troubleshooting view.
     *
     * @param count    how many messages, at least 0
     * @param maxChars how much of each content to read, at least 1
     * @return the latest messages, newest last
     */
    public List<TailRow> tailRows(int count, int maxChars) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be >= 1, was " + maxChars);
        }
        return jdbc.read(c -> {
            List<TailRow> out = AjTables.latestRows(c, count, maxChars, (id, session, role, content, dynamic) ->
                    new TailRow(id, session, role, io.github.ajsessions.model.Role.isKnown(role), content, dynamic));
            Collections.reverse(out);
            return out;
        });
    }

    /** @return {@code PRAGMA integrity_check}'s lines: exactly {@code ["ok"]} for a sound file */
    public List<String> integrityCheck() {
        store.requireSqlite("PRAGMA integrity_check");
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
        store.requireSqlite("PRAGMA foreign_key_check");
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
        store.requireSqlite("PRAGMA foreign_keys");
        return jdbc.read(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA foreign_keys")) {
                return rs.next() && rs.getInt(1) == 1;
            }
        });
    }

    /** @return how many config snapshots hold a non-empty API key */
    public long storedApiKeys() {
        return jdbc.read(AjTables::storedApiKeys);
    }

    /** @return the database's size in bytes as SQLite sees it ({@code page_count * page_size}) */
    public long databaseBytes() {
        store.requireSqlite("the file size");
        return jdbc.read(Jdbc2::databaseBytes);
    }

    /**
     * The rows aj would panic or fail on, and the anomalies it tolerates. Fatal: a non-empty
     * conversation with fewer rows than aj's 3-row preamble, a role other than system/user/assistant
     * (or NULL), an id above 2,147,483,647, TEXT that is not valid UTF-8 in any of aj's text columns,
     * NULL content or {@code dynamic}. Not fatal: content stored as a BLOB or a number, {@code dynamic}
     * other than 0 or 1, a row whose conversation is missing. Reads every text value once, in pages of
     * short queries.
     *
     * @param limit at most this many hazards of each kind
     */
    public List<AjHazard> ajHazards(int limit) {
        List<AjHazard> out = new ArrayList<>();
        AjTables.HazardSink sink = (table, id, problem, fatal) -> out.add(new AjHazard(table, id, problem, fatal));
        // auto-commit: each query is a short read of its own (the encoding scan pages), so aj may write in between
        jdbc.read(c -> {
            AjTables.hazards(c, limit, sink);
            return null;
        });
        return out;
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
