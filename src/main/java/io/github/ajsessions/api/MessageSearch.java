package io.github.ajsessions.api;

import io.github.ajsessions.core.InvalidDataException;
import io.github.ajsessions.core.SearchIndexMissingException;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.internal.jdbc.Sql;
import io.github.ajsessions.internal.tables.AjTables;
import io.github.ajsessions.model.MessageRecord;
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
     * @param message the message found
     * @param session its session name ({@code null} for a message of no conversation)
     * @param rank    FTS5's bm25 rank: lower is better
     */
    public record Hit(MessageRecord message, String session, double rank) {
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
        if (store.backend().isPostgres()) {
            return 0; // the server keeps its full-text index (a GIN index of the PostgreSQL migrations) itself
        }
        Progress report = progress == null ? Progress.NONE : progress;
        jdbc.write(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE VIRTUAL TABLE IF NOT EXISTS " + INDEX_TABLE + " USING fts5(content, content='',"
                        + " contentless_delete=1, tokenize='unicode61 remove_diacritics 2')");
            }
            return null;
        });
        long[] state = jdbc.read(c -> new long[] {
            Sql.single(c, "SELECT coalesce(max(rowid), 0) FROM " + INDEX_TABLE),
            Sql.single(c, "SELECT count(*) FROM " + INDEX_TABLE)});
        long indexedUpTo = state[0];
        long stale = jdbc.read(c -> AjTables.countMessagesById(c, indexedUpTo, false));
        if (stale != state[1]) {
            jdbc.write(c -> {
                AjTables.dropDeletedFromIndex(c, INDEX_TABLE);
                return null;
            });
        }
        long todo = jdbc.read(c -> AjTables.countMessagesById(c, indexedUpTo, true));
        long done = 0;
        long after = indexedUpTo;
        report.update(0, todo);
        while (done < todo) {
            long from = after;
            long[] batch = jdbc.write(c -> new long[] {AjTables.indexMessagesAfter(c, INDEX_TABLE, from, BATCH),
                Sql.single(c, "SELECT coalesce(max(rowid), 0) FROM " + INDEX_TABLE)});
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
     * @throws SearchIndexMissingException the store is read-only and the file has no index yet
     * @throws InvalidDataException        a hit holds a role aj does not know
     */
    public List<Hit> search(String text, int limit, Progress progress) {
        String query = toQuery(text);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
        if (store.backend().isPostgres()) {
            return jdbc.read(c -> AjTables.searchMessagesFullText(c, text.trim(), limit,
                    AjTables.refuseRow(store.file()), Hit::new));
        }
        if (store.config().schemaMode() != StoreConfig.SchemaMode.READ_ONLY) {
            refresh(progress);
        }
        return jdbc.read(c -> {
            try {
                return AjTables.searchMessages(c, INDEX_TABLE, query, limit, AjTables.refuseRow(store.file()),
                        Hit::new);
            } catch (SQLException e) {
                if (String.valueOf(e.getMessage()).contains("no such table")) {
                    throw new SearchIndexMissingException(store.file(), e);
                }
                throw e;
            }
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
}
