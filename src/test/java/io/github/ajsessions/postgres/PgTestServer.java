package io.github.ajsessions.postgres;

import static org.junit.jupiter.api.Assertions.fail;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real PostgreSQL server of the tests, from {@code AJ_SESSIONS_TEST_PG_URL} (+ {@code _USER},
 * {@code _PASSWORD}), which {@code scripts/dev/postgres.sh} starts and {@code .ci/run} exports. Unset:
 * the test is skipped with that message locally, and fails in CI ({@code CI=true}), where a missing
 * server is a broken build, not a reason to skip. Each test gets a schema of its own.
 */
public final class PgTestServer {

    static final String URL_ENV = "AJ_SESSIONS_TEST_PG_URL";

    private PgTestServer() {
    }

    /** @return the server's URL, or skips (locally) / fails (CI) the calling test */
    public static String baseUrl() {
        String url = System.getenv(URL_ENV);
        if (url == null || url.isBlank()) {
            String why = URL_ENV + " is not set: start a server with `eval \"$(scripts/dev/postgres.sh start >/dev/null"
                    + " && scripts/dev/postgres.sh env)\"`";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true but " + why);
            }
            Assumptions.abort(why);
        }
        return url;
    }

    public static String user() {
        return System.getenv().getOrDefault("AJ_SESSIONS_TEST_PG_USER", "aj_sessions");
    }

    public static String password() {
        return System.getenv().getOrDefault("AJ_SESSIONS_TEST_PG_PASSWORD", "");
    }

    /** A schema of one test, dropped with everything in it on close. */
    public record Schema(String name, String url) implements AutoCloseable {

        /** @return the URL with user, password and this schema as the current schema */
        public String urlWithCredentials() {
            return url + "&user=" + enc(user()) + "&password=" + enc(password());
        }

        /** @return a plain JDBC connection to the schema (for asserting on rows) */
        public Connection connect() throws SQLException {
            Connection c = DriverManager.getConnection(url, user(), password());
            try (Statement st = c.createStatement()) {
                st.execute("SET search_path TO " + name);
            }
            return c;
        }

        @Override
        public void close() throws SQLException {
            try (Connection c = DriverManager.getConnection(url, user(), password());
                 Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            }
        }
    }

    /**
     * A new schema for each test of a class, dropped after the test and its own {@code @AfterEach} methods:
     * {@code @RegisterExtension final PgTestServer.SchemaPerTest schema = new PgTestServer.SchemaPerTest();}
     * Skips (locally) or fails (CI) each test when there is no server, as {@link #baseUrl()} does.
     */
    public static final class SchemaPerTest implements BeforeEachCallback, AfterEachCallback {

        private Schema current;

        @Override
        public void beforeEach(ExtensionContext context) throws SQLException {
            current = newSchema();
        }

        @Override
        public void afterEach(ExtensionContext context) throws SQLException {
            if (current != null) {
                current.close();
                current = null;
            }
        }

        /** @return this test's schema */
        public Schema get() {
            if (current == null) {
                throw new IllegalStateException("no schema outside a test");
            }
            return current;
        }

        public String name() {
            return get().name();
        }

        public String url() {
            return get().url();
        }

        public String urlWithCredentials() {
            return get().urlWithCredentials();
        }

        public Connection connect() throws SQLException {
            return get().connect();
        }
    }

    /** @return a new, empty schema; the URL selects it with {@code currentSchema} */
    public static Schema newSchema() throws SQLException {
        String base = baseUrl();
        String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(base, user(), password()); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + name);
        }
        return new Schema(name, base + (base.contains("?") ? "&" : "?") + "currentSchema=" + name);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
