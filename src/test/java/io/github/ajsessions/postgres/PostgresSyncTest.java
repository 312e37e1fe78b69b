package io.github.ajsessions.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ajsessions.api.ConfigSnapshot;
import io.github.ajsessions.api.PostgresSync;
import io.github.ajsessions.api.Preamble;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.AjSessionsException;
import io.github.ajsessions.core.MissingPreambleException;
import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.core.SessionExistsException;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.model.MessageRecord;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.testkit.AjDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** sync from aj.db files into a real server, and pull back, through the real migrations on both sides. */
class PostgresSyncTest {

    @TempDir
    Path folder;

    @RegisterExtension
    final PgTestServer.SchemaPerTest schema = new PgTestServer.SchemaPerTest();

    private Path ajFile(String name, int turns) {
        Path file = folder.resolve(name);
        try (SessionStore store = SessionStore.open(file)) {
            store.findOrCreateSession("s", Preamble.defaults());
            for (int i = 0; i < turns; i++) {
                store.appendTurn("s", name + " q" + i, name + " a" + i);
            }
            store.recordConfigSnapshot("s", new ConfigSnapshot("http://x/v1", "sk-secret-key", "m1", 8192, 1024,
                    List.of("a", "b")));
            store.findOrCreateSession("other", Preamble.defaults());
        }
        return file;
    }

    private PostgresSync.SyncResult sync(Path file, boolean prune) {
        return PostgresSync.sync(StoreConfig.forFile(file), schema.urlWithCredentials(), prune, false, null);
    }

    private long count(String sql) throws Exception {
        try (Connection c = schema.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<String> contents(String origin, String session) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = schema.connect(); PreparedStatement ps = c.prepareStatement("SELECT m.content FROM messages m"
                + " JOIN conversations c ON c.id = m.conversation_id WHERE c.origin_id = ? AND c.session_name = ?"
                + " ORDER BY m.id")) {
            ps.setString(1, origin);
            ps.setString(2, session);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    @Test
    void syncIsIncrementalIdempotentAndKeepsTheOrigin() throws Exception {
        Path file = ajFile("a.db", 5);
        PostgresSync.SyncResult first = sync(file, false);
        assertThat(first.origin()).endsWith(":" + file.toAbsolutePath());
        assertThat(first.sessions()).isEqualTo(2);
        assertThat(first.messages()).isEqualTo(3 + 10 + 3);
        assertThat(first.snapshots()).isEqualTo(1);
        assertThat(contents(first.origin(), "s")).hasSize(13).startsWith(Preamble.DEFAULT_SYSTEM_PROMPT)
                .endsWith("a.db q4", "a.db a4");
        assertThat(count("SELECT count(*) FROM awful_configs WHERE api_key = '' AND model = 'm1'"))
                .as("the key stays home").isEqualTo(1);

        PostgresSync.SyncResult again = sync(file, false);
        assertThat(again).isEqualTo(new PostgresSync.SyncResult(first.origin(), 0, 0, 0, 0, 0));
        assertThat(count("SELECT count(*) FROM messages")).isEqualTo(16);

        try (SessionStore store = SessionStore.open(file)) {
            store.appendTurn("s", "new q", "new a");
            store.renameSession("other", "renamed");
        }
        PostgresSync.SyncResult third = sync(file, false);
        assertThat(third.messages()).isEqualTo(2);
        assertThat(third.renamed()).isEqualTo(1);
        assertThat(contents(first.origin(), "s")).hasSize(15).endsWith("new q", "new a");
        assertThat(count("SELECT count(*) FROM conversations WHERE session_name = 'renamed'")).isEqualTo(1);

        try (SessionStore store = SessionStore.open(file)) {
            store.deleteSession("renamed");
        }
        assertThat(sync(file, false).pruned()).isZero();
        assertThat(count("SELECT count(*) FROM conversations")).as("kept without --prune").isEqualTo(2);
        assertThat(sync(file, true).pruned()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM conversations")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM messages")).isEqualTo(15);
    }

    @Test
    void aSessionDeletedOnTheServerStaysDeleted() throws Exception {
        Path file = ajFile("d.db", 2);
        sync(file, false);
        try (SessionStore server = SessionStore.open(StoreConfig.builder().database(schema.urlWithCredentials()).build())) {
            assertThat(server.deleteSession("s")).isTrue();
        }
        try (SessionStore store = SessionStore.open(file)) {
            store.appendTurn("s", "after", "the delete");
            store.appendTurn("other", "still", "synced");
        }
        PostgresSync.SyncResult r = sync(file, false);
        assertThat(count("SELECT count(*) FROM messages WHERE conversation_id IS NULL")).as("no orphans").isZero();
        assertThat(count("SELECT count(*) FROM messages WHERE content = 'after'")).isZero();
        assertThat(count("SELECT count(*) FROM messages WHERE content = 'still'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM conversations WHERE session_name = 's'")).isZero();
        assertThat(r.sessions()).isZero();
    }

    @Test
    void threeConcurrentSyncsFromThreeFilesGiveTheExactUnion() throws Exception {
        List<Path> files = List.of(ajFile("one.db", 30), ajFile("two.db", 40), ajFile("three.db", 50));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<PostgresSync.SyncResult>> runs = new ArrayList<>();
            for (Path f : files) {
                runs.add(pool.submit(() -> sync(f, false)));
                runs.add(pool.submit(() -> sync(f, false))); // the same file twice at once: still each row once
            }
            for (Future<PostgresSync.SyncResult> r : runs) {
                r.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long expected = (3 + 60 + 3) + (3 + 80 + 3) + (3 + 100 + 3);
        assertThat(count("SELECT count(*) FROM messages")).isEqualTo(expected);
        assertThat(count("SELECT count(DISTINCT (origin_id, origin_aj_id)) FROM messages")).isEqualTo(expected);
        assertThat(count("SELECT count(*) FROM conversations WHERE session_name = 's'")).as("same name, 3 machines")
                .isEqualTo(3);
        assertThat(count("SELECT count(*) FROM aj_sessions_origins")).isEqualTo(3);
        for (Path f : files) {
            String name = f.getFileName().toString();
            List<String> rows = contents(PostgresSync.originOf(f), "s");
            assertThat(rows).as(name).hasSize(3 + 2 * (name.equals("one.db") ? 30 : name.equals("two.db") ? 40 : 50));
            assertThat(rows.get(3)).isEqualTo(name + " q0");
        }
    }

    @Test
    void aFileThatWentBackwardsIsRefusedWithNothingWritten() throws Exception {
        Path file = ajFile("r.db", 5);
        sync(file, false);
        java.nio.file.Files.delete(file);
        ajFile("r.db", 1);
        assertThatThrownBy(() -> sync(file, false)).isInstanceOf(AjSessionsException.class)
                .hasMessageContaining("holds fewer rows than were synced from it")
                .hasMessageEndingWith("it was reset or replaced; nothing was written");
        assertThat(count("SELECT count(*) FROM messages")).isEqualTo(16);
    }

    @Test
    void pullWritesAServerSessionInAjsLayout() throws Exception {
        Path file = ajFile("laptop.db", 3);
        sync(file, false);
        Path local = folder.resolve("other-machine.db");
        AjDatabases.create(local, SchemaVariant.AJ_INIT);
        StoreConfig target = StoreConfig.forFile(local);
        PostgresSync.PullResult pulled = PostgresSync.pull(schema.urlWithCredentials(), "s", null, target, null);
        assertThat(pulled.messages()).isEqualTo(9);
        assertThat(pulled.snapshots()).isEqualTo(1);
        try (SessionStore store = SessionStore.open(local)) {
            List<MessageRecord> history = store.history("s");
            assertThat(history).extracting(MessageRecord::role).startsWith(Role.SYSTEM, Role.USER, Role.ASSISTANT);
            assertThat(history).extracting(MessageRecord::content).endsWith("laptop.db q2", "laptop.db a2");
            assertThat(store.configSnapshots("s")).singleElement()
                    .satisfies(s -> assertThat(s.stopWords()).containsExactly("a", "b"));
            // aj continues it: its own statements on the file
            store.appendTurn("s", "continued", "yes");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + local); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT typeof(dynamic), count(*) FROM messages GROUP BY 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("integer");
            assertThat(rs.getLong(2)).isEqualTo(11);
            assertThat(rs.next()).isFalse();
        }
        assertThatThrownBy(() -> PostgresSync.pull(schema.urlWithCredentials(), "s", null, target, null))
                .isInstanceOf(SessionExistsException.class).hasMessageContaining("give another name with --as");
        assertThat(PostgresSync.pull(schema.urlWithCredentials(), "s", null, target, "copy").messages()).isEqualTo(9);
    }

    @Test
    void pullRefusesASessionWithoutAjsPreambleAndAnAmbiguousName() throws Exception {
        try (SessionStore server = SessionStore.open(StoreConfig.builder().database(schema.urlWithCredentials()).build())) {
            server.findOrCreateSession("bare");
        }
        try (Connection c = schema.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO messages (role, content, conversation_id) SELECT 'user', 'hi', id FROM conversations");
        }
        Path local = folder.resolve("l.db");
        StoreConfig target = StoreConfig.forFile(local);
        assertThatThrownBy(() -> PostgresSync.pull(schema.urlWithCredentials(), "bare", null, target, null))
                .isInstanceOf(MissingPreambleException.class).hasMessageContaining("nothing was pulled");
        sync(ajFile("x.db", 1), false);
        sync(ajFile("y.db", 1), false);
        assertThatThrownBy(() -> PostgresSync.pull(schema.urlWithCredentials(), "s", null, target, null))
                .isInstanceOf(SessionExistsException.class).hasMessageContaining("choose one with --origin");
        try (SessionStore store = SessionStore.open(local)) {
            assertThat(store.listSessions()).isEmpty();
        }
        assertThat(PostgresSync.pull(schema.urlWithCredentials(), "s", PostgresSync.originOf(folder.resolve("y.db")), target,
                null).messages()).isEqualTo(5);
    }
}
