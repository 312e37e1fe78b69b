package io.github.ajsessions.api;

import com.zaxxer.hikari.HikariDataSource;
import io.github.ajsessions.core.AjSessionsException;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.internal.errors.SqliteErrors;
import io.github.ajsessions.internal.jdbc.Sql;
import io.github.ajsessions.internal.postgres.PgErrors;
import io.github.ajsessions.internal.postgres.PgSchema;
import io.github.ajsessions.internal.postgres.PgUrl;
import io.github.ajsessions.internal.postgres.PostgresBackend;
import io.github.ajsessions.internal.tables.AjTables;
import io.github.ajsessions.model.MessageRecord;
import io.github.ajsessions.model.SnapshotRecord;
import io.github.ajsessions.model.StopWordsConverter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Copies one aj.db into a PostgreSQL server, incrementally: the rows whose aj id is above that file's
 * high-water marks ({@code aj_sessions_origins}), in server transactions of one batch each that also
 * move the mark, so that a killed run loses nothing and the next one resumes. Every copied row keeps its
 * origin (the file) and its aj id, unique together, and is inserted {@code ON CONFLICT DO NOTHING}: runs
 * that overlap (the same file synced twice at once, a retried batch) write each row once.
 *
 * <p>The file is opened read-only and read in pages, each one short statement in auto-commit, so no
 * lock outlives a page (aj, which has no busy timeout, can write between pages). The upper bounds (the
 * AUTOINCREMENT counters) are read first, in one statement: aj only appends, and its ids ascend with its
 * commits, so the rows up to them form a consistent snapshot whatever aj appends while the sync runs
 * (those rows go next time).
 *
 * <p>Names and deletions: a conversation renamed in the file is renamed on the server; a conversation
 * deleted from the file stays on the server unless {@code prune} is set, which deletes it there (with
 * its messages and snapshots). API keys are copied only when asked ({@code includeApiKeys}); otherwise
 * the server's snapshots hold {@code ""}.
 */
final class PostgresSyncRun {

    /** What one run did. */
    public record Result(String origin, long sessions, long messages, long snapshots, long renamed, long pruned) {
    }

    private PostgresSyncRun() {
    }

    /** @return the origin of a file: this machine's host name and the file's absolute path */
    public static String originOf(Path file) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
        return host + ":" + file.toAbsolutePath().normalize();
    }

    /**
     * @param source     the aj.db, opened read-only
     * @param serverUrl  a {@code jdbc:postgresql:} URL; its schema is migrated (or refused) before any write
     * @param batchSize  rows per server transaction (≥ 1)
     * @param progress   told the number of messages copied so far, after each batch
     */
    public static Result sync(SessionStore source, String serverUrl, String origin, boolean prune,
                              boolean includeApiKeys, int batchSize, LongConsumer progress) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
        }
        PostgresBackend.requireDriver();
        PgUrl url = PgUrl.parse(serverUrl);
        Duration timeout = source.config().busyTimeout();
        StoreConfig serverConfig = StoreConfig.builder().database(serverUrl).build();
        // batched INSERTs rewritten into multi-row statements by the driver: the bulk of a sync's speed
        PgUrl batched = PgUrl.parse(serverUrl + (serverUrl.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true");
        try (HikariDataSource server = PostgresBackend.pool(batched, 1, timeout, false, "aj-sessions-sync(" + url + ")")) {
            PgSchema.prepare(server, url.where(), serverConfig);
            try (Connection pg = server.getConnection()) {
                return new Run(source, pg, url.where(), origin, includeApiKeys, batchSize, progress).run(prune);
            } catch (SourceFailure e) {
                throw SqliteErrors.translate(e.getCause(), source.file(), timeout, "cannot read " + source.file());
            } catch (SQLException | RuntimeException e) {
                throw PgErrors.translate(e, url.where(), timeout, "sync of " + source.file() + " into " + url
                        + " failed");
            }
        }
    }

    private static final class Run {

        private static final StopWordsConverter STOP_WORDS = new StopWordsConverter();
        private final SessionStore source;
        private final Connection pg;
        private final Path where;
        private final String origin;
        private final boolean includeApiKeys;
        private final int batchSize;
        private final LongConsumer progress;

        Run(SessionStore source, Connection pg, Path where, String origin, boolean includeApiKeys, int batchSize,
            LongConsumer progress) {
            this.source = source;
            this.pg = pg;
            this.where = where;
            this.origin = origin;
            this.includeApiKeys = includeApiKeys;
            this.batchSize = batchSize;
            this.progress = progress == null ? n -> { } : progress;
        }

        Result run(boolean prune) throws SQLException {
            try (PreparedStatement ps = pg.prepareStatement("INSERT INTO aj_sessions_origins (origin_id, file, host)"
                    + " VALUES (?, ?, ?) ON CONFLICT (origin_id) DO NOTHING")) {
                ps.setString(1, origin);
                ps.setString(2, source.file().toString());
                ps.setString(3, origin.substring(0, Math.max(0, origin.indexOf(':'))));
                ps.executeUpdate();
            }
            long[] marks = marks();
            long[] bounds = readSource(c -> {
                // AUTOINCREMENT's counters: the highest id ever given, which deleting rows does not lower (the
                // largest id would), so that only a reset or replaced file goes below the marks
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT"
                        + " (SELECT max(coalesce(max(id), 0), coalesce((SELECT seq FROM sqlite_sequence"
                        + "   WHERE name = 'conversations'), 0)) FROM conversations),"
                        + " (SELECT max(coalesce(max(id), 0), coalesce((SELECT seq FROM sqlite_sequence"
                        + "   WHERE name = 'messages'), 0)) FROM messages),"
                        + " (SELECT max(coalesce(max(id), 0), coalesce((SELECT seq FROM sqlite_sequence"
                        + "   WHERE name = 'awful_configs'), 0)) FROM awful_configs)")) {
                    rs.next();
                    return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
                }
            });
            if (bounds[0] < marks[0] || bounds[1] < marks[1] || bounds[2] < marks[2]) {
                throw new AjSessionsException(source.file(), "the file " + source.file() + " holds fewer rows than"
                        + " were synced from it (newest message id " + bounds[1] + ", synced up to " + marks[1]
                        + "): it was reset or replaced; nothing was written", null);
            }
            Map<Long, String> names = readSource(c -> {
                Map<Long, String> out = new LinkedHashMap<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT id, session_name FROM conversations"
                        + " WHERE id <= ? ORDER BY id")) {
                    ps.setLong(1, bounds[0]);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.put(rs.getLong(1), rs.getString(2));
                        }
                    }
                }
                return out;
            });
            long[] sessionWork = conversations(names, marks[0], bounds[0], prune);
            Map<Long, Long> ids = serverIds();
            long messages = messages(ids, marks[1], bounds[1]);
            long snapshots = snapshots(ids, marks[2], bounds[2]);
            try (PreparedStatement ps = pg.prepareStatement("UPDATE aj_sessions_origins SET synced_at = now()"
                    + " WHERE origin_id = ?")) {
                ps.setString(1, origin);
                ps.executeUpdate();
            }
            return new Result(origin, sessionWork[0], messages, snapshots, sessionWork[1], sessionWork[2]);
        }

        private long[] marks() throws SQLException {
            try (PreparedStatement ps = pg.prepareStatement("SELECT last_conversation_id, last_message_id,"
                    + " last_snapshot_id FROM aj_sessions_origins WHERE origin_id = ?")) {
                ps.setString(1, origin);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
                }
            }
        }

        /** New conversations, renames and (with prune) deletions, in one server transaction. */
        private long[] conversations(Map<Long, String> names, long mark, long bound, boolean prune) throws SQLException {
            long inserted = 0;
            long renamed = 0;
            long pruned = 0;
            pg.setAutoCommit(false);
            try {
                try (PreparedStatement insert = pg.prepareStatement("INSERT INTO conversations (session_name,"
                        + " origin_id, origin_aj_id) VALUES (?, ?, ?) ON CONFLICT (origin_id, origin_aj_id) DO NOTHING");
                     PreparedStatement rename = pg.prepareStatement("UPDATE conversations SET session_name = ?"
                             + " WHERE origin_id = ? AND origin_aj_id = ? AND session_name <> ?")) {
                    for (Map.Entry<Long, String> e : names.entrySet()) {
                        if (e.getKey() > mark) {
                            insert.setString(1, e.getValue());
                            insert.setString(2, origin);
                            insert.setLong(3, e.getKey());
                            inserted += insert.executeUpdate();
                        } else {
                            rename.setString(1, e.getValue());
                            rename.setString(2, origin);
                            rename.setLong(3, e.getKey());
                            rename.setString(4, e.getValue());
                            renamed += rename.executeUpdate();
                        }
                    }
                }
                if (prune) {
                    pruned = prune(names.keySet());
                }
                setMark("last_conversation_id", bound);
                pg.commit();
            } catch (SQLException | RuntimeException e) {
                pg.rollback();
                throw e;
            } finally {
                pg.setAutoCommit(true);
            }
            return new long[] {inserted, renamed, pruned};
        }

        private long prune(Set<Long> inFile) throws SQLException {
            List<Long> gone = new ArrayList<>();
            try (PreparedStatement ps = pg.prepareStatement("SELECT origin_aj_id, id FROM conversations WHERE origin_id = ?")) {
                ps.setString(1, origin);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (!inFile.contains(rs.getLong(1))) {
                            gone.add(rs.getLong(2));
                        }
                    }
                }
            }
            for (String sql : List.of("DELETE FROM messages WHERE conversation_id = ?",
                    "DELETE FROM awful_configs WHERE conversation_id = ?", "DELETE FROM conversations WHERE id = ?")) {
                try (PreparedStatement ps = pg.prepareStatement(sql)) {
                    for (Long id : gone) {
                        ps.setLong(1, id);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            return gone.size();
        }

        private Map<Long, Long> serverIds() throws SQLException {
            Map<Long, Long> out = new HashMap<>();
            try (PreparedStatement ps = pg.prepareStatement("SELECT origin_aj_id, id FROM conversations WHERE origin_id = ?")) {
                ps.setString(1, origin);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getLong(1), rs.getLong(2));
                    }
                }
            }
            return out;
        }

        private long messages(Map<Long, Long> ids, long mark, long bound) throws SQLException {
            long copied = 0;
            long after = mark;
            while (after < bound) {
                long from = after;
                List<MessageRecord> page = readSource(c -> AjTables.messagesBetween(c, from, bound, batchSize,
                        AjTables.refuseRow(source.file())));
                if (page.isEmpty()) {
                    break;
                }
                long last = page.get(page.size() - 1).id();
                copied += inTransaction("last_message_id", last, () -> {
                    try (PreparedStatement ps = pg.prepareStatement("INSERT INTO messages (role, content, dynamic,"
                            + " conversation_id, origin_id, origin_aj_id) VALUES (?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT (origin_id, origin_aj_id) DO NOTHING")) {
                        for (MessageRecord row : page) {
                            if (deletedOnServer(ids, row.sessionId())) {
                                continue;
                            }
                            ps.setString(1, row.role().dbValue());
                            ps.setString(2, row.content());
                            ps.setBoolean(3, row.dynamic());
                            setParent(ps, 4, ids, row.sessionId());
                            ps.setString(5, origin);
                            ps.setLong(6, row.id());
                            ps.addBatch();
                        }
                        return count(ps.executeBatch());
                    }
                });
                after = last;
                progress.accept(copied);
            }
            return copied;
        }

        private long snapshots(Map<Long, Long> ids, long mark, long bound) throws SQLException {
            long copied = 0;
            long after = mark;
            while (after < bound) {
                long from = after;
                List<SnapshotRecord> page = readSource(c -> AjTables.snapshotsBetween(c, from, bound, batchSize,
                        includeApiKeys));
                if (page.isEmpty()) {
                    break;
                }
                long last = page.get(page.size() - 1).id();
                copied += inTransaction("last_snapshot_id", last, () -> {
                    try (PreparedStatement ps = pg.prepareStatement("INSERT INTO awful_configs (api_base, api_key,"
                            + " model, context_max_tokens, assistant_minimum_context_tokens, stop_words, conversation_id,"
                            + " origin_id, origin_aj_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT (origin_id, origin_aj_id) DO NOTHING")) {
                        for (SnapshotRecord row : page) {
                            if (deletedOnServer(ids, row.sessionId())) {
                                continue;
                            }
                            ps.setString(1, row.apiBase());
                            ps.setString(2, row.apiKey() == null ? "" : row.apiKey()); // kept local: stored as ""
                            ps.setString(3, row.model());
                            ps.setInt(4, row.contextMaxTokens());
                            ps.setInt(5, row.assistantMinimumContextTokens());
                            ps.setString(6, STOP_WORDS.convertToDatabaseColumn(row.stopWords()));
                            setParent(ps, 7, ids, row.sessionId());
                            ps.setString(8, origin);
                            ps.setLong(9, row.id());
                            ps.addBatch();
                        }
                        return count(ps.executeBatch());
                    }
                });
                after = last;
            }
            return copied;
        }

        /**
         * A row of a conversation that was synced and then deleted on the server (by the session API or
         * {@code delete}): the server's deletion wins, the row is not sent. A row without a conversation
         * in the file is sent without one.
         */
        private static boolean deletedOnServer(Map<Long, Long> ids, Long ajConversationId) {
            return ajConversationId != null && !ids.containsKey(ajConversationId);
        }

        private static void setParent(PreparedStatement ps, int index, Map<Long, Long> ids, Long ajId)
                throws SQLException {
            Long serverId = ajId == null ? null : ids.get(ajId);
            if (serverId == null) {
                ps.setNull(index, java.sql.Types.BIGINT);
            } else {
                ps.setLong(index, serverId);
            }
        }

        private static long count(int[] updates) {
            long n = 0;
            for (int u : updates) {
                // the driver's rewritten batches report SUCCESS_NO_INFO (-2) per row: counted as written
                n += u == Statement.SUCCESS_NO_INFO ? 1 : u;
            }
            return n;
        }

        /** One server transaction: the batch and the high-water mark, committed together. */
        private long inTransaction(String markColumn, long mark, SqlWork<Long> batch) throws SQLException {
            pg.setAutoCommit(false);
            try {
                long n = batch.run();
                setMark(markColumn, mark);
                pg.commit();
                return n;
            } catch (SQLException | RuntimeException e) {
                pg.rollback();
                throw e;
            } finally {
                pg.setAutoCommit(true);
            }
        }

        private void setMark(String column, long value) throws SQLException {
            try (PreparedStatement ps = pg.prepareStatement("UPDATE aj_sessions_origins SET " + column
                    + " = GREATEST(" + column + ", ?) WHERE origin_id = ?")) {
                ps.setLong(1, value);
                ps.setString(2, origin);
                ps.executeUpdate();
            }
        }

        private <T> T readSource(SourceWork<T> work) {
            try (Connection c = source.dataSource().getConnection()) {
                return work.apply(c);
            } catch (SQLException e) {
                throw new SourceFailure(e);
            }
        }
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    @FunctionalInterface
    private interface SourceWork<T> {
        T apply(Connection c) throws SQLException;
    }

    /** A failure reading the aj.db (translated as SQLite's by the caller). */
    public static final class SourceFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SourceFailure(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
