package io.github.ajsessions.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.DatabaseFileException;
import io.github.ajsessions.core.SchemaException;
import io.github.ajsessions.core.StoreConfig;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Refusals on a PostgreSQL URL: one message naming the server, no credential, nothing written. */
class PostgresBadInputTest {

    @RegisterExtension
    final PgTestServer.SchemaPerTest schema = new PgTestServer.SchemaPerTest();

    private static SessionStore open(String url) {
        return SessionStore.open(StoreConfig.builder().database(url).build());
    }

    @Test
    void aDatabaseHoldingSomeoneElsesTablesIsRefusedAndLeftAlone() throws Exception {
        try (Connection c = schema.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE messages (id serial PRIMARY KEY, body text)");
        }
        assertThatThrownBy(() -> open(schema.urlWithCredentials()))
                .isInstanceOf(SchemaException.class)
                .hasMessageStartingWith("the database postgresql@")
                .hasMessageContaining("holds tables that aj-sessions did not create (messages)");
        try (Connection c = schema.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")) {
            rs.next();
            assertThat(rs.getLong(1)).as("no table was added").isEqualTo(1);
        }
    }

    @Test
    void aSchemaNewerThanThisBuildIsRefused() throws Exception {
        open(schema.urlWithCredentials()).close();
        try (Connection c = schema.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO aj_sessions_schema_history (installed_rank, version, description, type, script,"
                    + " installed_by, execution_time, success) VALUES (99, '2', 'future', 'SQL', 'V2__future.sql',"
                    + " 'someone', 0, true)");
        }
        assertThatThrownBy(() -> open(schema.urlWithCredentials()))
                .isInstanceOf(SchemaException.class)
                .hasMessageContaining("is version 2, newer than this build knows (1); upgrade aj-sessions");
    }

    @Test
    void wrongCredentialsAreOneLineWithoutThePassword() {
        String canary = "pw-canary-" + UUID.randomUUID();
        String url = schema.url() + "&user=" + PgTestServer.user() + "&password=" + canary;
        assertThatThrownBy(() -> open(url))
                .isInstanceOf(DatabaseFileException.class)
                .satisfies(e -> {
                    assertThat(((DatabaseFileException) e).problem()).isEqualTo(DatabaseFileException.Problem.CANNOT_OPEN);
                    assertThat(e.getMessage()).startsWith("the PostgreSQL server postgresql@")
                            .contains("refused the credentials").contains("password authentication failed")
                            .doesNotContain(canary).doesNotContain("\n");
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage())).doesNotContain(canary);
                    }
                });
    }

    @Test
    void anUnreachableServerIsOneLine() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/nothing?user=x&password=secret-" + port;
        assertThatThrownBy(() -> open(url))
                .isInstanceOf(DatabaseFileException.class)
                .hasMessageStartingWith("cannot reach the PostgreSQL server postgresql@127.0.0.1:" + port + "/nothing: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret-").doesNotContain("\n"));
    }

    @Test
    void driverParametersPassThroughAndAreHonoured() throws Exception {
        // sslmode=disable and ApplicationName reach the driver: the server sees the application name
        String url = schema.urlWithCredentials() + "&sslmode=disable&ApplicationName=aj-sessions-test";
        try (SessionStore store = open(url);
             Connection c = store.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_setting('application_name'), current_schema()")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("aj-sessions-test");
            assertThat(rs.getString(2)).isEqualTo(schema.name());
        }
        // sslmode=require against this server without TLS: the driver refuses, so the parameter was used
        assertThatThrownBy(() -> open(schema.urlWithCredentials() + "&sslmode=require"))
                .isInstanceOf(DatabaseFileException.class)
                .hasMessageContaining("SSL");
    }

    @Test
    void thePasswordStaysOutOfToStringAndInfo() {
        String password = PgTestServer.password();
        assertThat(password).isNotEmpty();
        StoreConfig config = StoreConfig.builder().database(schema.urlWithCredentials()).build();
        assertThat(config.toString()).contains("password=****").doesNotContain(password);
        try (SessionStore store = SessionStore.open(config)) {
            assertThat(store.toString()).doesNotContain(password);
            assertThat(store.info().toString()).doesNotContain(password);
            assertThat(store.file().toString()).doesNotContain(password).doesNotContain("user=");
        }
    }
}
