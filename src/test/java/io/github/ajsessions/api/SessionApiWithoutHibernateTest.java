package io.github.ajsessions.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ajsessions.model.AwfulConfig;
import io.github.ajsessions.model.Conversation;
import io.github.ajsessions.model.Message;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.testkit.AjSessionsExtension;
import io.github.ajsessions.testkit.AjVariant;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.hibernate.LazyInitializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session API runs on the pool alone (issue 5: Hibernate's boot was 70 % of an open) and returns
 * the entities a closed entity manager would have left: detached, ids set, collections not loaded.
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
        assertThat(store.lastMessages("a", 2)).extracting(Message::getContent).containsExactly("r", "more");
        assertThat(store.streamHistory("a").count()).isEqualTo(6);
        assertThat(store.configSnapshots("a")).hasSize(1);
        assertThat(store.findSession("a")).isPresent();
        assertThat(store.listSessions()).hasSize(1);
        store.renameSession("a", "b");
        store.createDemo();
        assertThat(store.deleteSession("demo")).isTrue();
        store.bulk().importMessages("b", List.of(new Message(Role.USER, "bulk")));

        assertThat(store.entityManagerFactoryBuilt()).isFalse();
        // JPA, on first use, sees exactly what the session API wrote
        List<String> viaJpa = store.withEntityManager(em -> em.createQuery(
                "select m.content from Message m where m.conversation.sessionName = 'b' order by m.id", String.class)
                .getResultList());
        assertThat(store.entityManagerFactoryBuilt()).isTrue();
        assertThat(viaJpa).isEqualTo(store.history("b").stream().map(Message::getContent).collect(Collectors.toList()));
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
    void returnedEntitiesAreDetachedWithIdsAndUnloadedCollections(SessionStore store) {
        Conversation created = store.findOrCreateSession("s", Preamble.defaults());
        List<Message> turn = store.appendTurn("s", "question", "answer");
        store.recordConfigSnapshot("s", new ConfigSnapshot("http://x", "sk-canary", "m", 8, 2, List.of("a", "b")));

        Conversation managed = store.withEntityManager(em -> em.find(Conversation.class, created.getId()));
        assertThat(created.getId()).isPositive();
        assertThat(created).isEqualTo(managed);
        assertThat(created.getSessionName()).isEqualTo("s");
        // as on a conversation Hibernate loaded and detached: not loaded, not "empty"
        assertThatThrownBy(() -> created.getMessages().size()).isInstanceOf(LazyInitializationException.class);
        assertThatThrownBy(() -> created.getConfigs().size()).isInstanceOf(LazyInitializationException.class);

        Message answer = turn.get(1);
        Message reread = store.withEntityManager(em -> em.find(Message.class, answer.getId()));
        assertThat(answer).isEqualTo(reread);
        assertThat(answer.getRole()).isEqualTo(Role.ASSISTANT);
        assertThat(answer.getContent()).isEqualTo(reread.getContent()).isEqualTo("answer");
        assertThat(answer.isDynamic()).isFalse();
        assertThat(answer.getConversation()).isEqualTo(created);
        assertThat(store.history("s").get(4).getConversation().getSessionName()).isEqualTo("s");

        AwfulConfig snapshot = store.configSnapshots("s").get(0);
        AwfulConfig viaJpa = store.withEntityManager(em -> em.find(AwfulConfig.class, snapshot.getId()));
        assertThat(snapshot).isEqualTo(viaJpa);
        assertThat(snapshot.getStopWords()).containsExactly("a", "b").isEqualTo(viaJpa.getStopWords());
        assertThat(snapshot.getApiKey()).isEqualTo("sk-canary");
        assertThat(snapshot.getContextMaxTokens()).isEqualTo(8);
        assertThat(snapshot.getAssistantMinimumContextTokens()).isEqualTo(2);
        assertThat(snapshot.getConversation()).isEqualTo(created);
        assertThat(snapshot.toString()).doesNotContain("sk-canary");
    }

    @Test
    @AjVariant(SchemaVariant.AJ_INIT)
    void mergingAReturnedConversationRenamesItAndKeepsItsRows(SessionStore store) throws Exception {
        Conversation conversation = store.findOrCreateSession("old", Preamble.defaults());
        store.appendTurn("old", "q", "a");
        store.recordConfigSnapshot("old", new ConfigSnapshot("http://x", "k", "m", 8, 2, List.of()));

        conversation.setSessionName("new");
        store.inTransaction(em -> em.merge(conversation));

        // orphan removal would have deleted every row had the collections been merged as empty lists
        assertThat(store.findSession("old")).isEmpty();
        assertThat(store.history("new")).hasSize(5);
        assertThat(store.configSnapshots("new")).hasSize(1);
        assertThat(SessionLifecycleTest.count(store, "SELECT count(*) FROM messages")).isEqualTo(5);
    }
}
