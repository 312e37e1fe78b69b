package io.github.ajsessions.internal.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.testkit.AjSessionsExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

/** The connection layer's factory: settings applied to every connection, unwrap, toString. */
@ExtendWith(AjSessionsExtension.class)
class ExplicitTransactionDataSourceTest {

    private static long pragma(Connection c, String name) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void everyConnectionHasTheSettingsBusyTimeoutAndForeignKeys(SessionStore store, Path file) throws Exception {
        DataSource on = ExplicitTransactionDataSource.create(new ConnectionSettings(file, Duration.ofMillis(1234),
                true, false));
        try (Connection a = on.getConnection(); Connection b = on.getConnection()) {
            for (Connection c : new Connection[] {a, b}) {
                assertThat(pragma(c, "foreign_keys")).isEqualTo(1);
                assertThat(pragma(c, "busy_timeout")).isEqualTo(1234);
                assertThat(pragma(c, "query_only")).isZero();
                assertThat(c.getAutoCommit()).isTrue();
                assertThat(c.isReadOnly()).isFalse();
                try (Statement st = c.createStatement()) {
                    assertThatThrownBy(() -> st.executeUpdate("INSERT INTO messages (role, content, dynamic,"
                            + " conversation_id) VALUES ('user', 'orphan', 0, 999)"))
                            .hasMessageContaining("FOREIGN KEY constraint failed");
                }
            }
        }
        DataSource off = ExplicitTransactionDataSource.create(new ConnectionSettings(file, Duration.ZERO, false,
                false));
        try (Connection c = off.getConnection()) {
            assertThat(pragma(c, "foreign_keys")).as("as asked, though aj's files rely on them").isZero();
            assertThat(pragma(c, "busy_timeout")).isZero();
        }
    }

    @Test
    void aReadOnlyDataSourceRefusesWritesWithSqlitesOpenFlag(SessionStore store, Path file) throws Exception {
        ExplicitTransactionDataSource readOnly = ExplicitTransactionDataSource.create(
                ConnectionSettings.of(file, StoreConfig.builder().schemaMode(StoreConfig.SchemaMode.READ_ONLY)
                        .build()));
        assertThat(readOnly.queryOnly()).as("the file is in the rollback journal").isFalse();
        try (Connection c = readOnly.getConnection(); Statement st = c.createStatement()) {
            assertThat(c.isReadOnly()).isTrue();
            assertThat(pragma(c, "foreign_keys")).isEqualTo(1);
            assertThatThrownBy(() -> st.executeUpdate("INSERT INTO conversations (session_name) VALUES ('x')"))
                    .hasMessageContaining("SQLITE_READONLY");
        }
    }

    @Nested
    class OnAWalFile {

        @Test
        void aReadOnlyDataSourceOpensReadWriteAndRefusesWritesWithQueryOnly(@TempDir Path dir) throws Exception {
            Path file = dir.resolve("wal.db");
            try (SessionStore store = SessionStore.open(StoreConfig.builder().database(file.toString())
                    .journalMode(StoreConfig.JournalMode.WAL).build())) {
                store.findOrCreateSession("s");
            }
            ExplicitTransactionDataSource readOnly = ExplicitTransactionDataSource.create(
                    new ConnectionSettings(file, Duration.ofMillis(100), true, true));
            assertThat(readOnly.queryOnly()).isTrue();
            assertThat(readOnly).hasToString("ExplicitTransactionDataSource[jdbc:sqlite:" + file
                    + ", busyTimeout=100 ms, foreignKeys=true, readOnly=true (query_only)]");
            try (Connection c = readOnly.getConnection(); Statement st = c.createStatement()) {
                assertThat(pragma(c, "query_only")).isEqualTo(1);
                assertThat(pragma(c, "foreign_keys")).isEqualTo(1);
                assertThatThrownBy(() -> st.executeUpdate("INSERT INTO conversations (session_name) VALUES ('x')"))
                        .hasMessageContaining("SQLITE_READONLY");
            }
        }
    }

    @Test
    void unwrapReachesTheStatisticsAndNothingElse(SessionStore store, Path file) throws Exception {
        ExplicitTransactionDataSource dataSource = ExplicitTransactionDataSource.create(
                new ConnectionSettings(file, Duration.ZERO, true, false));
        assertThat(dataSource.unwrap(DataSource.class)).isSameAs(dataSource);
        assertThat(dataSource.isWrapperFor(WriteLockStatistics.class)).isTrue();
        assertThat(dataSource.unwrap(WriteLockStatistics.class)).isSameAs(dataSource.unwrap(WriteLockStatistics.class));
        assertThat(dataSource.isWrapperFor(SQLiteConnection.class)).isFalse();
        assertThatThrownBy(() -> dataSource.unwrap(String.class)).isInstanceOf(SQLException.class)
                .hasMessage("not a wrapper for java.lang.String");
        // through the store's pool (HikariCP asks the data source it wraps)
        assertThat(store.dataSource().unwrap(WriteLockStatistics.class)).isInstanceOf(LockHoldStatistics.class);
        assertThat(store.dataSource().unwrap(ExplicitTransactionDataSource.class).settings())
                .isEqualTo(ConnectionSettings.of(file, store.config()));
    }

    @Test
    void equalityIsIdentityAndToStringShowsTheSettings(SessionStore store, Path file) {
        ConnectionSettings settings = new ConnectionSettings(file, Duration.ofSeconds(5), true, false);
        ExplicitTransactionDataSource one = ExplicitTransactionDataSource.create(settings);
        ExplicitTransactionDataSource two = ExplicitTransactionDataSource.create(settings);
        assertThat(one).isNotEqualTo(two).isEqualTo(one);
        assertThat(one).hasToString("ExplicitTransactionDataSource[jdbc:sqlite:" + file
                + ", busyTimeout=5000 ms, foreignKeys=true, readOnly=false]");
    }

    @Test
    void theUserAndPasswordAreIgnoredAndNeverShown(SessionStore store, Path file) throws Exception {
        ExplicitTransactionDataSource dataSource = ExplicitTransactionDataSource.create(
                new ConnectionSettings(file, Duration.ZERO, true, false));
        try (Connection c = dataSource.getConnection("user", "s3cret-password")) {
            assertThat(c.getAutoCommit()).isTrue();
            assertThat(c.toString()).startsWith("ExplicitTransactionConnection[").doesNotContain("s3cret-password");
        }
        assertThat(dataSource.toString()).doesNotContain("s3cret-password");
    }

    @Nested
    class Settings {

        @Test
        void areValidatedWithThePropertyAndTheValue(@TempDir Path dir) {
            Path file = dir.resolve("aj.db");
            assertThatThrownBy(() -> new ConnectionSettings(file, Duration.ofMillis(-1), true, false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("busyTimeout must be >= 0 ms, was -1 ms");
            assertThatThrownBy(() -> new ConnectionSettings(file, Duration.ofMillis(Integer.MAX_VALUE + 1L), true,
                    false)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("busyTimeout must be <= 2147483647 ms, was 2147483648 ms");
            assertThatThrownBy(() -> new ConnectionSettings(null, Duration.ZERO, true, false))
                    .isInstanceOf(NullPointerException.class).hasMessage("file must not be null");
        }

        @Test
        void followAStoreConfig(@TempDir Path dir) {
            Path file = dir.resolve("aj.db");
            StoreConfig config = StoreConfig.builder().database("jdbc:sqlite:" + file).busyTimeout(Duration.ofMillis(7))
                    .schemaMode(StoreConfig.SchemaMode.READ_ONLY).build();
            assertThat(ConnectionSettings.of(config)).isEqualTo(new ConnectionSettings(file, Duration.ofMillis(7), true,
                    true));
            assertThat(ConnectionSettings.of(file, StoreConfig.forFile(file)))
                    .isEqualTo(new ConnectionSettings(file, StoreConfig.DEFAULT_BUSY_TIMEOUT, true, false));
        }
    }
}
