package io.github.ajsessions.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ajsessions.api.ConfigSnapshot;
import io.github.ajsessions.api.Preamble;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.cli.AjSessionsCommand;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.model.Role;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API key stays in the file: a canary key is written, then every API operation and CLI command
 * runs ({@link SecretsChild}) with logging at TRACE for everything; the canary must not appear in the
 * captured output (logs, toString, exception messages, CLI output) nor in any export made without
 * {@code --include-secrets}. Files the module and the CLI create are owner-only.
 */
class SecretsTest {

    private Path folder;

    @BeforeEach
    void folder() throws Exception {
        folder = Files.createTempDirectory("aj-secrets");
    }

    @AfterEach
    void cleanUp() {
        Reliability.deleteTree(folder);
    }

    @Test
    void theCanaryKeyLeaksNowhereEvenWithTraceLogging() throws Exception {
        String canary = "sk-canary-" + UUID.randomUUID();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dorg.jboss.logging.provider=slf4j",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=trace", SecretsChild.class.getName(), folder.toString());
        builder.environment().put("AJ_SESSIONS_CANARY", canary);
        Path stdout = folder.resolve("stdout.txt");
        Path stderr = folder.resolve("stderr.txt");
        Process child = builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        assertThat(child.waitFor(180, TimeUnit.SECONDS)).as("child finished").isTrue();
        String out = Files.readString(stdout, StandardCharsets.UTF_8);
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as("child exit; stderr tail: %s", tail(err)).isZero();

        // the run did what it should, so that a clean scan means something
        assertThat(out).contains("DONE").contains("apiKey=****").contains("$ aj-sessions export")
                .contains("session s (6 messages)");
        assertThat(err).as("TRACE logging was on").contains("TRACE").contains("binding parameter");
        assertThat(Files.readString(folder.resolve("with-secrets.json"))).as("--include-secrets keeps it")
                .contains(canary);
        assertThat(bytesContain(folder.resolve("backup.db"), canary)).as("the key is in the file").isTrue();

        assertThat(lines(out, canary)).as("stdout lines with the key").isEmpty();
        assertThat(lines(err, canary)).as("log lines with the key").isEmpty();
        for (String name : List.of("export.json", "export.md")) {
            assertThat(Files.readString(folder.resolve(name))).as(name).doesNotContain(canary).isNotEmpty();
        }
        assertThat(bytesContain(folder.resolve("nokeys.db"), canary)).as("storeApiKeys(false)").isFalse();
        try (Connection c = Reliability.plain(folder.resolve("nokeys.db"), 1000); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT api_key, api_base, model FROM awful_configs")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEmpty();
            assertThat(rs.getString(2)).isEqualTo("http://localhost:11434/v1");
            assertThat(rs.getString(3)).isEqualTo("model-a");
        }

        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.endsWith(".db") || name.startsWith("aj.db") || name.startsWith("export.")) {
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                            .as("permissions of %s", name).isEqualTo("rw-------");
                }
            }
        }
    }

    @Test
    void doctorWarnsAboutAWorldReadableFileHoldingKeys() throws Exception {
        Path db = folder.resolve("aj.db");
        try (SessionStore store = SessionStore.open(db)) {
            store.findOrCreateSession("s", Preamble.defaults());
            store.recordConfigSnapshot("s", new ConfigSnapshot("http://x/v1", "sk-secret", "m", 10, 5, List.of()));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db))).isEqualTo("rw-------");
        assertThat(cli("doctor", "--db=" + db)).doesNotContain("readable by other users");
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(cli("doctor", "--db=" + db)).contains("readable by other users").doesNotContain("sk-secret");
    }

    @Test
    void hostileSessionNamesThroughTheCommandLineAreDataNotSql() throws Exception {
        Path db = folder.resolve("aj.db");
        String hostile = "x'); DELETE FROM messages; DROP TABLE conversations; --";
        try (SessionStore store = SessionStore.open(db)) {
            store.findOrCreateSession("keep", Preamble.defaults());
            store.findOrCreateSession(hostile, Preamble.defaults());
            store.appendMessage(hostile, Role.USER, "hostile row");
            store.findOrCreateSession("%", Preamble.defaults());
        }
        assertThat(cli("show", "--db=" + db, hostile)).contains("hostile row");
        assertThat(cli("show", "--db=" + db, "%")).doesNotContain("hostile row");
        assertThat(cli("export", "--db=" + db, hostile)).contains("hostile row").doesNotContain("\"keep\"");
        cli("delete", "--db=" + db, hostile);
        try (SessionStore store = SessionStore.open(db)) {
            assertThat(store.listSessions()).extracting(s -> s.name()).containsExactly("keep", "%");
            assertThat(store.history("keep")).hasSize(3);
        }
    }

    private static String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AjSessionsCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return out + "\n" + err;
    }

    private static List<String> lines(String text, String canary) {
        return text.lines().filter(l -> l.contains(canary)).map(l -> l.length() > 300 ? l.substring(0, 300) : l)
                .toList();
    }

    private static boolean bytesContain(Path file, String text) throws Exception {
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(text);
    }

    private static String tail(String text) {
        return text.length() > 3000 ? text.substring(text.length() - 3000) : text;
    }
}
