package io.github.ajsessions.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.ajsessions.core.AjSessionsException;
import io.github.ajsessions.core.DatabaseFileException;
import io.github.ajsessions.core.DatabaseLockedException;
import io.github.ajsessions.core.SchemaException;
import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.spring.app.TestApp;
import io.github.ajsessions.spring.plain.PlainApp;
import io.github.ajsessions.testkit.AjDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.sqlite.SQLiteConfig;

/** How an application starts, or refuses to, on the files and settings users get wrong. */
class AjSessionsStartupTest {

    @TempDir
    Path folder;

    private ConfigurableApplicationContext start(String... properties) {
        return start(TestApp.class, properties);
    }

    private ConfigurableApplicationContext start(Class<?> app, String... properties) {
        // as command-line arguments: over the test application.properties
        return new SpringApplicationBuilder(app).web(WebApplicationType.NONE)
                .run(Stream.of(properties).map(p -> "--" + p).toArray(String[]::new));
    }

    private static <T extends Throwable> T causeOfType(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in the chain of " + failure, failure);
    }

    /** What {@link SessionStore#open} says about the same file and settings. */
    private static String openMessage(StoreConfig config) {
        Throwable failure = catchThrowable(() -> SessionStore.open(config).close());
        assertThat(failure).isInstanceOf(AjSessionsException.class);
        return failure.getMessage();
    }

    /** Every file under the folder with its SHA-256, to prove a failed start wrote nothing. */
    private Map<String, String> contents() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.toList()) {
                String hash = "folder";
                if (Files.isRegularFile(p)) {
                    try {
                        hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
                    } catch (java.security.NoSuchAlgorithmException e) {
                        throw new IllegalStateException(e);
                    }
                }
                files.put(folder.relativize(p).toString(), hash);
            }
        }
        return files;
    }

    private AjSessionsException failsLikeOpen(Path db, Class<? extends AjSessionsException> type, String... more)
            throws IOException {
        StoreConfig config = StoreConfig.builder().database(db).busyTimeout(Duration.ofMillis(200)).build();
        String expected = openMessage(config);
        Map<String, String> before = contents();
        List<String> properties = new ArrayList<>(List.of("aj.sessions.database=" + db, "aj.sessions.busy-timeout=200ms"));
        properties.addAll(List.of(more));
        Throwable failure = catchThrowable(() -> start(properties.toArray(String[]::new)).close());
        AjSessionsException cause = causeOfType(failure, type);
        assertThat(cause).hasMessage(expected);
        assertThat(cause.getMessage()).doesNotContain("\n").contains(db.toString());
        assertThat(contents()).isEqualTo(before);
        return cause;
    }

    @Nested
    class BadFiles {

        @Test
        void aFolder() throws Exception {
            Path db = Files.createDirectory(folder.resolve("aj.db"));
            failsLikeOpen(db, DatabaseFileException.class);
        }

        @Test
        void aMissingFolder() throws Exception {
            failsLikeOpen(folder.resolve("missing").resolve("aj.db"), DatabaseFileException.class);
            assertThat(folder.resolve("missing")).doesNotExist();
        }

        @Test
        void notSqlite() throws Exception {
            Path db = folder.resolve("aj.db");
            Files.writeString(db, "api_key: not a database\n");
            failsLikeOpen(db, DatabaseFileException.class);
        }

        @Test
        void aForeignSchema() throws Exception {
            Path db = folder.resolve("aj.db");
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)");
            }
            failsLikeOpen(db, SchemaException.class);
        }

        @Test
        void aFileLockedPastTheBusyTimeout() throws Exception {
            Path db = AjDatabases.create(folder.resolve("aj.db"), SchemaVariant.AJ_INIT);
            try (Connection holder = new SQLiteConfig().createConnection("jdbc:sqlite:" + db);
                 Statement st = holder.createStatement()) {
                st.execute("BEGIN EXCLUSIVE");
                failsLikeOpen(db, DatabaseLockedException.class);
                st.execute("ROLLBACK");
            }
        }

        @Test
        void aMissingFileIsNotCreatedUnlessAsked() throws Exception {
            Path db = folder.resolve("aj.db");
            Throwable failure = catchThrowable(() -> start("aj.sessions.database=" + db).close());
            assertThat(causeOfType(failure, DatabaseFileException.class)).hasMessage("database " + db
                    + " (given explicitly) does not exist (set aj.sessions.database to aj's file, or"
                    + " aj.sessions.create-if-missing=true to create it with aj's schema)");
            assertThat(folder).isEmptyDirectory();

            try (ConfigurableApplicationContext context = start("aj.sessions.database=" + db,
                    "aj.sessions.create-if-missing=true")) {
                assertThat(context.getBean(SessionStore.class).info().variant()).isEqualTo(SchemaVariant.AJ_SESSIONS);
            }
            assertThat(Files.getPosixFilePermissions(db)).extracting(Object::toString)
                    .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        }
    }

    @Nested
    class TheApplicationsOwnSettings {

        @Test
        void aDataSourceOfItsOwnOnAjsFileIsRefused() {
            Path db = AjDatabases.create(folder.resolve("aj.db"), SchemaVariant.AJ_INIT);
            Throwable failure = catchThrowable(() -> start("aj.sessions.database=" + db,
                    "spring.datasource.url=jdbc:sqlite:" + db).close());
            IllegalStateException refusal = causeOfType(failure, IllegalStateException.class);
            assertThat(refusal).hasMessage("DataSource 'dataSource' opens aj's file " + db + " directly (jdbc:sqlite:"
                    + db + "): its connections would have foreign keys off, sqlite-jdbc's busy timeout and deferred"
                    + " write transactions. Remove spring.datasource.url and set aj.sessions.database=" + db
                    + " instead (aj-sessions then supplies the DataSource), or return sessionStore.dataSource() from"
                    + " your DataSource bean");
        }

        @Test
        void aDataSourceOfItsOwnOnAnotherDatabaseIsLeftAlone() throws Exception {
            Path db = AjDatabases.create(folder.resolve("aj.db"), SchemaVariant.AJ_INIT);
            Path other = folder.resolve("app.db");
            try (ConfigurableApplicationContext context = start(PlainApp.class, "aj.sessions.database=" + db,
                    "spring.datasource.url=jdbc:sqlite:" + other, "spring.jpa.hibernate.ddl-auto=none",
                    "spring.jpa.database-platform=org.hibernate.community.dialect.SQLiteDialect",
                    "spring.flyway.enabled=false")) {
                javax.sql.DataSource app = context.getBean(javax.sql.DataSource.class);
                assertThat(app).isNotSameAs(context.getBean(SessionStore.class).dataSource());
                assertThat(AjDataSources.jdbcUrl(app)).isEqualTo("jdbc:sqlite:" + other);
            }
        }

        @Test
        void ddlAutoThatWouldAlterAjsTablesIsRefused() throws Exception {
            Path db = AjDatabases.create(folder.resolve("aj.db"), SchemaVariant.AJ_INIT);
            Throwable failure = catchThrowable(() -> start("aj.sessions.database=" + db,
                    "spring.jpa.hibernate.ddl-auto=update").close());
            assertThat(causeOfType(failure, IllegalStateException.class)).hasMessage(
                    "spring.jpa.hibernate.ddl-auto=update would let Hibernate change aj's tables in " + db
                            + "; aj-sessions creates and migrates that schema: remove the setting (Hibernate then"
                            + " validates the entities) or set it to validate");
            failure = catchThrowable(() -> start("aj.sessions.database=" + db,
                    "spring.jpa.properties.jakarta.persistence.schema-generation.database.action=drop-and-create")
                    .close());
            assertThat(causeOfType(failure, IllegalStateException.class)).hasMessage("spring.jpa.properties"
                    + ".jakarta.persistence.schema-generation.database.action=drop-and-create would let Hibernate"
                    + " change aj's tables in " + db + "; aj-sessions creates and migrates that schema: remove the"
                    + " setting");
            assertThat(tables(db)).contains("conversations", "messages", "awful_configs");
        }

        @Test
        void theApplicationsFlywayMigratesItsOwnDatabaseAndNeverAjs() throws Exception {
            Path db = AjDatabases.create(folder.resolve("aj.db"), SchemaVariant.DIESEL_CLI);
            Path other = folder.resolve("app.db");
            try (ConfigurableApplicationContext context = start("aj.sessions.database=" + db,
                    "spring.flyway.url=jdbc:sqlite:" + other,
                    "spring.flyway.locations=classpath:io/github/ajsessions/spring/app-migration")) {
                assertThat(context.getBean(SessionStore.class).info().variant()).isEqualTo(SchemaVariant.DIESEL_CLI);
            }
            assertThat(tables(other)).contains("app_notes", "flyway_schema_history");
            assertThat(tables(db)).doesNotContain("app_notes", "flyway_schema_history")
                    .contains("conversations", "messages", "awful_configs", "aj_sessions_schema_history");
        }

        @Test
        void hibernateValidatesAFileThatHoldsTheSearchIndex() throws Exception {
            Path db = AjDatabases.create(folder.resolve("aj.db"), SchemaVariant.AJ_INIT);
            try (SessionStore store = SessionStore.open(db)) {
                store.findOrCreateSession("indexed", io.github.ajsessions.api.Preamble.defaults());
                assertThat(store.search().search("Ok", 5, io.github.ajsessions.api.Progress.NONE)).isNotEmpty();
            }
            assertThat(tables(db)).contains("aj_sessions_search");
            try (ConfigurableApplicationContext context = start("aj.sessions.database=" + db)) {
                assertThat(context.getBean(io.github.ajsessions.spring.app.ConversationRepository.class)
                        .findBySessionName("indexed")).isPresent();
            }
        }

        @Test
        void flywayPointedAtAjsFileIsRefused() {
            Path db = AjDatabases.create(folder.resolve("aj.db"), SchemaVariant.AJ_INIT);
            Throwable failure = catchThrowable(() -> start("aj.sessions.database=" + db,
                    "spring.flyway.url=jdbc:sqlite:" + db).close());
            assertThat(causeOfType(failure, IllegalStateException.class).getMessage())
                    .startsWith("Spring Boot's Flyway is configured to migrate aj's file " + db)
                    .endsWith("Point spring.flyway.url at your application's own database, or set"
                            + " spring.flyway.enabled=false");
        }

        @Test
        void liquibaseOnTheStoresDataSourceIsRefused() throws Exception {
            Path db = AjDatabases.create(folder.resolve("aj.db"), SchemaVariant.AJ_INIT);
            Throwable failure = catchThrowable(() -> start("aj.sessions.database=" + db,
                    "spring.liquibase.enabled=true",
                    "spring.liquibase.change-log=classpath:io/github/ajsessions/spring/app-changelog.sql").close());
            assertThat(causeOfType(failure, IllegalStateException.class)).hasMessage("Liquibase ('liquibase') would run"
                    + " on aj's file " + db + " and write its changelog tables there; aj-sessions migrates that file."
                    + " Point spring.liquibase.url at your application's own database, or set"
                    + " spring.liquibase.enabled=false");
            assertThat(tables(db)).doesNotContain("app_notes", "DATABASECHANGELOG", "databasechangelog");
        }

        @Test
        void theApplicationsLiquibaseMigratesItsOwnDatabase() throws Exception {
            Path db = AjDatabases.create(folder.resolve("aj.db"), SchemaVariant.AJ_INIT);
            Path other = folder.resolve("app.db");
            try (ConfigurableApplicationContext context = start("aj.sessions.database=" + db,
                    "spring.liquibase.enabled=true", "spring.liquibase.url=jdbc:sqlite:" + other,
                    "spring.liquibase.change-log=classpath:io/github/ajsessions/spring/app-changelog.sql")) {
                assertThat(context.getBean(SessionStore.class).file()).isEqualTo(db);
            }
            assertThat(tables(other)).contains("app_notes", "DATABASECHANGELOG");
            assertThat(tables(db)).doesNotContain("app_notes", "DATABASECHANGELOG");
        }

        @Test
        void turnedOffItConfiguresNothing() throws Exception {
            Path db = AjDatabases.create(folder.resolve("aj.db"), SchemaVariant.AJ_INIT);
            Path other = folder.resolve("app.db");
            try (ConfigurableApplicationContext context = start(PlainApp.class, "aj.sessions.enabled=false",
                    "aj.sessions.database=" + db, "spring.datasource.url=jdbc:sqlite:" + other,
                    "spring.jpa.hibernate.ddl-auto=none", "spring.flyway.enabled=false",
                    "spring.jpa.database-platform=org.hibernate.community.dialect.SQLiteDialect")) {
                assertThat(context.getBeansOfType(SessionStore.class)).isEmpty();
            }
            assertThat(tables(db)).doesNotContain("aj_sessions_schema_history");
        }
    }

    private static List<String> tables(Path file) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
