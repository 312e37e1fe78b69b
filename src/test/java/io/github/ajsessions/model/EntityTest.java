package io.github.ajsessions.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.testkit.AjSessionsExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hibernate.Hibernate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(AjSessionsExtension.class)
class EntityTest {

    @Test
    void conversationWithMessagesAndConfigRoundTrips(SessionStore store) throws Exception {
        Long id = store.jpa().inTransaction(em -> {
            Conversation c = new Conversation("round-trip");
            c.addMessage(new Message(Role.SYSTEM, "You are terse."));
            Message dyn = new Message(Role.USER, "héllo 🌍\nline two");
            dyn.setDynamic(true);
            c.addMessage(dyn);
            c.addMessage(new Message(Role.ASSISTANT, ""));
            c.addConfig(new AwfulConfig("http://localhost:1234/v1", "sk-secret", "qwen", 8192, 2048,
                    List.of("<|im_end|>", "\n\nUser:", "")));
            em.persist(c);
            return c.getId();
        });
        store.jpa().withEntityManager(em -> {
            Conversation c = em.find(Conversation.class, id);
            assertThat(c.getSessionName()).isEqualTo("round-trip");
            assertThat(c.getMessages()).extracting(Message::getRole, Message::getContent, Message::isDynamic)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(Role.SYSTEM, "You are terse.", false),
                            org.assertj.core.groups.Tuple.tuple(Role.USER, "héllo 🌍\nline two", true),
                            org.assertj.core.groups.Tuple.tuple(Role.ASSISTANT, "", false));
            AwfulConfig a = c.getConfigs().get(0);
            assertThat(a.getApiBase()).isEqualTo("http://localhost:1234/v1");
            assertThat(a.getApiKey()).isEqualTo("sk-secret");
            assertThat(a.getModel()).isEqualTo("qwen");
            assertThat(a.getContextMaxTokens()).isEqualTo(8192);
            assertThat(a.getAssistantMinimumContextTokens()).isEqualTo(2048);
            // a trailing empty word survives, as Rust's split keeps it
            assertThat(a.getStopWords()).containsExactly("<|im_end|>", "\n\nUser:", "");
            assertThat(a.getConversation()).isSameAs(c);
            return null;
        });
        try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT stop_words, typeof(context_max_tokens) FROM awful_configs")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("<|im_end|>,\n\nUser:,");
            assertThat(rs.getString(2)).isEqualTo("integer");
        }
    }

    @Test
    void aNewMessageWithANewConversationSavesBoth(SessionStore store) {
        Message m = new Message(Role.USER, "cascade");
        m.setConversation(new Conversation("by-message"));
        store.jpa().inTransaction(em -> {
            em.persist(m);
            return null;
        });
        assertThat(store.findSession("by-message")).isPresent();
        assertThat(m.getConversation().getId()).isNotNull();
    }

    @Test
    void entitiesStayFindableInASetAcrossPersistMergeReloadAndRemove(SessionStore store) {
        Set<Object> set = new HashSet<>();
        Conversation c = new Conversation("set");
        Message m = new Message(Role.USER, "x");
        AwfulConfig a = new AwfulConfig("b", "k", "m", 1, 1, List.of());
        c.addMessage(m).addConfig(a);
        set.add(c);
        set.add(m);
        set.add(a);
        store.jpa().inTransaction(em -> {
            em.persist(c);
            return null;
        });
        assertThat(c.getId()).isNotNull();
        assertThat(set).contains(c, m, a);
        Conversation merged = store.jpa().inTransaction(em -> em.merge(c));
        assertThat(merged).isNotSameAs(c).isEqualTo(c);
        assertThat(set).contains(merged);
        Conversation reloaded = store.jpa().withEntityManager(em -> em.find(Conversation.class, c.getId()));
        Message reloadedMessage = store.jpa().withEntityManager(em -> em.find(Message.class, m.getId()));
        AwfulConfig reloadedConfig = store.jpa().withEntityManager(em -> em.find(AwfulConfig.class, a.getId()));
        assertThat(set).contains(reloaded, reloadedMessage, reloadedConfig);
        assertThat(reloaded).isEqualTo(c).hasSameHashCodeAs(c);
        // a lazy proxy (message.conversation, not initialised) equals the entity loaded elsewhere, both ways
        store.jpa().withEntityManager(em -> {
            Conversation proxy = em.find(Message.class, m.getId()).getConversation();
            assertThat(Hibernate.isInitialized(proxy)).isFalse();
            assertThat(reloaded.equals(proxy)).isTrue();
            assertThat(set.contains(proxy)).isTrue();
            assertThat(proxy.equals(reloaded)).isTrue();
            return null;
        });
        store.jpa().inTransaction(em -> {
            em.remove(em.find(Conversation.class, c.getId()));
            return null;
        });
        assertThat(set).contains(c, m, a);
        assertThat(store.findSession("set")).isEmpty();
        // unsaved entities are equal only to themselves
        assertThat(new Conversation("set")).isNotEqualTo(new Conversation("set"));
        assertThat(new Message(Role.USER, "x")).isNotEqualTo(new Message(Role.USER, "x"));
    }

    @Test
    void toStringShowsNeitherTheApiKeyNorAssociations(SessionStore store) {
        Conversation c = new Conversation("secretive");
        Message m = new Message(Role.USER, "the content itself is private too");
        AwfulConfig a = new AwfulConfig("http://api", "sk-live-123456", "gpt", 10, 5, List.of("stop"));
        c.addMessage(m).addConfig(a);
        store.jpa().inTransaction(em -> {
            em.persist(c);
            return null;
        });
        Message loaded = store.jpa().withEntityManager(em -> em.find(Message.class, m.getId()));
        AwfulConfig loadedConfig = store.jpa().withEntityManager(em -> em.find(AwfulConfig.class, a.getId()));
        for (Object o : List.of(c, m, a, loaded, loadedConfig)) {
            assertThat(o.toString()).doesNotContain("sk-live-123456").doesNotContain("the content itself");
        }
        for (Object o : List.of(m, a, loaded, loadedConfig)) {
            assertThat(o.toString()).doesNotContain("Conversation").doesNotContain("secretive");
        }
        assertThat(c.toString()).doesNotContain("Message").doesNotContain("AwfulConfig").doesNotContain("gpt");
        assertThat(c.toString()).isEqualTo("Conversation{id=" + c.getId() + ", sessionName='secretive'}");
        assertThat(a.toString()).contains("apiKey=****").doesNotContain("conversation");
        assertThat(loaded.toString()).doesNotContain("secretive");
    }
}
