package io.github.ajsessions.api;

import com.zaxxer.hikari.HikariDataSource;
import io.github.ajsessions.core.MissingPreambleException;
import io.github.ajsessions.core.SessionExistsException;
import io.github.ajsessions.core.SessionNotFoundException;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.internal.bootstrap.WriteTransaction;
import io.github.ajsessions.internal.errors.SqliteErrors;
import io.github.ajsessions.internal.postgres.PgErrors;
import io.github.ajsessions.internal.postgres.PgSchema;
import io.github.ajsessions.internal.postgres.PgUrl;
import io.github.ajsessions.internal.postgres.PostgresBackend;
import io.github.ajsessions.internal.tables.AjRules;
import io.github.ajsessions.internal.tables.AjTables;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.model.SessionRecord;
import io.github.ajsessions.model.SnapshotRecord;
import io.github.ajsessions.model.StopWordsConverter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one server session into a local aj.db in aj's layout: a new conversation with ids SQLite
 * assigns, its messages in the server's id order, then its config snapshots, all in one {@code BEGIN
 * IMMEDIATE} transaction (all or nothing). A session that is not empty must start with aj's preamble
 * (system, user, assistant), or aj would panic on it: refused otherwise.
 */
final class PostgresPull {

    /** What was pulled. */
    public record Result(String session, String origin, long messages, long snapshots) {
    }

    private record Row(Role role, String content) {
    }

    private PostgresPull() {
    }

    /**
     * @param origin    the server origin of the session ({@code ""} for the server's own sessions), or
     *                  {@code null} when the name is unique on the server
     * @param localName the name to give it locally
     * @throws SessionNotFoundException no such session on the server
     * @throws SessionExistsException   {@code localName} exists in the local file, or the name is on the server
     *                                  from several origins and {@code origin} was not given
     */
    public static Result pull(String serverUrl, String session, String origin, SessionStore local, String localName) {
        PostgresBackend.requireDriver();
        PgUrl url = PgUrl.parse(serverUrl);
        List<Row> rows = new ArrayList<>();
        List<SnapshotRecord> snapshots = new ArrayList<>();
        String foundOrigin;
        try (HikariDataSource server = PostgresBackend.pool(url, 1, local.config().busyTimeout(), true,
                "aj-sessions-pull(" + url + ")")) {
            PgSchema.prepare(server, url.where(), StoreConfig.builder().database(serverUrl)
                    .schemaMode(StoreConfig.SchemaMode.VALIDATE).build());
            try (Connection pg = server.getConnection()) {
                // one snapshot of the server: the session's rows as of one moment
                pg.setAutoCommit(false);
                pg.createStatement().execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                long id;
                List<String> origins = new ArrayList<>();
                List<Long> ids = new ArrayList<>();
                try (PreparedStatement ps = pg.prepareStatement("SELECT id, origin_id FROM conversations"
                        + " WHERE session_name = ?" + (origin == null ? "" : " AND origin_id = ?") + " ORDER BY id")) {
                    ps.setString(1, session);
                    if (origin != null) {
                        ps.setString(2, origin);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getLong(1));
                            origins.add(rs.getString(2));
                        }
                    }
                }
                if (ids.isEmpty()) {
                    throw new SessionNotFoundException(url.where(), session);
                }
                if (ids.size() > 1) {
                    throw new SessionExistsException(url.where(), List.of(session), "session '" + session + "' is on "
                            + url + " " + ids.size() + " times, from origins " + origins + "; choose one with --origin");
                }
                id = ids.get(0);
                foundOrigin = origins.get(0);
                try (PreparedStatement ps = pg.prepareStatement("SELECT role, content FROM messages"
                        + " WHERE conversation_id = ? ORDER BY id")) {
                    ps.setLong(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rows.add(new Row(Role.fromDbValue(rs.getString(1)), rs.getString(2)));
                        }
                    }
                }
                StopWordsConverter stopWords = new StopWordsConverter();
                try (PreparedStatement ps = pg.prepareStatement("SELECT api_base, api_key, model, context_max_tokens,"
                        + " assistant_minimum_context_tokens, stop_words FROM awful_configs"
                        + " WHERE conversation_id = ? ORDER BY id")) {
                    ps.setLong(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            snapshots.add(new SnapshotRecord(0, null, rs.getString(1), rs.getString(2),
                                    rs.getString(3), rs.getInt(4), rs.getInt(5),
                                    stopWords.convertToEntityAttribute(rs.getString(6))));
                        }
                    }
                }
                pg.commit();
            } catch (SQLException e) {
                throw PgErrors.translate(e, url.where(), local.config().busyTimeout(), "cannot read " + url);
            }
        }
        requirePreamble(rows, local.file(), session);
        Path file = local.file();
        try (Connection c = local.dataSource().getConnection(); WriteTransaction tx = WriteTransaction.immediate(c)) {
            if (AjTables.findSession(c, localName) != null) {
                throw new SessionExistsException(file, List.of(localName), "nothing was pulled (give another name"
                        + " with --as)");
            }
            SessionRecord created = AjTables.insertSession(c, null, localName, file);
            if (!rows.isEmpty()) {
                AjTables.insertMessages(c, created.id(), rows.stream().map(Row::role).toList(),
                        rows.stream().map(Row::content).toList(), file);
            }
            for (SnapshotRecord s : snapshots) {
                AjTables.insertSnapshot(c, new SnapshotRecord(0, created.id(), s.apiBase(), s.apiKey(), s.model(),
                        s.contextMaxTokens(), s.assistantMinimumContextTokens(), s.stopWords()), file);
            }
            tx.commit();
        } catch (SQLException | RuntimeException e) {
            throw SqliteErrors.translate(e, file, local.config().busyTimeout(), null);
        }
        return new Result(localName, foundOrigin, rows.size(), snapshots.size());
    }

    private static void requirePreamble(List<Row> rows, Path file, String session) {
        if (rows.isEmpty()) {
            return;
        }
        List<Role> expected = List.of(Role.SYSTEM, Role.USER, Role.ASSISTANT);
        for (int i = 0; i < AjRules.PREAMBLE_ROWS; i++) {
            if (i >= rows.size() || rows.get(i).role() != expected.get(i)) {
                throw new MissingPreambleException(file, session, "server session '" + session + "' does not start"
                        + " with aj's preamble (system, user, assistant); aj would panic on it: nothing was pulled");
            }
        }
    }

}
