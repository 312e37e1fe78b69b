package io.github.ajsessions.spring.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.model.Conversation;
import io.github.ajsessions.model.Message;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.postgres.PgTestServer;
import io.github.ajsessions.spring.test.AjSessionsTestDatabase;
import io.github.ajsessions.spring.test.AjSessionsTestDatabaseCustomizerFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextCustomizer;

/** {@code @DataJpaTest} with {@code @AjSessionsTestDatabase(postgres = ...)}: a schema of its own on the real server. */
@DataJpaTest(properties = {"aj.sessions.username=${AJ_SESSIONS_TEST_PG_USER}",
        "aj.sessions.password=${AJ_SESSIONS_TEST_PG_PASSWORD}"})
@AjSessionsTestDatabase(postgres = "${AJ_SESSIONS_TEST_PG_URL}")
class PostgresTestDatabaseTest {

    @Autowired
    ConversationRepository conversations;
    @Autowired
    MessageRepository messages;
    @Autowired
    SessionStore store;
    @Autowired
    JdbcTemplate jdbc;

    @BeforeAll
    static void server() {
        PgTestServer.baseUrl(); // skips locally, fails in CI, without a server
    }

    @Test
    void theContextRunsOnASchemaOfItsOwn() {
        assertThat(store.file().toString()).startsWith("postgresql@");
        assertThat(jdbc.queryForObject("SELECT current_schema()", String.class)).startsWith("aj_test_");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM aj_sessions_schema_history", Integer.class)).isEqualTo(1);
    }

    @Test
    void repositoriesReadAndWriteAjsTables() {
        Conversation saved = conversations.save(new Conversation("from a test on the server"));
        Message question = new Message(Role.USER, "hello");
        question.setConversation(saved);
        Message answer = new Message(Role.ASSISTANT, "hi");
        answer.setConversation(saved);
        messages.saveAllAndFlush(List.of(question, answer));
        assertThat(messages.findByConversation_IdOrderByIdAsc(saved.getId())).extracting(Message::getContent)
                .containsExactly("hello", "hi");
        assertThat(answer.getId()).isEqualTo(question.getId() + 1);
    }

    private static boolean schemaExists(String name) throws Exception {
        try (Connection c = DriverManager.getConnection(PgTestServer.baseUrl(), PgTestServer.user(),
                PgTestServer.password());
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_namespace WHERE nspname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        }
    }

    @AjSessionsTestDatabase(postgres = "${AJ_SESSIONS_TEST_PG_URL}")
    static class OnTheServer {
    }

    @AjSessionsTestDatabase(postgres = "${AJ_SESSIONS_TEST_PG_URL}", variant = SchemaVariant.AJ_INIT)
    static class WithAnAjVariant {
    }

    @Test
    void theSchemaIsCreatedBeforeTheContextAndDroppedWhenItCloses() throws Exception {
        ContextCustomizer customizer = new AjSessionsTestDatabaseCustomizerFactory()
                .createContextCustomizer(OnTheServer.class, List.of());
        GenericApplicationContext context = new GenericApplicationContext();
        context.getEnvironment().getPropertySources().addLast(new MapPropertySource("credentials", Map.of(
                "aj.sessions.username", PgTestServer.user(), "aj.sessions.password", PgTestServer.password())));
        customizer.customizeContext(context, null);
        String database = context.getEnvironment().getProperty("aj.sessions.database");
        assertThat(database).startsWith(PgTestServer.baseUrl()).contains("currentSchema=aj_test_");
        String schema = database.substring(database.indexOf("currentSchema=") + "currentSchema=".length());
        assertThat(schemaExists(schema)).isTrue();
        context.refresh();
        context.close();
        assertThat(schemaExists(schema)).isFalse();
        assertThat(customizer.toString()).doesNotContain(PgTestServer.password());
    }

    @Test
    void anAjVariantOnAServerIsRefused() {
        ContextCustomizer customizer = new AjSessionsTestDatabaseCustomizerFactory()
                .createContextCustomizer(WithAnAjVariant.class, List.of());
        assertThatThrownBy(() -> customizer.customizeContext(new GenericApplicationContext(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("variant = AJ_INIT) is a variant of aj's SQLite file");
    }
}
