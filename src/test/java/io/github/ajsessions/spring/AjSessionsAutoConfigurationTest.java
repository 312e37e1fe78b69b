package io.github.ajsessions.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ajsessions.AjClient;
import io.github.ajsessions.api.ConfigSnapshot;
import io.github.ajsessions.api.Preamble;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.DatabaseLockedException;
import io.github.ajsessions.model.Conversation;
import io.github.ajsessions.model.Message;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.spring.app.ConversationRepository;
import io.github.ajsessions.spring.app.MessageRepository;
import io.github.ajsessions.spring.app.TestApp;
import io.github.ajsessions.spring.app.TurnService;
import io.github.ajsessions.spring.test.AjSessionsTestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.sqlite.SQLiteConfig;

/** The auto-configuration on a real file, in a Spring Boot application that configures nothing of its own. */
@SpringBootTest(classes = TestApp.class)
@AjSessionsTestDatabase
class AjSessionsAutoConfigurationTest {

    @Autowired
    SessionStore store;
    @Autowired
    DataSource dataSource;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TurnService turns;
    @Autowired
    ConversationRepository conversations;
    @Autowired
    MessageRepository messages;
    @Autowired
    ApplicationContext context;
    @Autowired
    EntityManagerFactory entityManagerFactory;

    @Test
    void theApplicationsDataSourceIsTheStoresPool() {
        assertThat(dataSource).isSameAs(store.dataSource());
        assertThat(store.file().getFileName().toString()).isEqualTo("aj.db");
        assertThat(jdbc.queryForObject("PRAGMA foreign_keys", Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("PRAGMA busy_timeout", Integer.class)).isEqualTo(5000);
    }

    @Test
    void writeTransactionsOfTransactionalMethodsBeginImmediate() {
        store.findOrCreateSession("immediate", Preamble.defaults());
        // inside the @Transactional method, before it runs any statement, another connection with no busy
        // timeout can no longer take the write lock: the transaction began IMMEDIATE
        String seen = turns.inTransaction(() -> {
            turns.append("immediate", Role.USER, "first statement");
            return tryWriteLock();
        });
        assertThat(seen).isEqualTo("busy");
        String before = turns.inTransaction(this::tryWriteLockBeforeAnyStatement);
        assertThat(before).isEqualTo("busy");
        assertThat(tryWriteLock()).isEqualTo("free");
    }

    @Test
    void aSessionApiWriteInsideATransactionalMethodIsRefusedAtOnceSayingWhy() {
        store.findOrCreateSession("nested", Preamble.defaults());
        // the store's own write call runs its own transaction on another connection: it would wait for the
        // method's write lock until the busy timeout (5 s here), then blame another process
        assertThatThrownBy(() -> turns.inTransaction(() -> store.appendTurn("nested", "q", "a")))
                .isInstanceOf(DatabaseLockedException.class)
                .hasMessageContaining("this thread already has a write transaction open on it (a @Transactional"
                        + " method, a JPA transaction)");
        assertThat(store.history("nested")).hasSize(3);
        store.appendTurn("nested", "q", "a"); // outside the method it works
        assertThat(store.history("nested")).hasSize(5);
    }

    private String tryWriteLockBeforeAnyStatement() {
        return tryWriteLock();
    }

    private String tryWriteLock() {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(0);
        try (Connection c = config.createConnection("jdbc:sqlite:" + store.file()); Statement st = c.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            st.execute("ROLLBACK");
            return "free";
        } catch (SQLException e) {
            return e.getMessage().contains("SQLITE_BUSY") ? "busy" : e.getMessage();
        }
    }

    @Test
    void fourThreadsAppendingThroughSpringDataAllCommit() throws Exception {
        store.findOrCreateSession("threads", Preamble.defaults());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger failures = new AtomicInteger();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        try {
                            turns.append("threads", Role.USER, "t" + thread + " #" + i);
                        } catch (RuntimeException e) {
                            failures.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(failures).hasValue(0);
        Long id = conversations.findBySessionName("threads").orElseThrow().getId();
        List<Message> stored = messages.findByConversation_IdOrderByIdAsc(id);
        assertThat(stored).hasSize(3 + 100);
        // each thread's own messages were committed in the order it appended them
        for (int t = 0; t < 4; t++) {
            String prefix = "t" + t + " #";
            List<String> own = stored.stream().map(Message::getContent).filter(c -> c.startsWith(prefix)).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                expected.add(prefix + i);
            }
            assertThat(own).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void ajContinuesASessionWrittenThroughSpringData() throws Exception {
        store.findOrCreateSession("continued", Preamble.defaults());
        turns.append("continued", Role.USER, "question from Spring");
        turns.append("continued", Role.ASSISTANT, "answer from Spring");
        AjClient aj = new AjClient(store.file());
        aj.turn("continued", "question from aj", "answer from aj");
        int id = aj.findOrCreateSession("continued");
        assertThat(aj.loadMessages(id)).extracting(AjClient.Row::role).containsExactly("system", "user", "assistant",
                "user", "assistant", "user", "assistant");
        assertThat(aj.loadMessages(id)).extracting(AjClient.Row::content).endsWith("question from Spring",
                "answer from Spring", "question from aj", "answer from aj");
    }

    @Test
    void sqliteCodesBecomeSpringsDataAccessExceptions() throws Exception {
        assertThatThrownBy(() -> jdbc.update(
                "INSERT INTO messages (role, content, dynamic, conversation_id) VALUES ('user', 'x', 0, 99999)"))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining(store.file().toString()).hasMessageContaining("FOREIGN KEY");
        store.findOrCreateSession("dup");
        assertThatThrownBy(() -> jdbc.update("INSERT INTO conversations (session_name) VALUES ('dup')"))
                .isInstanceOf(DuplicateKeyException.class).hasMessageContaining("conversations.session_name");
    }

    @Test
    void anOrphanMessageThroughARepositoryIsADataIntegrityViolationNamingTheFile() {
        assertThatThrownBy(() -> turns.inTransaction(() -> messages.insertRaw("no parent", 99999)))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining(store.file().toString()).hasMessageContaining("FOREIGN KEY");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM messages WHERE content = 'no parent'", Integer.class))
                .isZero();
    }

    @Test
    void hibernateBatchesTheInsertsOfAFlush() {
        assertThat(entityManagerFactory.unwrap(SessionFactoryImplementor.class).getSessionFactoryOptions()
                .getJdbcBatchSize()).isEqualTo(AjSessionsAutoConfiguration.DEFAULT_JDBC_BATCH_SIZE);
    }

    @Test
    void theApplicationsOwnBatchSizeWins() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("hibernate.jdbc.batch_size", "5"); // as spring.jpa.properties.hibernate.jdbc.batch_size=5 gives it
        AjSessionsAutoConfiguration.JpaConfiguration.customize(properties, Path.of("aj.db"));
        assertThat(properties).containsEntry("hibernate.jdbc.batch_size", "5");
        Map<String, Object> none = new HashMap<>();
        AjSessionsAutoConfiguration.JpaConfiguration.customize(none, Path.of("aj.db"));
        assertThat(none).containsEntry("hibernate.jdbc.batch_size", AjSessionsAutoConfiguration.DEFAULT_JDBC_BATCH_SIZE);
    }

    @Test
    void messagesSavedInOneBatchKeepTheirOrderForAj() throws Exception {
        store.findOrCreateSession("ordered", Preamble.defaults());
        turns.inTransaction(() -> {
            Conversation conversation = conversations.findBySessionName("ordered").orElseThrow();
            List<Message> five = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Message message = new Message(i % 2 == 0 ? Role.USER : Role.ASSISTANT, "ordered #" + i);
                message.setConversation(conversation);
                five.add(message);
            }
            messages.saveAll(five);
            return null;
        });
        AjClient aj = new AjClient(store.file());
        int id = aj.findOrCreateSession("ordered");
        assertThat(aj.loadMessages(id)).extracting(AjClient.Row::content).endsWith("ordered #0", "ordered #1",
                "ordered #2", "ordered #3", "ordered #4");
    }

    @Test
    void aBatchedInsertThatFailsIsADataIntegrityViolationAndNothingIsCommitted() {
        store.findOrCreateSession("orphaned");
        assertThatThrownBy(() -> turns.inTransaction(() -> {
            Conversation conversation = conversations.findBySessionName("orphaned").orElseThrow();
            for (String content : List.of("batched question", "batched answer")) {
                Message message = new Message(Role.USER, content);
                message.setConversation(conversation);
                messages.save(message);
            }
            // the inserts wait for the flush at commit, so they meet a conversation that is gone
            jdbc.update("DELETE FROM conversations WHERE id = ?", conversation.getId());
            return null;
        })).isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining(store.file().toString()).hasMessageContaining("FOREIGN KEY")
                .satisfies(e -> assertThat(stackTrace(e)).as("failed in the JDBC batch").contains(".executeBatch("));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM messages WHERE content LIKE 'batched %'", Integer.class))
                .isZero();
        assertThat(conversations.findBySessionName("orphaned")).as("the delete rolled back with the batch").isPresent();
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }

    @Test
    void healthNamesTheFileAndItsStateButNoKey() throws Exception {
        String canary = "sk-canary-health-" + System.nanoTime();
        store.findOrCreateSession("health", Preamble.defaults());
        store.recordConfigSnapshot("health", new ConfigSnapshot("http://localhost:1/v1", canary, "m", 8192, 1024,
                List.of()));
        HealthIndicator indicator = context.getBean("ajSessionsHealthIndicator", HealthIndicator.class);
        Health health = indicator.health();
        assertThat(health.getStatus().getCode()).isEqualTo("UP");
        assertThat(health.getDetails()).containsEntry("file", store.file().toString())
                .containsEntry("variant", "AJ_SESSIONS").containsEntry("quickCheck", "ok")
                .containsEntry("lock", "none").containsEntry("journalMode", "delete");
        String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(health);
        assertThat(json).contains("quickCheck").doesNotContain(canary);
        assertThat(health.toString()).doesNotContain(canary);
    }

    @Test
    void bootsFlywayDoesNotTouchAjsFile() {
        assertThat(jdbc.queryForObject(
                "SELECT count(*) FROM sqlite_master WHERE name = 'flyway_schema_history'", Integer.class)).isZero();
        assertThat(context.getBeansOfType(org.flywaydb.core.Flyway.class)).hasSize(1);
    }
}
