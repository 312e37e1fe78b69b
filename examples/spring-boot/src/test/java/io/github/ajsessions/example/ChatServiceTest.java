package io.github.ajsessions.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.example.assistant.AssistantService;
import io.github.ajsessions.model.Message;
import io.github.ajsessions.spring.test.AjSessionsTestDatabase;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/** The example application on its own fresh aj.db. */
@SpringBootTest
@AjSessionsTestDatabase
class ChatServiceTest {

    @Autowired
    ChatService chat;
    @Autowired
    SessionStore store;
    @Autowired
    DataSource dataSource;
    @Autowired
    AssistantService assistant;

    @Test
    void theApplicationRunsOnTheStoresPoolWithForeignKeysOn() {
        assertThat(dataSource).isSameAs(store.dataSource());
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        assertThat(jdbc.queryForObject("PRAGMA foreign_keys", Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("PRAGMA busy_timeout", Integer.class)).isEqualTo(5000);
    }

    @Test
    void fourThreadsTimesTwentyFiveTurnsAllCommitInOrder() throws Exception {
        TurnRace.fourThreadsTimesTwentyFiveTurns(chat, "busy");
    }

    @Test
    void theStoresOwnApiWorksNextToSpringWithBootsManagedVersions() {
        chat.startSession("api", "You are a test.");
        store.appendTurn("api", "through the session API", "ok");
        Long count = store.jpa().inTransaction(em -> em.createQuery(
                "select count(m) from Message m where m.conversation.sessionName = 'api'", Long.class).getSingleResult());
        assertThat(count).isEqualTo(5L);
        assertThat(store.search().search("session", 5, io.github.ajsessions.api.Progress.NONE))
                .extracting(h -> h.message().content()).contains("through the session API");
        assertThat(chat.history("api")).extracting(Message::getContent).endsWith("through the session API", "ok");
    }

    @Test
    void ajContinuesASessionTheApplicationStarted() throws Exception {
        chat.startSession("shared", "You are a test.");
        chat.appendTurn("shared", "from Spring?", "yes");
        List<AjLikeClient.Row> rows = new AjLikeClient(store.file()).turn("shared", "from aj?", "yes, aj");
        assertThat(rows).extracting(AjLikeClient.Row::role).containsExactly("system", "user", "assistant", "user",
                "assistant", "user", "assistant");
        assertThat(rows).extracting(AjLikeClient.Row::content).endsWith("from Spring?", "yes", "from aj?", "yes, aj");
        assertThat(rows).extracting(AjLikeClient.Row::id).isSorted();
        assertThat(chat.history("shared")).extracting(Message::getContent).endsWith("from aj?", "yes, aj");
    }

    @Test
    void withoutAChatModelTheApplicationStartsAndTheAssistantRefusesWritingNothing() {
        Throwable failure = catchThrowable(() -> assistant.ask("no-model", "hello?"));
        assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessage("no ChatModel bean to ask: add a"
                + " Spring AI model starter (for example spring-ai-starter-model-openai) or define one");
        assertThat(store.findSession("no-model")).isEmpty();
    }
}
