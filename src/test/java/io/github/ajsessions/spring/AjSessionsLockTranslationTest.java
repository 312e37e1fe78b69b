package io.github.ajsessions.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.spring.app.TestApp;
import io.github.ajsessions.spring.test.AjSessionsTestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.sqlite.SQLiteConfig;

/** A file locked by another connection past the (short) busy timeout, seen through Spring. */
@SpringBootTest(classes = TestApp.class, properties = "aj.sessions.busy-timeout=200ms")
@AjSessionsTestDatabase
class AjSessionsLockTranslationTest {

    @Autowired
    SessionStore store;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aBusyFileIsALockingFailureNamingTheFileAndTheTimeout() throws Exception {
        assertThat(jdbc.queryForObject("PRAGMA busy_timeout", Integer.class)).isEqualTo(200);
        try (Connection holder = new SQLiteConfig().createConnection("jdbc:sqlite:" + store.file());
             Statement st = holder.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            assertThatThrownBy(() -> jdbc.update("INSERT INTO conversations (session_name) VALUES ('locked')"))
                    .isInstanceOf(CannotAcquireLockException.class).hasMessageContaining(store.file().toString())
                    .hasMessageContaining("200");
            st.execute("ROLLBACK");
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM conversations WHERE session_name = 'locked'",
                Integer.class)).isZero();
    }
}
