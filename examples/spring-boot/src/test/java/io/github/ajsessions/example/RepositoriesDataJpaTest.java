package io.github.ajsessions.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.model.Conversation;
import io.github.ajsessions.model.Message;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.spring.test.AjSessionsTestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;

/** The test annotation with {@code @DataJpaTest}: a file as `aj init` makes it, the repositories on it. */
@DataJpaTest
@AjSessionsTestDatabase(variant = SchemaVariant.AJ_INIT)
class RepositoriesDataJpaTest {

    @Autowired
    ConversationRepository conversations;
    @Autowired
    MessageRepository messages;
    @Autowired
    SessionStore store;

    @Test
    void repositoriesWorkOnAnAjInitFile() {
        assertThat(store.info().variant()).isEqualTo(SchemaVariant.AJ_INIT);
        Conversation c = conversations.save(new Conversation("data-jpa"));
        Message m = new Message(Role.USER, "hi");
        m.setConversation(c);
        messages.saveAndFlush(m);
        assertThat(messages.findByConversation_IdOrderByIdAsc(c.getId())).extracting(Message::getContent)
                .containsExactly("hi");
        assertThat(conversations.sessionsWithMessageCounts()).hasSize(1);
    }
}
