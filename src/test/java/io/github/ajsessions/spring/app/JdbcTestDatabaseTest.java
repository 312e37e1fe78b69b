package io.github.ajsessions.spring.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.spring.test.AjSessionsTestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.JdbcTemplate;

/** {@code @JdbcTest} on a file as `diesel migration run` makes it. */
@JdbcTest
@AjSessionsTestDatabase(variant = SchemaVariant.DIESEL_CLI)
class JdbcTestDatabaseTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SessionStore store;

    @Test
    void jdbcRunsOnTheStoresPool() {
        assertThat(store.info().variant()).isEqualTo(SchemaVariant.DIESEL_CLI);
        assertThat(jdbc.getDataSource()).isSameAs(store.dataSource());
        assertThat(jdbc.queryForObject("PRAGMA foreign_keys", Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM __diesel_schema_migrations", Integer.class)).isEqualTo(1);
    }
}
