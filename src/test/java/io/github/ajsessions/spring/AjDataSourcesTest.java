package io.github.ajsessions.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.sqlite.SQLiteDataSource;

/** Recognising a URL of aj's file without connecting. */
class AjDataSourcesTest {

    @TempDir
    Path folder;

    @Test
    void theUrlsOfAFileInTheirUsualSpellings() throws Exception {
        Path file = folder.resolve("aj.db");
        assertThat(AjDataSources.opensFile("jdbc:sqlite:" + file, file)).isTrue();
        assertThat(AjDataSources.opensFile("JDBC:SQLITE:" + file, file)).isTrue();
        assertThat(AjDataSources.opensFile("jdbc:sqlite:" + file + "?foreign_keys=on", file)).isTrue();
        assertThat(AjDataSources.opensFile("jdbc:sqlite:file:" + file + "?mode=rw", file)).isTrue();
        assertThat(AjDataSources.opensFile("jdbc:sqlite:file:" + file + "?cache=shared&mode=rw", file)).isTrue();
        assertThat(AjDataSources.opensFile("jdbc:sqlite:" + folder.resolve("x/../aj.db"), file)).isTrue();
        Files.createFile(file);
        Path link = Files.createSymbolicLink(folder.resolve("link.db"), file);
        assertThat(AjDataSources.opensFile("jdbc:sqlite:" + link, file)).isTrue();

        assertThat(AjDataSources.opensFile("jdbc:sqlite:" + folder.resolve("other.db"), file)).isFalse();
        assertThat(AjDataSources.opensFile("jdbc:sqlite::memory:", file)).isFalse();
        assertThat(AjDataSources.opensFile("jdbc:postgresql://localhost/aj.db", file)).isFalse();
        assertThat(AjDataSources.opensFile(null, file)).isFalse();
    }

    @Test
    void theUrlOfTheUsualDataSourcesBehindSpringsProxies() {
        SQLiteDataSource sqlite = new SQLiteDataSource();
        sqlite.setUrl("jdbc:sqlite:/x/aj.db");
        assertThat(AjDataSources.jdbcUrl(new TransactionAwareDataSourceProxy(sqlite))).isEqualTo("jdbc:sqlite:/x/aj.db");
        try (HikariDataSource hikari = new HikariDataSource()) {
            hikari.setJdbcUrl("jdbc:sqlite:/y/aj.db");
            assertThat(AjDataSources.jdbcUrl(hikari)).isEqualTo("jdbc:sqlite:/y/aj.db");
        }
        assertThat(AjDataSources.jdbcUrl(new DriverManagerDataSource("jdbc:sqlite:/z/aj.db"))).isEqualTo("jdbc:sqlite:/z/aj.db");
    }
}
