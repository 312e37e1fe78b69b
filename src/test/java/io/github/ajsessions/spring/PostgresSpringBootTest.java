package io.github.ajsessions.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.ajsessions.api.ConfigSnapshot;
import io.github.ajsessions.api.Preamble;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.AjSessionsException;
import io.github.ajsessions.core.DatabaseFileException;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.model.Conversation;
import io.github.ajsessions.model.Message;
import io.github.ajsessions.model.MessageRecord;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.postgres.PgTestServer;
import io.github.ajsessions.spring.app.ConversationRepository;
import io.github.ajsessions.spring.app.MessageRepository;
import io.github.ajsessions.spring.app.TestApp;
import io.github.ajsessions.spring.app.TurnService;
import jakarta.persistence.EntityManagerFactory;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The auto-configuration with {@code aj.sessions.database} a PostgreSQL URL, on the real server: the same beans
 * as on aj's file, each test class on a schema of its own.
 */
class PostgresSpringBootTest {

    static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(TestApp.class).web(WebApplicationType.NONE)
                .run(Stream.of(properties).map(p -> "--" + p).toArray(String[]::new));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** One application on one schema, credentials in aj.sessions.username and aj.sessions.password. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Running {

        PgTestServer.Schema schema;
        ConfigurableApplicationContext context;
        SessionStore store;
        JdbcTemplate jdbc;
        TurnService turns;
        ConversationRepository conversations;
        MessageRepository messages;

        @BeforeAll
        void start() throws Exception {
            schema = PgTestServer.newSchema();
            context = PostgresSpringBootTest.start("aj.sessions.database=" + schema.url(),
                    "aj.sessions.username=" + PgTestServer.user(), "aj.sessions.password=" + PgTestServer.password());
            store = context.getBean(SessionStore.class);
            jdbc = context.getBean(JdbcTemplate.class);
            turns = context.getBean(TurnService.class);
            conversations = context.getBean(ConversationRepository.class);
            messages = context.getBean(MessageRepository.class);
        }

        @AfterAll
        void stop() throws Exception {
            if (context != null) {
                context.close();
            }
            if (schema != null) {
                schema.close();
            }
        }

        @Test
        void theSameBeansAsOnAjsFileOnTheServersSchema() {
            assertThat(store.file().toString()).startsWith("postgresql@127.0.0.1:").endsWith("/aj_sessions_test");
            assertThat(context.getBean(DataSource.class)).isSameAs(store.dataSource());
            assertThat(jdbc.queryForObject("SELECT current_schema()", String.class)).isEqualTo(schema.name());
            // the module's PostgreSQL migrations in their own history table; Boot's Flyway wrote nothing
            assertThat(jdbc.queryForObject("SELECT string_agg(version || ' ' || description, ',')"
                    + " FROM aj_sessions_schema_history", String.class)).isEqualTo("1 aj schema");
            assertThat(jdbc.queryForObject("SELECT to_regclass('flyway_schema_history') IS NULL", Boolean.class))
                    .isTrue();
            assertThat(context.getBeansOfType(org.flywaydb.core.Flyway.class)).hasSize(1);
            // Hibernate: PostgreSQL's dialect, aj's entities, validation against the migrated tables
            EntityManagerFactory emf = context.getBean(EntityManagerFactory.class);
            assertThat(emf.unwrap(SessionFactoryImplementor.class).getJdbcServices().getDialect())
                    .isInstanceOf(PostgreSQLDialect.class);
            assertThat(emf.getProperties()).containsEntry("hibernate.hbm2ddl.auto", "validate");
            assertThat(emf.getMetamodel().getEntities()).extracting(e -> e.getJavaType().getSimpleName())
                    .contains("Conversation", "Message", "AwfulConfig");
            assertThat(jdbc.getExceptionTranslator()).isInstanceOf(AjPostgresExceptionTranslator.class);
        }

        @Test
        void fourThreadsAppendingTurnsThroughSpringDataAllCommitEachTurnAdjacent() throws Exception {
            store.findOrCreateSession("threads", Preamble.defaults());
            ExecutorService pool = Executors.newFixedThreadPool(4);
            AtomicInteger failures = new AtomicInteger();
            List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < 25; i++) {
                            try {
                                turns.appendTurn("threads", "t" + thread + " q" + i, "t" + thread + " a" + i);
                            } catch (RuntimeException e) {
                                failures.incrementAndGet();
                                errors.add(e);
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
            assertThat(errors).isEmpty();
            assertThat(failures).hasValue(0);
            Long id = conversations.findBySessionName("threads").orElseThrow().getId();
            List<Message> stored = messages.findByConversation_IdOrderByIdAsc(id);
            assertThat(stored).hasSize(3 + 200);
            List<Message> turnRows = stored.subList(3, stored.size());
            for (int k = 0; k < turnRows.size(); k += 2) {
                Message question = turnRows.get(k);
                Message answer = turnRows.get(k + 1);
                assertThat(question.getRole()).isEqualTo(Role.USER);
                assertThat(answer.getRole()).isEqualTo(Role.ASSISTANT);
                // the reply right after its own question, with the next id: no other turn in between
                assertThat(answer.getContent()).isEqualTo(question.getContent().replace(" q", " a"));
                assertThat(answer.getId()).isEqualTo(question.getId() + 1);
            }
            for (int t = 0; t < 4; t++) {
                String prefix = "t" + t + " q";
                List<String> own = turnRows.stream().map(Message::getContent).filter(c -> c.startsWith(prefix)).toList();
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < 25; i++) {
                    expected.add(prefix + i);
                }
                assertThat(own).containsExactlyElementsOf(expected);
            }
            // the session API reads the same rows in the same order
            assertThat(store.history("threads")).extracting(MessageRecord::id)
                    .containsExactlyElementsOf(stored.stream().map(Message::getId).toList());
        }

        @Test
        void healthNamesTheServerAndSchemaButNoCredentialOrKey() throws Exception {
            String canary = "sk-canary-pg-health-" + System.nanoTime();
            store.findOrCreateSession("health", Preamble.defaults());
            store.recordConfigSnapshot("health", new ConfigSnapshot("http://localhost:1/v1", canary, "m", 8192, 1024,
                    List.of()));
            HealthIndicator indicator = context.getBean("ajSessionsHealthIndicator", HealthIndicator.class);
            Health health = indicator.health();
            assertThat(health.getStatus().getCode()).isEqualTo("UP");
            assertThat(health.getDetails()).containsEntry("backend", "postgresql")
                    .containsEntry("database", store.file().toString()).containsEntry("schema", schema.name())
                    .containsEntry("variant", "AJ_SESSIONS").containsEntry("schemaVersion", 1)
                    .containsKey("serverVersion").doesNotContainKeys("quickCheck", "lock", "file");
            String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(health);
            assertThat(PgTestServer.password()).isNotEmpty();
            assertThat(json).doesNotContain(canary).doesNotContain(PgTestServer.password())
                    .doesNotContainIgnoringCase("password").doesNotContain("user=");
            assertThat(health.toString()).doesNotContain(canary).doesNotContain(PgTestServer.password());
        }

        @Test
        void aUniqueViolationIsADuplicateKeyAndAForeignKeyOneADataIntegrityViolation() {
            store.findOrCreateSession("dup");
            assertThatThrownBy(() -> jdbc.update("INSERT INTO conversations (session_name) VALUES ('dup')"))
                    .isInstanceOf(DuplicateKeyException.class).isInstanceOf(DataIntegrityViolationException.class)
                    .hasMessageContaining("unique constraint failed: conversations_local_name in " + store.file());
            assertThatThrownBy(() -> conversations.saveAndFlush(new Conversation("dup")))
                    .isInstanceOf(DataIntegrityViolationException.class)
                    .hasMessageContaining("conversations_local_name");
            assertThatThrownBy(() -> jdbc.update("INSERT INTO messages (role, content, dynamic, conversation_id)"
                    + " VALUES ('user', 'no parent', false, 99999)"))
                    .isInstanceOf(DataIntegrityViolationException.class)
                    .hasMessageContaining("foreign key constraint failed").hasMessageContaining(store.file().toString());
            assertThat(jdbc.queryForObject("SELECT count(*) FROM conversations WHERE session_name = 'dup'",
                    Integer.class)).isEqualTo(1);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM messages WHERE content = 'no parent'", Integer.class))
                    .isZero();
        }

        @Test
        void aLockTimeoutIsALockingFailure() throws Exception {
            long id = store.findOrCreateSession("locked").id();
            TransactionTemplate tx = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            try (Connection holder = schema.connect(); Statement st = holder.createStatement()) {
                holder.setAutoCommit(false);
                st.execute("SELECT id FROM conversations WHERE id = " + id + " FOR UPDATE");
                assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
                    jdbc.execute("SET LOCAL lock_timeout = '100ms'");
                    jdbc.update("UPDATE conversations SET session_name = 'renamed' WHERE id = ?", id);
                })).isInstanceOf(CannotAcquireLockException.class).hasMessageContaining(store.file().toString());
                holder.rollback();
            }
            assertThat(store.findSession("locked")).isPresent();
        }
    }

    /** A start that fails on the server: the one line SessionStore.open says, no password anywhere. */
    @Nested
    @ExtendWith(OutputCaptureExtension.class)
    class BadServer {

        private AjSessionsException failsLikeOpen(String url, CapturedOutput output, String secret,
                                                  String... properties) {
            Throwable opened = catchThrowable(() -> SessionStore.open(StoreConfig.builder().database(url).build()).close());
            assertThat(opened).isInstanceOf(AjSessionsException.class);
            List<String> all = new ArrayList<>(List.of(properties));
            Throwable failure = catchThrowable(() -> start(all.toArray(String[]::new)).close());
            AjSessionsException cause = null;
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof AjSessionsException) {
                    cause = (AjSessionsException) t;
                    break;
                }
            }
            assertThat(cause).as("an AjSessionsException in %s", failure).isNotNull();
            assertThat(cause).isExactlyInstanceOf(opened.getClass()).hasMessage(opened.getMessage());
            assertThat(cause.getMessage()).doesNotContain("\n").doesNotContain(secret);
            // the failure analysis prints the module's line
            assertThat(output.getAll()).contains(opened.getMessage()).doesNotContain(secret);
            StringBuilder chain = new StringBuilder();
            for (Throwable t = failure; t != null; t = t.getCause()) {
                chain.append(t).append('\n');
            }
            assertThat(chain).doesNotContain(secret);
            return cause;
        }

        @Test
        void anUnreachableServer(CapturedOutput output) throws Exception {
            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            String secret = "pw-canary-unreachable-" + System.nanoTime();
            String url = "jdbc:postgresql://127.0.0.1:" + port + "/aj?connectTimeout=2&user=aj&password=" + secret;
            AjSessionsException cause = failsLikeOpen(url, output, secret, "aj.sessions.database=" + url);
            assertThat(cause).isInstanceOf(DatabaseFileException.class)
                    .hasMessageStartingWith("cannot reach the PostgreSQL server postgresql@127.0.0.1:" + port + "/aj");
        }

        @Test
        void aWrongPasswordInTheProperties(CapturedOutput output) throws Exception {
            String base = PgTestServer.baseUrl();
            String secret = "pw-canary-wrong-" + System.nanoTime();
            AjSessionsException cause = failsLikeOpen(base + "?user=" + enc(PgTestServer.user()) + "&password="
                    + enc(secret), output, secret, "aj.sessions.database=" + base,
                    "aj.sessions.username=" + PgTestServer.user(), "aj.sessions.password=" + secret);
            assertThat(cause).isInstanceOf(DatabaseFileException.class)
                    .hasMessageContaining("refused the credentials");
        }

        @Test
        void aWrongPasswordInTheUrl(CapturedOutput output) throws Exception {
            String base = PgTestServer.baseUrl();
            String secret = "pw-canary-url-" + System.nanoTime();
            String url = base + "?user=" + enc(PgTestServer.user()) + "&password=" + enc(secret);
            failsLikeOpen(url, output, secret, "aj.sessions.database=" + url);
        }
    }
}
