package io.github.ajsessions.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.example.assistant.AssistantService;
import io.github.ajsessions.model.Message;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.spring.test.AjSessionsTestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
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
        chat.startSession("busy", "You are a test.");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger failed = new AtomicInteger();
        List<List<Long>> idsByThread = new ArrayList<>();
        try {
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<Long> ids = new ArrayList<>();
                    for (int i = 0; i < 25; i++) {
                        try {
                            List<Message> turn = chat.appendTurn("busy", "q" + thread + "." + i, "a" + thread + "." + i);
                            ids.add(turn.get(0).getId());
                            ids.add(turn.get(1).getId());
                        } catch (RuntimeException e) {
                            failed.incrementAndGet();
                        }
                    }
                    return ids;
                }));
            }
            for (Future<List<Long>> f : futures) {
                idsByThread.add(f.get());
            }
        } finally {
            pool.shutdown();
        }
        assertThat(failed).hasValue(0);
        List<Message> history = chat.history("busy");
        assertThat(history).hasSize(3 + 4 * 25 * 2);
        // ids ascend in append order within each thread
        for (List<Long> ids : idsByThread) {
            assertThat(ids).hasSize(50).isSorted();
        }
        // every turn: the user's question right before its answer
        for (int i = 3; i < history.size(); i += 2) {
            Message question = history.get(i);
            Message answer = history.get(i + 1);
            assertThat(question.getRole()).isEqualTo(Role.USER);
            assertThat(answer.getRole()).isEqualTo(Role.ASSISTANT);
            assertThat(answer.getContent()).isEqualTo("a" + question.getContent().substring(1));
        }
        assertThat(chat.listSessions()).contains(new ChatService.SessionLine("busy", 203));
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
