package io.github.ajsessions.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ajsessions.api.ConfigSnapshot;
import io.github.ajsessions.api.Preamble;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.api.SessionTransfer;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.model.AwfulConfig;
import io.github.ajsessions.model.Conversation;
import io.github.ajsessions.model.Message;
import io.github.ajsessions.model.MessageRecord;
import io.github.ajsessions.model.Role;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An import that keeps aj's ids onto a server: the identity sequences follow the kept ids in the same
 * transaction, so the next insert without an id (session API, JPA) takes one above them.
 */
class PostgresKeptIdsTest {

    @TempDir
    Path folder;

    @RegisterExtension
    final PgTestServer.SchemaPerTest schema = new PgTestServer.SchemaPerTest();

    /** An export of an aj.db whose ids start at 1, as every fresh file's do: exactly the ids a new server hands out first. */
    private byte[] laptopExport() {
        try (SessionStore laptop = SessionStore.open(folder.resolve("aj.db"))) {
            laptop.findOrCreateSession("laptop", Preamble.defaults());
            laptop.appendTurn("laptop", "first question", "first answer");
            laptop.appendTurn("laptop", "second question", "second answer");
            laptop.recordConfigSnapshot("laptop", new ConfigSnapshot("http://localhost:11434/v1", "", "llama3", 8192,
                    1024, List.of()));
            laptop.findOrCreateSession("other", Preamble.defaults());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            laptop.transfer().exportJson(List.of(), false, out, null);
            return out.toByteArray();
        }
    }

    private static long max(Connection c, String table) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT max(id) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void theNextSessionApiAndJpaInsertsTakeIdsAboveTheImportedOnes() throws Exception {
        byte[] export = laptopExport();
        try (SessionStore server = SessionStore.open(StoreConfig.builder().database(schema.urlWithCredentials()).build())) {
            SessionTransfer.ImportResult result = server.transfer().importJson(new ByteArrayInputStream(export),
                    SessionTransfer.OnExisting.REFUSE, null);
            assertThat(result.idsKept()).isTrue();
            assertThat(result.messages()).isEqualTo(10);
            long conversations;
            long messages;
            long configs;
            try (Connection c = schema.connect()) {
                conversations = max(c, "conversations");
                messages = max(c, "messages");
                configs = max(c, "awful_configs");
            }
            // aj's ids, kept: 7 rows in "laptop" (preamble and two turns), then 3 in "other"
            assertThat(List.of(conversations, messages, configs)).containsExactly(2L, 10L, 1L);
            assertThat(server.history("laptop")).extracting(MessageRecord::id).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);

            // the session API: a turn, a snapshot and a session, each with the next id above the import's
            List<MessageRecord> turn = server.appendTurn("laptop", "third question", "third answer");
            assertThat(turn).extracting(MessageRecord::id).containsExactly(messages + 1, messages + 2);
            assertThat(server.recordConfigSnapshot("laptop", new ConfigSnapshot("http://localhost:11434/v1", "",
                    "qwen3", 8192, 1024, List.of()))).isTrue();
            assertThat(server.configSnapshots("laptop")).extracting(s -> s.id()).containsExactly(configs, configs + 1);
            assertThat(server.findOrCreateSession("new on the server").id()).isEqualTo(conversations + 1);

            // JPA: a message, a snapshot and a conversation persisted after the import
            long[] jpaIds = server.jpa().inTransaction(em -> {
                Conversation laptop = em.createQuery("SELECT c FROM Conversation c WHERE c.sessionName = 'laptop'",
                        Conversation.class).getSingleResult();
                Message m = new Message(Role.USER, "from JPA");
                laptop.addMessage(m);
                AwfulConfig a = new AwfulConfig("http://localhost:11434/v1", "", "phi4", 4096, 512, List.of());
                laptop.addConfig(a);
                Conversation fresh = new Conversation("from JPA");
                em.persist(m);
                em.persist(a);
                em.persist(fresh);
                em.flush();
                return new long[] {m.getId(), a.getId(), fresh.getId()};
            });
            assertThat(jpaIds).containsExactly(messages + 3, configs + 2, conversations + 2);
            assertThat(server.history("laptop")).extracting(MessageRecord::content).endsWith("third question",
                    "third answer", "from JPA");
        }
    }

    @Test
    void anImportOfLowerIdsThanTheServersDoesNotKeepThemAndLeavesTheSequencesAlone() throws Exception {
        byte[] export = laptopExport();
        try (SessionStore server = SessionStore.open(StoreConfig.builder().database(schema.urlWithCredentials()).build())) {
            server.findOrCreateSession("already here", Preamble.defaults());
            for (int i = 0; i < 10; i++) {
                server.appendTurn("already here", "q" + i, "a" + i);
            }
            SessionTransfer.ImportResult result = server.transfer().importJson(new ByteArrayInputStream(export),
                    SessionTransfer.OnExisting.REFUSE, null);
            assertThat(result.idsKept()).isFalse();
            List<MessageRecord> turn = server.appendTurn("laptop", "q", "a");
            assertThat(turn.get(0).id()).isEqualTo(23L + 10 + 1);
        }
    }
}
