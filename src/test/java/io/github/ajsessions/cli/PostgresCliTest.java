package io.github.ajsessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ajsessions.api.ConfigSnapshot;
import io.github.ajsessions.api.Preamble;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.postgres.PgTestServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** sync, pull and the read commands against a real PostgreSQL server, with their exit codes. */
class PostgresCliTest {

    @TempDir
    Path folder;

    @RegisterExtension
    final PgTestServer.SchemaPerTest schema = new PgTestServer.SchemaPerTest();
    private final Cli cli = new Cli();

    @AfterEach
    void noRunPrintedASecret() {
        assertThat(cli.everything()).as("no run printed the password").doesNotContain(PgTestServer.password())
                .doesNotContain("sk-cli-secret");
    }

    private Path laptop() {
        Path file = folder.resolve("aj.db");
        try (SessionStore store = SessionStore.open(file)) {
            store.findOrCreateSession("research", Preamble.defaults());
            store.appendTurn("research", "what is a WAL?", "write-ahead logging");
            store.recordConfigSnapshot("research", new ConfigSnapshot("http://x/v1", "sk-cli-secret", "m", 1, 1, List.of()));
        }
        return file;
    }

    @Test
    void anExportImportedOntoTheServerKeepsItsIdsAndTheServerWritesOnAboveThem() throws Exception {
        Path file = laptop();
        Path export = folder.resolve("research.json");
        Cli.Result exported = cli.run("--db", file.toString(), "export", "-o", export.toString());
        assertThat(exported.code()).as(exported.err()).isZero();
        Cli.Result imported = cli.run("--db", schema.urlWithCredentials(), "import", export.toString());
        assertThat(imported.code()).as(imported.err()).isZero();
        assertThat(imported.out()).isEqualTo("imported 1 session(s), 5 message(s), 1 config snapshot(s) with their"
                + " ids" + System.lineSeparator());
        try (SessionStore server = SessionStore.open(StoreConfig.builder().database(schema.urlWithCredentials()).build())) {
            server.appendTurn("research", "and on the server?", "the next ids");
            assertThat(server.history("research")).extracting(m -> m.id()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        }
        Cli.Result show = cli.run("--db", schema.urlWithCredentials(), "show", "research");
        assertThat(show.code()).as(show.err()).isZero();
        assertThat(show.out()).contains("write-ahead logging").contains("the next ids");

        Cli.Result again = cli.run("--db", schema.urlWithCredentials(), "import", export.toString());
        assertThat(again.code()).as(again.err()).isEqualTo(ExitCodes.REFUSED);
        assertThat(again.out()).isEmpty();
        try (SessionStore server = SessionStore.open(StoreConfig.builder().database(schema.urlWithCredentials()).build())) {
            assertThat(server.history("research")).hasSize(7);
            assertThat(server.listSessions()).hasSize(1);
        }
    }

    @Test
    void syncThenPullThroughTheCommandLine() {
        Path file = laptop();
        Cli.Result first = cli.run("--db", file.toString(), "sync", "--to", schema.urlWithCredentials());
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).startsWith("synced ").contains(":" + file.toAbsolutePath() + ": 1 new session(s),"
                + " 5 message(s), 1 config snapshot(s), 0 renamed, 0 pruned");
        Cli.Result second = cli.run("sync", "--db", file.toString(), "--to", schema.urlWithCredentials());
        assertThat(second.out()).contains(": 0 new session(s), 0 message(s), 0 config snapshot(s)");

        Path other = folder.resolve("other.db");
        Cli.Result pull = cli.run("--db", other.toString(), "pull", "research", "--from", schema.urlWithCredentials(),
                "--as", "team-research");
        assertThat(pull.code()).as(pull.err()).isZero();
        assertThat(pull.out()).isEqualTo("pulled session 'team-research': 5 message(s), 1 config snapshot(s)"
                + System.lineSeparator());
        Cli.Result show = cli.run("--db", other.toString(), "show", "team-research");
        assertThat(show.code()).isZero();
        assertThat(show.out()).contains("what is a WAL?").contains("write-ahead logging");

        Cli.Result again = cli.run("--db", other.toString(), "pull", "research", "--from", schema.urlWithCredentials(),
                "--as", "team-research");
        assertThat(again.code()).isEqualTo(ExitCodes.REFUSED);
        Cli.Result missing = cli.run("--db", other.toString(), "pull", "nope", "--from", schema.urlWithCredentials());
        assertThat(missing.code()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void readCommandsWorkOnAServerUrl() {
        cli.run("--db", laptop().toString(), "sync", "--to", schema.urlWithCredentials());
        Cli.Result sessions = cli.run("--db", schema.urlWithCredentials(), "sessions");
        assertThat(sessions.code()).as(sessions.err()).isZero();
        assertThat(sessions.out()).contains("research");
        Cli.Result show = cli.run("--db", schema.urlWithCredentials(), "show", "research");
        assertThat(show.code()).as(show.err()).isZero();
        assertThat(show.out()).contains("write-ahead logging");
        Cli.Result tail = cli.run("--db", schema.urlWithCredentials(), "tail", "-n", "2");
        assertThat(tail.code()).as(tail.err()).isZero();
        assertThat(tail.out()).contains("what is a WAL?").contains("write-ahead logging");
        Cli.Result search = cli.run("--db", schema.urlWithCredentials(), "search", "write-ahead");
        assertThat(search.code()).as(search.err()).isZero();
        assertThat(search.out()).contains("write-ahead logging").doesNotContain("what is a WAL?");
        Cli.Result export = cli.run("--db", schema.urlWithCredentials(), "export", "--format", "json");
        assertThat(export.code()).as(export.err()).isZero();
        assertThat(export.out()).contains("\"name\" : \"research\"").contains("write-ahead logging");

        // SQLite's file commands refuse a server in one line, without echoing the URL's password
        for (String command : List.of("where", "tables", "vacuum", "check")) {
            Cli.Result r = cli.run("--db", schema.urlWithCredentials(), command);
            assertThat(r.code()).as(command).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).as(command).contains("SQLite file only").doesNotContain("user=");
        }
    }

    @Test
    void badServersAreOneLineWithAnExitCodeAndNothingWritten() throws Exception {
        Path file = laptop();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Cli.Result unreachable = cli.run("--db", file.toString(), "sync", "--to", "jdbc:postgresql://127.0.0.1:" + port
                + "/x?user=u&password=" + PgTestServer.password());
        assertThat(unreachable.code()).isEqualTo(ExitCodes.FILE);
        assertThat(unreachable.err().strip()).isEqualTo("aj-sessions: cannot reach the PostgreSQL server postgresql@127.0.0.1:" + port + "/x: Connection to"
                + " 127.0.0.1:" + port + " refused. Check that the hostname and port are correct and that the postmaster"
                + " is accepting TCP/IP connections.")
                .doesNotContain("\n");

        Cli.Result wrong = cli.run("--db", file.toString(), "sync", "--to", schema.url() + "&user="
                + PgTestServer.user() + "&password=not-it");
        assertThat(wrong.code()).isEqualTo(ExitCodes.FILE);
        assertThat(wrong.err()).contains("refused the credentials").doesNotContain("not-it");

        try (Connection c = schema.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE conversations (id int)");
        }
        Cli.Result foreign = cli.run("--db", file.toString(), "sync", "--to", schema.urlWithCredentials());
        assertThat(foreign.code()).isEqualTo(ExitCodes.FILE);
        assertThat(foreign.err()).contains("holds tables that aj-sessions did not create (conversations)");
        assertThat(Files.exists(folder.resolve("aj.db-journal"))).isFalse();
    }
}
