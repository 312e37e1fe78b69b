package io.github.ajsessions.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.internal.postgres.PgUrl;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The credentials properties of a PostgreSQL URL: folded into the URL the store parses, never printed. */
class AjSessionsPropertiesTest {

    private static AjSessionsProperties properties(String database, String username, String password) {
        AjSessionsProperties p = new AjSessionsProperties();
        p.setDatabase(database);
        p.setUsername(username);
        p.setPassword(password);
        return p;
    }

    @Test
    void usernameAndPasswordReachTheDriverAndNeverTheUrlOrToString() {
        String secret = "p&w=canary ü";
        AjSessionsProperties p = properties("jdbc:postgresql://127.0.0.1:5432/app?currentSchema=aj&sslmode=disable",
                "app user", secret);
        StoreConfig config = p.toStoreConfig();
        PgUrl url = PgUrl.parse(config.database(), Map.of());
        assertThat(url.user()).isEqualTo("app user");
        assertThat(url.properties()).containsEntry("password", secret).containsEntry("user", "app user");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/app?currentSchema=aj&sslmode=disable");
        assertThat(config.toString()).doesNotContain("canary");
        assertThat(p.toString()).doesNotContain("canary").contains("password=****");
    }

    @Test
    void aPasswordInTheUrlIsMaskedInToString() {
        AjSessionsProperties p = properties("jdbc:postgresql://h/db?user=u&password=canary-url", null, null);
        assertThat(p.toString()).doesNotContain("canary-url").contains("password=****");
        assertThat(PgUrl.parse(p.toStoreConfig().database(), Map.of()).properties())
                .containsEntry("password", "canary-url");
    }

    @Test
    void aCredentialGivenTwiceIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> properties("jdbc:postgresql://h/db?password=canary-one", null, "canary-two")
                .toStoreConfig()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the password is given both in aj.sessions.database and in aj.sessions.password: give it once")
                .hasMessageNotContaining("canary");
    }

    @Test
    void credentialsForAjsFileAreRefused() {
        assertThatThrownBy(() -> properties("/tmp/aj.db", "me", null).toStoreConfig())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("aj.sessions.username and aj.sessions.password are for a PostgreSQL server");
    }
}
