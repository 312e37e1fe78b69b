package io.github.ajsessions.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.model.AwfulConfig;
import io.github.ajsessions.model.Conversation;
import io.github.ajsessions.model.Message;
import io.github.ajsessions.model.MessageRecord;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.model.SessionRecord;
import io.github.ajsessions.model.SnapshotRecord;
import io.github.ajsessions.testkit.AjSessionsExtension;
import io.github.ajsessions.testkit.AjVariant;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session API runs on the pool alone and returns records; JPA, booted on first use, reads the same
 * rows.
 */
@ExtendWith(AjSessionsExtension.class)
class SessionApiWithoutHibernateTest {

    @Test
    @AjVariant(SchemaVariant.AJ_INIT)
    void everySessionOperationLeavesHibernateUnbooted(SessionStore store) {
        store.findOrCreateSession("a", Preamble.defaults());
        store.appendTurn("a", "q", "r");
        store.appendMessage("a", Role.USER, "more");
        store.recordConfigSnapshot("a", new ConfigSnapshot("http://x", "sk-1", "m", 8, 2, List.of("stop")));
        assertThat(store.history("a")).hasSize(6);
        assertThat(store.lastMessages("a", 2)).extracting(MessageRecord::content).containsExactly("r", "more");
        assertThat(store.streamHistory("a").count()).isEqualTo(6);
        assertThat(store.configSnapshots("a")).hasSize(1);
        assertThat(store.findSession("a")).isPresent();
        assertThat(store.listSessions()).hasSize(1);
        store.renameSession("a", "b");
        store.findOrCreateSession("demo", Preamble.defaults());
        store.appendMessage("demo", Role.USER, "Hi");
        assertThat(store.deleteSession("demo")).isTrue();
        store.bulk().importMessages("b", List.of(MessageRecord.of(Role.USER, "bulk")));

        assertThat(store.entityManagerFactoryBuilt()).isFalse();
        // JPA, on first use, sees exactly what the session API wrote
        List<String> viaJpa = store.jpa().withEntityManager(em -> em.createQuery(
                "select m.content from Message m where m.conversation.sessionName = 'b' order by m.id", String.class)
                .getResultList());
        assertThat(store.entityManagerFactoryBuilt()).isTrue();
        assertThat(viaJpa).isEqualTo(store.history("b").stream().map(MessageRecord::content).collect(Collectors.toList()));
        assertThat(viaJpa).hasSize(7).endsWith("r", "more", "bulk");
    }

    @Test
    void entityManagerFactoryAtOpenBootsHibernateInOpen(@TempDir Path dir) {
        Path file = dir.resolve("aj.db");
        try (SessionStore lazy = SessionStore.open(file)) {
            assertThat(lazy.entityManagerFactoryBuilt()).isFalse();
        }
        StoreConfig eager = StoreConfig.forFile(file).toBuilder().entityManagerFactoryAtOpen(true).build();
        assertThat(eager.toBuilder().build().entityManagerFactoryAtOpen()).isTrue();
        try (SessionStore store = SessionStore.open(eager)) {
            assertThat(store.entityManagerFactoryBuilt()).isTrue();
        }
    }

    @Test
    @AjVariant(SchemaVariant.AJ_INIT)
    void returnedRecordsHoldWhatJpaReadsFromTheSameRows(SessionStore store) {
        SessionRecord created = store.findOrCreateSession("s", Preamble.defaults());
        List<MessageRecord> turn = store.appendTurn("s", "question", "answer");
        store.recordConfigSnapshot("s", new ConfigSnapshot("http://x", "sk-canary", "m", 8, 2, List.of("a", "b")));

        Conversation managed = store.jpa().withEntityManager(em -> em.find(Conversation.class, created.id()));
        assertThat(created.id()).isPositive();
        assertThat(managed.getSessionName()).isEqualTo(created.name()).isEqualTo("s");

        MessageRecord answer = turn.get(1);
        Message reread = store.jpa().withEntityManager(em -> em.find(Message.class, answer.id()));
        assertThat(answer.role()).isEqualTo(reread.getRole()).isEqualTo(Role.ASSISTANT);
        assertThat(answer.content()).isEqualTo(reread.getContent()).isEqualTo("answer");
        assertThat(answer.dynamic()).isFalse();
        assertThat(answer.sessionId()).isEqualTo(created.id());
        assertThat(store.history("s").get(4)).isEqualTo(answer);

        SnapshotRecord snapshot = store.configSnapshots("s").get(0);
        AwfulConfig viaJpa = store.jpa().withEntityManager(em -> em.find(AwfulConfig.class, snapshot.id()));
        assertThat(snapshot.stopWords()).containsExactly("a", "b").isEqualTo(viaJpa.getStopWords());
        assertThat(snapshot.apiKey()).isEqualTo("sk-canary").isEqualTo(viaJpa.getApiKey());
        assertThat(snapshot.contextMaxTokens()).isEqualTo(8);
        assertThat(snapshot.assistantMinimumContextTokens()).isEqualTo(2);
        assertThat(snapshot.sessionId()).isEqualTo(created.id());
        assertThat(snapshot.toString()).doesNotContain("sk-canary");
    }

    @Test
    @AjVariant(SchemaVariant.AJ_INIT)
    void renamingThroughJpaKeepsTheRowsTheSessionApiWrote(SessionStore store) throws Exception {
        SessionRecord session = store.findOrCreateSession("old", Preamble.defaults());
        store.appendTurn("old", "q", "a");
        store.recordConfigSnapshot("old", new ConfigSnapshot("http://x", "k", "m", 8, 2, List.of()));

        store.jpa().inTransaction(em -> {
            em.find(Conversation.class, session.id()).setSessionName("new");
            return null;
        });

        assertThat(store.findSession("old")).isEmpty();
        assertThat(store.findSession("new")).contains(new SessionRecord(session.id(), "new"));
        assertThat(store.history("new")).hasSize(5);
        assertThat(store.configSnapshots("new")).hasSize(1);
        assertThat(SessionLifecycleTest.count(store, "SELECT count(*) FROM messages")).isEqualTo(5);
    }
}
