package io.github.ajsessions.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Full-text search over message content with SQLite's FTS5, reached through
 * {@link SessionStore#search()}.
 *
 * <p>The index is a contentless FTS5 table of this module's own, {@value #INDEX_TABLE}, keyed by the
 * message id. No trigger is added to aj's tables (an aj build whose SQLite lacks FTS5 would then
 * fail every insert); instead the index is brought up to date by id before each search: aj only
 * appends, with ids that only grow, so the messages above the highest indexed id are the new ones,
 * and deleted messages (this module's {@code deleteSession}) are dropped from the index when the
 * counts disagree. Indexing runs in short write transactions of {@value #BATCH} messages.
 */
public final class MessageSearch {

    /** The FTS5 table (and the prefix of its shadow tables). */
    public static final String INDEX_TABLE = "aj_sessions_search";
    /** Messages indexed per write transaction. */
    public static final int BATCH = 5000;

    /**
     * One hit, best first.
     *
     * @param messageId the message id
     * @param session   its session name ({@code null} for a message of no conversation)
     * @param role      its role as stored
     * @param content   its content
     * @param rank      FTS5's bm25 rank: lower is better
     */
    public record Hit(long messageId, String session, String role, String content, double rank) {
    }

    private final SessionStore store;
    private final Jdbc jdbc;

    MessageSearch(SessionStore store) {
        this.store = store;
        this.jdbc = new Jdbc(store);
    }

    /**
     * Creates the index when missing and indexes the messages it lacks; drops deleted ones.
     *
     * @return how many messages were indexed now
     */
    public long refresh(Progress progress) {
        Progress report = progress == null ? Progress.NONE : progress;
        jdbc.write(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE VIRTUAL TABLE IF NOT EXISTS " + INDEX_TABLE + " USING fts5(content, content='',"
                        + " contentless_delete=1, tokenize='unicode61 remove_diacritics 2')");
            }
            return null;
        });
        long[] state = jdbc.read(c -> new long[] {
            single(c, "SELECT coalesce(max(rowid), 0) FROM " + INDEX_TABLE),
            single(c, "SELECT count(*) FROM " + INDEX_TABLE)});
        long indexedUpTo = state[0];
        long stale = jdbc.read(c -> single(c, "SELECT count(*) FROM messages WHERE id <= " + indexedUpTo));
        if (stale != state[1]) {
            jdbc.write(c -> {
                try (Statement st = c.createStatement()) {
                    st.executeUpdate("DELETE FROM " + INDEX_TABLE + " WHERE rowid NOT IN (SELECT id FROM messages)");
                }
                return null;
            });
        }
        long todo = jdbc.read(c -> single(c, "SELECT count(*) FROM messages WHERE id > " + indexedUpTo));
        long done = 0;
        long after = indexedUpTo;
        report.update(0, todo);
        while (done < todo) {
            long from = after;
            long[] batch = jdbc.write(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + INDEX_TABLE + " (rowid, content)"
                        + " SELECT id, content FROM messages WHERE id > ? ORDER BY id LIMIT " + BATCH)) {
                    ps.setLong(1, from);
                    int n = ps.executeUpdate();
                    return new long[] {n, single(c, "SELECT coalesce(max(rowid), 0) FROM " + INDEX_TABLE)};
                }
            });
            if (batch[0] == 0) {
                break;
            }
            done += batch[0];
            after = batch[1];
            report.update(Math.min(done, todo), todo);
        }
        return done;
    }

    /**
     * Brings the index up to date, then searches.
     *
     * @param text  words to find (all of them, in any order); FTS5 syntax is not interpreted
     * @param limit at most this many hits
     * @return hits, best first
     */
    public List<Hit> search(String text, int limit, Progress progress) {
        String query = toQuery(text);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
        if (store.config().schemaMode() != StoreConfig.SchemaMode.READ_ONLY) {
            refresh(progress);
        }
        return jdbc.read(c -> {
            List<Hit> hits = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT m.id, c.session_name, m.role, m.content,"
                    + " bm25(" + INDEX_TABLE + ") AS r FROM " + INDEX_TABLE + " s JOIN messages m ON m.id = s.rowid"
                    + " LEFT JOIN conversations c ON c.id = m.conversation_id WHERE " + INDEX_TABLE + " MATCH ?"
                    + " ORDER BY r, m.id LIMIT ?")) {
                ps.setString(1, query);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        hits.add(new Hit(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getDouble(5)));
                    }
                }
            } catch (SQLException e) {
                if (String.valueOf(e.getMessage()).contains("no such table")) {
                    throw new IllegalStateException("no search index in " + store.file()
                            + " yet: search once with a store that may write", e);
                }
                throw e;
            }
            return hits;
        });
    }

    /** Each word becomes a quoted FTS5 string, so that punctuation and FTS5 keywords are plain text. */
    static String toQuery(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("search text must not be empty");
        }
        List<String> terms = new ArrayList<>();
        for (String word : text.trim().split("\\s+")) {
            terms.add("\"" + word.replace("\"", "\"\"") + "\"");
        }
        return String.join(" ", terms);
    }

    /**
     * @return about {@code width} characters of {@code content} around the first occurrence of a word
     *         of {@code text} (case-insensitive), on one line
     */
    public static String snippet(String content, String text, int width) {
        String flat = content.replaceAll("\\s+", " ").trim();
        String lower = flat.toLowerCase(Locale.ROOT);
        int at = -1;
        for (String word : text.trim().toLowerCase(Locale.ROOT).split("\\s+")) {
            int i = lower.indexOf(word);
            if (i >= 0 && (at < 0 || i < at)) {
                at = i;
            }
        }
        if (flat.length() <= width) {
            return flat;
        }
        int start = Math.max(0, Math.min(at < 0 ? 0 : at - width / 3, flat.length() - width));
        String cut = flat.substring(start, Math.min(flat.length(), start + width));
        return (start > 0 ? "…" : "") + cut + (start + width < flat.length() ? "…" : "");
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
