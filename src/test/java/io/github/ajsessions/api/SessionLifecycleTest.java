package io.github.ajsessions.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ajsessions.AjClient;
import io.github.ajsessions.FindOrCreateMain;
import io.github.ajsessions.core.MissingPreambleException;
import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.core.SessionNotFoundException;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.model.Conversation;
import io.github.ajsessions.model.Message;
import io.github.ajsessions.model.MessageRecord;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.model.SessionRecord;
import io.github.ajsessions.testkit.AjDatabases;
import io.github.ajsessions.testkit.AjSessionsExtension;
import io.github.ajsessions.testkit.AjVariant;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Deleting, big ids, the pool's settings and concurrent find-or-create. */
@ExtendWith(AjSessionsExtension.class)
class SessionLifecycleTest {

    @TempDir
    Path dir;

    static long count(SessionStore store, String sql) throws SQLException {
        try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void seed(SessionStore store, String name) {
        store.findOrCreateSession(name, Preamble.defaults());
        store.appendTurn(name, "q", "a");
        store.recordConfigSnapshot(name, new ConfigSnapshot("b", "k", "m", 1, 1, List.of("x")));
    }

    @Test
    @AjVariant(SchemaVariant.AJ_INIT)
    void deleteSessionOnAFileWithoutCascadeRemovesEveryRow(SessionStore store, Path file) throws Exception {
        seed(store, "doomed");
        seed(store, "kept");
        // the file really has no cascade: aj's own delete would fail
        try (Connection c = new AjClient(file).connect(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute("DELETE FROM conversations WHERE session_name = 'doomed'"))
                    .hasMessageContaining("FOREIGN KEY constraint failed");
        }
        assertThat(store.deleteSession("doomed")).isTrue();
        assertThat(store.deleteSession("doomed")).isFalse();
        assertThat(store.findSession("doomed")).isEmpty();
        assertThat(count(store, "SELECT count(*) FROM messages")).isEqualTo(5);
        assertThat(count(store, "SELECT count(*) FROM awful_configs")).isEqualTo(1);
        assertThat(store.history("kept")).hasSize(5);
    }

    @Test
    @AjVariant(SchemaVariant.AJ_INIT)
    void emRemoveOfAConversationRemovesItsRowsOnAFileWithoutCascade(SessionStore store) throws Exception {
        seed(store, "doomed");
        seed(store, "kept");
        long id = store.findSession("doomed").orElseThrow().id();
        store.jpa().inTransaction(em -> {
            em.remove(em.find(Conversation.class, id));
            return null;
        });
        assertThat(count(store, "SELECT count(*) FROM conversations WHERE id = " + id)).isZero();
        assertThat(count(store, "SELECT count(*) FROM messages WHERE conversation_id = " + id)).isZero();
        assertThat(count(store, "SELECT count(*) FROM awful_configs WHERE conversation_id = " + id)).isZero();
        assertThat(count(store, "SELECT count(*) FROM messages")).isEqualTo(5);
        // and a single message through the collection helper
        long kept = store.findSession("kept").orElseThrow().id();
        store.jpa().inTransaction(em -> {
            Conversation c = em.find(Conversation.class, kept);
            c.removeMessage(c.getMessages().get(4));
            return null;
        });
        assertThat(store.history("kept")).hasSize(4);
    }

    @Test
    @AjVariant(SchemaVariant.AJ_INIT)
    void idsAboveTwoToThe31RoundTripExactlyAndAWarningIsLogged(SessionStore store, Path file) throws Exception {
        long big = 3_000_000_000L;
        try (Connection c = new AjClient(file).connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO conversations (id, session_name) VALUES (" + big + ", 'big')");
            st.execute("INSERT INTO messages (id, role, content, dynamic, conversation_id) VALUES (" + big
                    + ", 'system', 's', 0, " + big + ")");
            st.execute("INSERT INTO messages (role, content, dynamic, conversation_id) VALUES ('user', 'b', 0, " + big + ")");
            st.execute("INSERT INTO messages (role, content, dynamic, conversation_id) VALUES ('assistant', 'Ok', 0, " + big + ")");
        }
        SessionRecord found = store.findSession("big").orElseThrow();
        assertThat(found.id()).isEqualTo(big);
        assertThat(store.history("big")).extracting(MessageRecord::id).containsExactly(big, big + 1, big + 2);

        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<MessageRecord> turn;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            turn = store.appendTurn("big", "u", "a");
        } finally {
            System.setErr(original);
        }
        assertThat(turn).extracting(MessageRecord::id).containsExactly(big + 3, big + 4);
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .contains("WARN")
                .contains("Message id " + (big + 3) + " in " + file + " is above 2,147,483,647")
                .contains("aj reads ids as 32-bit integers");
        try (Connection c = new AjClient(file).connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, conversation_id FROM messages WHERE content = 'a'")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(big + 4);
            assertThat(rs.getLong(2)).isEqualTo(big);
        }
        // a new conversation after the big one gets a big id too, and is reported
        try {
            captured.reset();
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertThat(store.findOrCreateSession("next").id()).isEqualTo(big + 1);
        } finally {
            System.setErr(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("Conversation id " + (big + 1) + " in " + file);
    }

    @Test
    void everyConnectionOfASaturatedPoolEnforcesForeignKeys(@TempDir Path tmp) throws Exception {
        int size = 6;
        try (SessionStore store = SessionStore.open(StoreConfig.builder().database(tmp.resolve("aj.db"))
                .maximumPoolSize(size).busyTimeout(java.time.Duration.ofMillis(1234)).build())) {
            List<Connection> held = new ArrayList<>();
            try {
                for (int i = 0; i < size; i++) {
                    held.add(store.dataSource().getConnection());
                }
                assertThat(held.stream().map(c -> c.toString()).distinct()).hasSize(size);
                for (Connection c : held) {
                    try (Statement st = c.createStatement()) {
                        try (ResultSet rs = st.executeQuery("PRAGMA foreign_keys")) {
                            rs.next();
                            assertThat(rs.getInt(1)).isEqualTo(1);
                        }
                        try (ResultSet rs = st.executeQuery("PRAGMA busy_timeout")) {
                            rs.next();
                            assertThat(rs.getInt(1)).isEqualTo(1234);
                        }
                        // and the foreign key really bites on this connection
                        assertThatThrownBy(() -> st.executeUpdate("INSERT INTO messages (role, content, dynamic,"
                                + " conversation_id) VALUES ('user', 'x', 0, 999)"))
                                .hasMessageContaining("FOREIGN KEY constraint failed");
                    }
                }
            } finally {
                for (Connection c : held) {
                    c.close();
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = SchemaVariant.class, names = {"AJ_INIT", "DOCS_OPTION_C"})
    void concurrentFindOrCreateOfOneNameEndsWithOneRow(SchemaVariant variant) throws Exception {
        Path file = AjDatabases.create(dir.resolve(variant + ".db"), variant);
        int threads = 6;
        // two stores = two independent pools, as two applications would have
        try (SessionStore a = SessionStore.open(file); SessionStore b = SessionStore.open(file)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                for (int round = 0; round < 5; round++) {
                    String name = "same-" + round;
                    CountDownLatch start = new CountDownLatch(1);
                    List<Future<Long>> results = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        SessionStore store = t % 2 == 0 ? a : b;
                        Callable<Long> task = () -> {
                            start.await();
                            return store.findOrCreateSession(name).id();
                        };
                        results.add(pool.submit(task));
                    }
                    start.countDown();
                    List<Long> ids = new ArrayList<>();
                    for (Future<Long> f : results) {
                        ids.add(f.get(30, TimeUnit.SECONDS));
                    }
                    assertThat(ids).as("round %d", round).containsOnly(ids.get(0));
                    assertThat(count(a, "SELECT count(*) FROM conversations WHERE session_name = '" + name + "'"))
                            .isEqualTo(1);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void twoProcessesFindingOrCreatingTheSameNamesEndWithOneRowEach() throws Exception {
        Path file = AjDatabases.create(dir.resolve("two.db"), SchemaVariant.DOCS_OPTION_C);
        try (SessionStore store = SessionStore.open(file)) {
            assertThat(store.info().variant()).isEqualTo(SchemaVariant.DOCS_OPTION_C); // no UNIQUE on session_name
        }
        Path go = dir.resolve("go");
        int n = 20;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                processes.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.jboss.logging.provider=slf4j", FindOrCreateMain.class.getName(),
                        file.toString(), go.toString(), String.valueOf(n)).redirectErrorStream(true).start());
            }
            for (Process p : processes) {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                List<String> seen = new ArrayList<>();
                for (String line = out.readLine(); line != null && !line.equals("ready"); line = out.readLine()) {
                    seen.add(line);
                }
                assertThat(p.isAlive()).as("second JVM died: %s", seen).isTrue();
            }
            Files.createFile(go);
            for (Process p : processes) {
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                String rest = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.exitValue()).as(rest).isZero();
                assertThat(rest).contains("done");
            }
        } finally {
            processes.forEach(Process::destroyForcibly);
        }
        try (SessionStore store = SessionStore.open(file)) {
            assertThat(count(store, "SELECT count(*) FROM conversations")).isEqualTo(n);
            assertThat(count(store, "SELECT count(DISTINCT session_name) FROM conversations")).isEqualTo(n);
        }
    }

    @ParameterizedTest
    @EnumSource(value = SchemaVariant.class, names = {"EMPTY", "AJ_INIT"})
    void severalStoresOpeningANewFileAtOnceMigrateItOnce(SchemaVariant variant) throws Exception {
        Path file = dir.resolve("first-open.db");
        if (variant != SchemaVariant.EMPTY) {
            AjDatabases.create(file, variant);
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<SchemaVariant>> opened = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                opened.add(pool.submit(() -> {
                    start.await();
                    try (SessionStore store = SessionStore.open(file)) {
                        store.findOrCreateSession("s");
                        return store.info().variant();
                    }
                }));
            }
            start.countDown();
            for (Future<SchemaVariant> f : opened) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isIn(SchemaVariant.AJ_SESSIONS, SchemaVariant.AJ_INIT);
            }
        } finally {
            pool.shutdownNow();
        }
        try (SessionStore store = SessionStore.open(file)) {
            assertThat(store.info().appliedMigrations()).isEmpty();
            assertThat(count(store, "SELECT count(*) FROM aj_sessions_schema_history")).isEqualTo(2);
            assertThat(count(store, "SELECT count(*) FROM conversations")).isEqualTo(1);
        }
    }

    @Test
    @AjVariant(SchemaVariant.AJ_INIT)
    void withoutApiKeysAConfigSnapshotIsAppendedOnlyWhenSomethingChanged(Path file) throws Exception {
        AjClient aj = new AjClient(file);
        int id = aj.findOrCreateSession("aj-made");
        aj.recordConfig(id, "http://b", "sk-real", "m", 10, 5, List.of());
        try (SessionStore store = SessionStore.open(StoreConfig.builder().database(file).storeApiKeys(false).build())) {
            ConfigSnapshot same = new ConfigSnapshot("http://b", "sk-real", "m", 10, 5, List.of("x"));
            // aj's first snapshot holds the key: the same config is not appended again
            assertThat(store.recordConfigSnapshot("aj-made", same)).isFalse();
            assertThat(store.recordConfigSnapshot("aj-made", new ConfigSnapshot("http://b", "sk-real", "m2", 10, 5,
                    List.of()))).isTrue();
            // a session whose first snapshot was written here, key blanked
            store.findOrCreateSession("java-made");
            assertThat(store.recordConfigSnapshot("java-made", same)).isTrue();
            assertThat(store.recordConfigSnapshot("java-made", same)).isFalse();
            assertThat(store.recordConfigSnapshot("java-made", same)).isFalse();
            assertThat(store.configSnapshots("java-made")).singleElement()
                    .satisfies(a -> assertThat(a.apiKey()).isEmpty());
            assertThat(store.configSnapshots("aj-made")).extracting(a -> a.apiKey()).containsExactly("sk-real", "");
        }
        try (SessionStore store = SessionStore.open(file)) {
            ConfigSnapshot same = new ConfigSnapshot("http://b", "sk-real", "m", 10, 5, List.of());
            assertThat(store.recordConfigSnapshot("aj-made", same)).isFalse();
            assertThat(store.recordConfigSnapshot("aj-made", new ConfigSnapshot("http://b", "sk-other", "m", 10, 5,
                    List.of()))).isTrue();
        }
    }

    @Test
    void appendingToASessionWithoutAjsPreambleIsRefused(SessionStore store) {
        store.findOrCreateSession("bare");
        assertThatThrownBy(() -> store.appendMessage("bare", Role.USER, "hi"))
                .isInstanceOf(MissingPreambleException.class)
                .hasMessageContaining("session 'bare'")
                .hasMessageContaining("fewer than the 3 preamble rows");
        assertThat(store.history("bare")).isEmpty();
        assertThatThrownBy(() -> store.appendTurn("missing", "a", "b")).isInstanceOf(SessionNotFoundException.class)
                .hasMessageContaining("missing");
    }
}
