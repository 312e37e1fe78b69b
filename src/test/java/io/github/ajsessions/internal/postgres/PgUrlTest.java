package io.github.ajsessions.internal.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ajsessions.core.StoreConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The URL split into what may be shown and what may not (no server needed). */
class PgUrlTest {

    @Test
    void credentialsLeaveTheUrlAndOtherParametersStay() {
        PgUrl url = PgUrl.parse("jdbc:postgresql://db.example:5433/aj?user=me&password=s%26cret&sslmode=verify-full"
                + "&sslpassword=k&ApplicationName=x", Map.of());
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5433/aj?sslmode=verify-full&ApplicationName=x");
        assertThat(url.user()).isEqualTo("me");
        assertThat(url.properties()).containsEntry("password", "s&cret").containsEntry("sslpassword", "k")
                .containsEntry("user", "me");
        assertThat(url.where()).hasToString("postgresql@db.example:5433/aj");
        assertThat(url.toString()).isEqualTo("postgresql@db.example:5433/aj");
    }

    @Test
    void theEnvironmentGivesUserAndPasswordWhenTheUrlDoesNot() {
        PgUrl url = PgUrl.parse("jdbc:postgresql://h/aj", Map.of("PGUSER", "envuser", "PGPASSWORD", "envpw"));
        assertThat(url.properties()).containsEntry("user", "envuser").containsEntry("password", "envpw");
        PgUrl explicit = PgUrl.parse("jdbc:postgresql://h/aj?password=given", Map.of("PGPASSWORD", "envpw"));
        assertThat(explicit.properties()).containsEntry("password", "given");
        PgUrl none = PgUrl.parse("jdbc:postgresql://h/aj", Map.of());
        assertThat(none.properties()).as("left to the driver's ~/.pgpass").isEmpty();
    }

    @Test
    void storeConfigMasksEverySecretParameter() {
        assertThat(StoreConfig.builder().database("jdbc:postgresql://h/aj?user=me&password=abc&sslpassword=def"
                + "&sslmode=require").build().toString())
                .contains("database=jdbc:postgresql://h/aj?user=me&password=****&sslpassword=****&sslmode=require,")
                .doesNotContain("abc").doesNotContain("def");
        assertThat(StoreConfig.builder().database("jdbc:postgresql://h/aj?PASSWORD=abc").build().toString())
                .contains("PASSWORD=****");
        assertThat(StoreConfig.builder().database("/home/me/aj.db").build().toString())
                .contains("database=/home/me/aj.db,");
    }

    @Test
    void userInfoBeforeTheHostIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> PgUrl.parse("jdbc:postgresql://me:topsecret@h/aj", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("as parameters").hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> PgUrl.parse("jdbc:mysql://h/aj?password=x", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("password=x");
    }
}
