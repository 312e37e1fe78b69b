package io.github.ajsessions.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ajsessions.AjClient;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.testkit.AjSessionsExtension;
import io.github.ajsessions.testkit.AjVariant;
import jakarta.persistence.TransactionRequiredException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The ids {@link AjRowIdGenerator} takes are the ones SQLite's AUTOINCREMENT would have given. */
@ExtendWith(AjSessionsExtension.class)
@AjVariant(SchemaVariant.AJ_INIT)
class AjRowIdGeneratorTest {

    @Test
    void theCounterEndsAtTheLastIdTakenAndAjsNextRowFollows(SessionStore store, Path file) throws Exception {
        AjClient aj = new AjClient(file);
        int id = aj.findOrCreateSession("chat");
        aj.writePreamble(id, "sys");
        store.jpa().inTransaction(em -> {
            Conversation c = em.find(Conversation.class, (long) id);
            c.addMessage(new Message(Role.USER, "q")).addMessage(new Message(Role.ASSISTANT, "a"));
            c.addConfig(new AwfulConfig("b", "k", "m", 1, 1, List.of()));
            return null;
        });
        assertThat(query(file, "SELECT seq FROM sqlite_sequence WHERE name = 'messages'")).containsExactly("5");
        assertThat(query(file, "SELECT seq FROM sqlite_sequence WHERE name = 'awful_configs'")).containsExactly("1");
        aj.insertMessage(id, "user", "aj's");
        assertThat(query(file, "SELECT id || ':' || content FROM messages WHERE id > 3 ORDER BY id"))
                .containsExactly("4:q", "5:a", "6:aj's");
    }

    @Test
    void aRolledBackTransactionLeavesTheCounterAsItWas(SessionStore store, Path file) throws Exception {
        AjClient aj = new AjClient(file);
        int id = aj.findOrCreateSession("chat");
        aj.writePreamble(id, "sys");
        List<String> before = query(file, "SELECT name || '=' || seq FROM sqlite_sequence ORDER BY name");
        assertThatThrownBy(() -> store.jpa().inTransaction(em -> {
            em.find(Conversation.class, (long) id).addMessage(new Message(Role.USER, "lost"));
            em.flush();
            throw new IllegalStateException("the caller gives up");
        })).hasMessage("the caller gives up");
        assertThat(query(file, "SELECT name || '=' || seq FROM sqlite_sequence ORDER BY name"))
                .containsExactlyElementsOf(before);
        assertThat(query(file, "SELECT count(*) FROM messages")).containsExactly("3");
    }

    @Test
    void aCounterBelowTheLargestIdOrMissingStillGivesANewId(SessionStore store, Path file) throws Exception {
        AjClient aj = new AjClient(file);
        int id = aj.findOrCreateSession("chat");
        aj.writePreamble(id, "sys");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            // a sqlite3 user's edits: SQLite itself would still pick max(id) + 1 next
            st.execute("UPDATE sqlite_sequence SET seq = 1 WHERE name = 'messages'");
            st.execute("INSERT INTO awful_configs (api_base, api_key, model, context_max_tokens,"
                    + " assistant_minimum_context_tokens, stop_words, conversation_id) VALUES ('b', 'k', 'm', 1, 1, '', 1)");
            st.execute("DELETE FROM sqlite_sequence WHERE name = 'awful_configs'");
        }
        store.jpa().inTransaction(em -> {
            Conversation c = em.find(Conversation.class, (long) id);
            c.addMessage(new Message(Role.USER, "q"));
            c.addConfig(new AwfulConfig("b2", "k", "m", 1, 1, List.of()));
            return null;
        });
        assertThat(query(file, "SELECT id || ':' || content FROM messages ORDER BY id DESC LIMIT 1"))
                .containsExactly("4:q");
        assertThat(query(file, "SELECT id || ':' || api_base FROM awful_configs ORDER BY id"))
                .containsExactly("1:b", "2:b2");
        assertThat(query(file, "SELECT name || '=' || seq FROM sqlite_sequence WHERE name <> 'conversations'"
                + " ORDER BY name")).containsExactly("awful_configs=2", "messages=4");
    }

    @Test
    void persistingOutsideATransactionIsRefusedAndWritesNothing(SessionStore store, Path file) throws Exception {
        AjClient aj = new AjClient(file);
        int id = aj.findOrCreateSession("chat");
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> store.jpa().withEntityManager(em -> {
            Message m = new Message(Role.USER, "q");
            m.setConversation(em.find(Conversation.class, (long) id));
            em.persist(m);
            return null;
        })).satisfies(e -> assertThat(rootOfType(e, TransactionRequiredException.class))
                .hasMessage("persisting a new Message needs an active transaction: its id is taken from messages'"
                        + "s AUTOINCREMENT counter in aj's file"));
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    private static <T extends Throwable> T rootOfType(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + t, t);
    }

    private static List<String> query(Path file, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
