package io.github.ajsessions.spring.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.model.Conversation;
import io.github.ajsessions.model.Message;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.spring.test.AjSessionsTestDatabase;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.jdbc.Sql;

/** {@code @DataJpaTest} on a file laid down as aj's docs' raw sqlite3 recipe makes it. */
@DataJpaTest
@AjSessionsTestDatabase(variant = SchemaVariant.DOCS_OPTION_C)
class DataJpaTestDatabaseTest {

    @Autowired
    ConversationRepository conversations;
    @Autowired
    MessageRepository messages;
    @Autowired
    SessionStore store;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theContextRunsOnItsOwnFileInTheRequestedVariant() {
        assertThat(store.info().variant()).isEqualTo(SchemaVariant.DOCS_OPTION_C);
        assertThat(Files.isRegularFile(store.file())).isTrue();
        assertThat(store.file().getParent().getFileName().toString()).startsWith("aj-sessions-test");
        assertThat(jdbc.queryForObject("PRAGMA foreign_keys", Integer.class)).isEqualTo(1);
    }

    @Test
    void repositoriesReadAndWriteAjsTables() {
        Conversation saved = conversations.save(new Conversation("from-a-data-jpa-test"));
        Message message = new Message(Role.USER, "hello");
        message.setConversation(saved);
        messages.saveAndFlush(message);
        assertThat(messages.findByConversation_IdOrderByIdAsc(saved.getId())).extracting(Message::getContent)
                .containsExactly("hello");
        assertThat(jdbc.queryForObject("SELECT dynamic FROM messages WHERE id = ?", Integer.class, message.getId()))
                .isZero();
    }

    @Test
    @Sql(statements = "INSERT INTO conversations (session_name) VALUES ('written-by-sql')")
    void eachTestRollsBack() {
        assertThat(conversations.findBySessionName("written-by-sql")).isPresent();
        assertThat(conversations.findBySessionName("from-a-data-jpa-test")).isEmpty();
    }
}
