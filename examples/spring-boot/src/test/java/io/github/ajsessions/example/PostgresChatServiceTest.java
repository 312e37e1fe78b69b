package io.github.ajsessions.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.model.Message;
import io.github.ajsessions.spring.AjSessionsHealthIndicator;
import io.github.ajsessions.spring.test.AjSessionsTestDatabase;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The same application, unchanged, on a PostgreSQL server: only {@code aj.sessions.database} (here a schema of its
 * own, from the test annotation) and the credentials differ. Runs when {@code AJ_SESSIONS_TEST_PG_URL} names a
 * server ({@code scripts/dev/postgres.sh} in the repository; {@code .ci/run} always starts one).
 */
@SpringBootTest(properties = {"aj.sessions.username=${AJ_SESSIONS_TEST_PG_USER}",
        "aj.sessions.password=${AJ_SESSIONS_TEST_PG_PASSWORD}"})
@AjSessionsTestDatabase(postgres = "${AJ_SESSIONS_TEST_PG_URL}")
@EnabledIfEnvironmentVariable(named = "AJ_SESSIONS_TEST_PG_URL", matches = ".+")
class PostgresChatServiceTest {

    @Autowired
    ChatService chat;
    @Autowired
    SessionStore store;
    @Autowired
    DataSource dataSource;
    @Autowired
    AjSessionsHealthIndicator health;

    @Test
    void theApplicationRunsOnTheStoresPoolOnTheServer() {
        assertThat(dataSource).isSameAs(store.dataSource());
        assertThat(store.file().toString()).startsWith("postgresql@");
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        assertThat(jdbc.queryForObject("SELECT current_schema()", String.class)).startsWith("aj_test_");
        // the module's own migrations made the schema; nothing of Spring's Flyway is there
        assertThat(jdbc.queryForObject("SELECT count(*) FROM aj_sessions_schema_history WHERE success", Integer.class))
                .isPositive();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM information_schema.tables WHERE table_schema ="
                + " current_schema() AND table_name = 'flyway_schema_history'", Integer.class)).isZero();
    }

    @Test
    void fourThreadsTimesTwentyFiveTurnsAllCommitInOrder() throws Exception {
        List<Message> history = TurnRace.fourThreadsTimesTwentyFiveTurns(chat, "busy");
        // the session API reads what Spring Data wrote, in the same order
        assertThat(store.history("busy")).extracting(m -> m.content())
                .containsExactlyElementsOf(history.stream().map(Message::getContent).toList());
    }

    @Test
    void theHealthNamesTheServerWithoutCredentials() {
        var health = this.health.health();
        assertThat(health.getStatus().getCode()).isEqualTo("UP");
        assertThat(health.getDetails()).containsEntry("backend", "postgresql");
        assertThat(health.getDetails().toString()).doesNotContain(System.getenv("AJ_SESSIONS_TEST_PG_PASSWORD"))
                .doesNotContain("password");
    }
}
