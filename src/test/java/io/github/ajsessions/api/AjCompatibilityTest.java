package io.github.ajsessions.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.github.ajsessions.AjClient;
import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.model.AwfulConfig;
import io.github.ajsessions.model.Conversation;
import io.github.ajsessions.model.Message;
import io.github.ajsessions.model.MessageRecord;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.model.SessionSummary;
import io.github.ajsessions.model.SnapshotRecord;
import io.github.ajsessions.testkit.AjDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Both directions, on each of the three variants found in the wild: what aj writes, we read; and back. */
class AjCompatibilityTest {

    @TempDir
    Path dir;

    private Path variantFile(SchemaVariant variant) {
        return AjDatabases.create(dir.resolve("aj.db"), variant);
    }

    @ParameterizedTest
    @EnumSource(value = SchemaVariant.class, names = {"AJ_INIT", "DIESEL_CLI", "DOCS_OPTION_C"})
    void rowsWrittenAsAjWritesThemAreReadThroughTheApiAndJpa(SchemaVariant variant) throws Exception {
        Path file = variantFile(variant);
        AjClient aj = new AjClient(file);
        aj.turn("chat", "What is 2+2?", "4");
        aj.turn("chat", "And ünïcödé 🎉?", "Fine,\nthanks");
        int other = aj.findOrCreateSession("empty-one");
        aj.recordConfig(other, "http://b", "k2", "m2", 100, 10, List.of());
        // a row a sqlite3 user might add with dynamic = 1
        try (Connection c = aj.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO messages (role, content, dynamic, conversation_id) VALUES ('user', 'dyn', 1, 1)");
        }

        try (SessionStore store = SessionStore.open(file)) {
            assertThat(store.info().variant()).isEqualTo(variant);
            List<MessageRecord> history = store.history("chat");
            assertThat(history).extracting(MessageRecord::role).containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT,
                    Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT, Role.USER);
            assertThat(history).extracting(MessageRecord::content).containsSubsequence("You are aj.", "Ok",
                    "What is 2+2?", "4", "And ünïcödé 🎉?", "Fine,\nthanks", "dyn");
            assertThat(history).extracting(MessageRecord::dynamic).containsExactly(false, false, false, false, false,
                    false, false, true);
            assertThat(history).extracting(MessageRecord::id).isSorted();
            assertThat(store.lastMessages("chat", 2)).extracting(MessageRecord::content).containsExactly("Fine,\nthanks",
                    "dyn");
            assertThat(store.streamHistory("chat").map(MessageRecord::id)).containsExactlyElementsOf(
                    history.stream().map(MessageRecord::id).toList());

            List<SnapshotRecord> configs = store.configSnapshots("chat");
            assertThat(configs).hasSize(1); // aj's rule: the second turn's config equals the first
            assertThat(configs.get(0).stopWords()).containsExactly("<|eot|>", "User:");
            assertThat(configs.get(0).apiKey()).isEqualTo("sk-aj");
            assertThat(store.configSnapshots("empty-one").get(0).stopWords()).isEmpty();

            assertThat(store.listSessions()).extracting(SessionSummary::name, SessionSummary::messageCount)
                    .containsExactly(tuple("chat", 8L), tuple("empty-one", 0L));

            // and through plain JPA
            store.jpa().withEntityManager(em -> {
                Conversation chat = em.createQuery("select c from Conversation c where c.sessionName = 'chat'",
                        Conversation.class).getSingleResult();
                assertThat(chat.getMessages()).hasSize(8);
                assertThat(chat.getMessages().get(0).getRole()).isEqualTo(Role.SYSTEM);
                assertThat(chat.getConfigs()).singleElement().extracting(AwfulConfig::getModel).isEqualTo("llama");
                return null;
            });

            // aj's rule seen from here: same five fields, other stop words -> nothing appended
            assertThat(store.recordConfigSnapshot("chat", new ConfigSnapshot("http://localhost:11434/v1", "sk-aj",
                    "llama", 8192, 1024, List.of("different")))).isFalse();
            assertThat(store.recordConfigSnapshot("chat", new ConfigSnapshot("http://localhost:11434/v1", "sk-aj",
                    "llama3", 8192, 1024, List.of()))).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(value = SchemaVariant.class, names = {"AJ_INIT", "DIESEL_CLI", "DOCS_OPTION_C"})
    void rowsWrittenThroughTheApiAndJpaAreReadAsAjReadsThem(SchemaVariant variant) throws Exception {
        Path file = variantFile(variant);
        long chatId;
        try (SessionStore store = SessionStore.open(file)) {
            chatId = store.findOrCreateSession("from-java", Preamble.of("Be brief.")).id();
            store.appendTurn("from-java", "hello", "hi there");
            store.appendMessage("from-java", Role.USER, "a dangling question");
            store.recordConfigSnapshot("from-java", new ConfigSnapshot("http://api", "sk-j", "model-x", 4096, 512,
                    List.of("###", "User:", "</s>")));
            store.jpa().inTransaction(em -> {
                Conversation c = em.find(Conversation.class, chatId);
                Message m = new Message(Role.ASSISTANT, "dynamic one");
                m.setDynamic(true);
                c.addMessage(m);
                return null;
            });
        }

        AjClient aj = new AjClient(file);
        assertThat(aj.findOrCreateSession("from-java")).isEqualTo((int) chatId);
        List<AjClient.Row> rows = aj.loadMessages((int) chatId);
        assertThat(rows).extracting(AjClient.Row::role).containsExactly("system", "user", "assistant", "user",
                "assistant", "user", "assistant");
        assertThat(rows).extracting(AjClient.Row::content).containsExactly("Be brief.", Preamble.brainText("Be brief."),
                "Ok", "hello", "hi there", "a dangling question", "dynamic one");
        assertThat(rows).extracting(AjClient.Row::dynamic).containsExactly(false, false, false, false, false, false,
                true);
        assertThat(rows).extracting(AjClient.Row::id).isSorted();

        try (Connection c = aj.connect(); Statement st = c.createStatement()) {
            List<String> dynamic = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT typeof(dynamic), dynamic, typeof(id), typeof(conversation_id)"
                    + " FROM messages ORDER BY id")) {
                while (rs.next()) {
                    dynamic.add(rs.getString(1) + ":" + rs.getString(2) + ":" + rs.getString(3) + ":" + rs.getString(4));
                }
            }
            assertThat(dynamic).hasSize(7).allMatch(s -> s.matches("integer:[01]:integer:integer"));
            assertThat(dynamic.get(6)).isEqualTo("integer:1:integer:integer");
            try (ResultSet rs = st.executeQuery("SELECT stop_words, api_key, typeof(context_max_tokens),"
                    + " context_max_tokens, assistant_minimum_context_tokens FROM awful_configs")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("###,User:,</s>");
                assertThat(rs.getString(2)).isEqualTo("sk-j");
                assertThat(rs.getString(3)).isEqualTo("integer");
                assertThat(rs.getInt(4)).isEqualTo(4096);
                assertThat(rs.getInt(5)).isEqualTo(512);
            }
        }
        // aj continues the session: its config differs -> one snapshot appended, then its turn
        List<AjClient.Row> after = aj.turn("from-java", "aj asks", "aj answers");
        assertThat(after).hasSize(9);
    }

    @ParameterizedTest
    @EnumSource(value = SchemaVariant.class, names = {"AJ_INIT", "DIESEL_CLI", "DOCS_OPTION_C"})
    void ajsOwnStatementSequenceKeepsWorkingWhileAndAfterTheModuleHasTheFileOpen(SchemaVariant variant)
            throws Exception {
        Path file = variantFile(variant);
        AjClient aj = new AjClient(file);
        aj.turn("before", "q0", "a0");
        try (SessionStore store = SessionStore.open(file)) {
            store.findOrCreateSession("java", Preamble.defaults());
            store.appendTurn("java", "q1", "a1");
            store.appendTurn("before", "q-java", "a-java");
            assertThat(store.history("before")).hasSize(7);
            assertThat(store.listSessions()).hasSize(2);
            // a stream part-way consumed holds no cursor or lock between pages
            Stream<MessageRecord> stream = store.streamHistory("java");
            Iterator<MessageRecord> it = stream.iterator();
            it.next();

            // the store is open with idle pooled connections: aj, with no busy timeout, must not meet a lock
            assertThat(aj.turn("before", "q2", "a2")).hasSize(9);
            assertThat(aj.turn("java", "q3", "a3")).extracting(AjClient.Row::content)
                    .endsWith("q1", "a1", "q3", "a3");
            assertThat(aj.turn("new-from-aj", "q4", "a4")).hasSize(5);
            stream.close();

            assertThat(store.history("java")).extracting(MessageRecord::content).endsWith("q3", "a3");
            assertThat(store.findSession("new-from-aj")).isPresent();
            assertThat(store.listSessions()).extracting(SessionSummary::name)
                    .containsExactly("before", "java", "new-from-aj");
        }
        assertThat(aj.turn("java", "q5", "a5")).hasSize(9);
        try (Connection c = aj.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("ok");
        }
    }
}
