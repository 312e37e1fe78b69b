package io.github.ajsessions.spring.test;

import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.internal.postgres.PgErrors;
import io.github.ajsessions.internal.postgres.PgUrl;
import io.github.ajsessions.spring.AjSessionsProperties;
import io.github.ajsessions.testkit.AjDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/** Creates the per-context file of {@link AjSessionsTestDatabase}. */
public class AjSessionsTestDatabaseCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
                                                     List<ContextConfigurationAttributes> configAttributes) {
        return MergedAnnotations.from(testClass, SearchStrategy.TYPE_HIERARCHY).get(AjSessionsTestDatabase.class)
                .synthesize(a -> a.isPresent())
                .map(a -> (ContextCustomizer) new Customizer(a.variant(), a.postgres())).orElse(null);
    }

    /** Equal for equal settings, so that Spring's context cache works as usual. */
    private record Customizer(SchemaVariant variant, String postgres) implements ContextCustomizer {

        static final String PROPERTY_SOURCE = "aj-sessions test database";

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration merged) {
            if (!postgres.isBlank()) {
                customizeServer(context);
                return;
            }
            Path folder;
            try {
                folder = Files.createTempDirectory("aj-sessions-test"); // owner-only, as the JDK creates it
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary folder for the test's aj.db", e);
            }
            Path file = folder.resolve("aj.db");
            if (variant != SchemaVariant.AJ_SESSIONS && variant != SchemaVariant.EMPTY) {
                AjDatabases.create(file, variant);
            }
            // first, over the application's values and over @DataJpaTest's own @AutoConfigureTestDatabase, which
            // would replace the DataSource with an embedded database
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, Map.of(
                    AjSessionsProperties.PREFIX + ".database", file.toString(),
                    AjSessionsProperties.PREFIX + ".create-if-missing", "true",
                    "spring.test.database.replace", "none")));
            // registered before any bean exists, hence destroyed after all of them: the store is closed first
            if (context.getBeanFactory() instanceof DefaultSingletonBeanRegistry registry) {
                registry.registerDisposableBean("ajSessionsTestDatabaseFolder", () -> deleteTree(folder));
            }
        }

        /** Spring prints context cache keys at debug level: a password written into the URL stays out. */
        @Override
        public String toString() {
            return "AjSessionsTestDatabase[variant=" + variant + ", postgres="
                    + postgres.replaceAll("(?i)([?&;](?:ssl)?password=)[^&]*", "$1****") + "]";
        }

        /** A new schema on the server, selected in {@code aj.sessions.database}; dropped after the store has closed. */
        private void customizeServer(ConfigurableApplicationContext context) {
            if (variant != SchemaVariant.AJ_SESSIONS && variant != SchemaVariant.EMPTY) {
                throw new IllegalArgumentException("@AjSessionsTestDatabase(variant = " + variant + ") is a variant of"
                        + " aj's SQLite file; on a PostgreSQL server (postgres = ...) the schema is the module's own:"
                        + " leave the variant out");
            }
            ConfigurableEnvironment environment = context.getEnvironment();
            String url = environment.resolveRequiredPlaceholders(postgres).trim();
            if (!PgUrl.accepts(url)) {
                throw new IllegalArgumentException("@AjSessionsTestDatabase(postgres = ...) must be a jdbc:postgresql:"
                        + " URL (placeholders resolved)");
            }
            if (url.toLowerCase(Locale.ROOT).matches(".*[?&]currentschema=.*")) {
                throw new IllegalArgumentException("@AjSessionsTestDatabase(postgres = ...) picks the schema itself:"
                        + " remove currentSchema from the URL");
            }
            String schema = "aj_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            Server server = new Server(url, environment.getProperty(AjSessionsProperties.PREFIX + ".username"),
                    environment.getProperty(AjSessionsProperties.PREFIX + ".password"));
            server.execute("CREATE SCHEMA " + schema);
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, Map.of(
                    AjSessionsProperties.PREFIX + ".database", url + (url.contains("?") ? "&" : "?")
                            + "currentSchema=" + schema,
                    "spring.test.database.replace", "none")));
            if (context.getBeanFactory() instanceof DefaultSingletonBeanRegistry registry) {
                registry.registerDisposableBean("ajSessionsTestDatabaseSchema",
                        () -> server.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE"));
            }
        }

        private static void deleteTree(Path folder) {
            if (!Files.exists(folder)) {
                return;
            }
            try (Stream<Path> paths = Files.walk(folder)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the test's folder " + folder, e);
            }
        }
    }

    /** The server of a test schema, reached with the same credentials rules as the store. */
    private record Server(String url, String username, String password) {

        void execute(String sql) {
            PgUrl parsed = PgUrl.parse(url);
            Properties properties = parsed.properties();
            if (username != null) {
                properties.setProperty("user", username);
            }
            if (password != null) {
                properties.setProperty("password", password);
            }
            try (Connection c = DriverManager.getConnection(parsed.jdbcUrl(), properties);
                 Statement st = c.createStatement()) {
                st.execute(sql);
            } catch (SQLException e) {
                throw PgErrors.translate(e, parsed.where(), StoreConfig.DEFAULT_BUSY_TIMEOUT,
                        "cannot prepare the test schema on " + parsed.where());
            }
        }

        @Override
        public String toString() {
            return "Server[" + PgUrl.parse(url) + "]";
        }
    }
}