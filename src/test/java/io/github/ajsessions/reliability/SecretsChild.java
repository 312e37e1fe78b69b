package io.github.ajsessions.reliability;

import io.github.ajsessions.api.ConfigSnapshot;
import io.github.ajsessions.api.Preamble;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.api.SessionTransfer;
import io.github.ajsessions.cli.AjSessionsCommand;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.model.AwfulConfig;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.model.SnapshotRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs every API operation and every CLI command on a file whose config snapshots hold the canary
 * API key, in a JVM whose logging is at {@code reliability.logLevel} (all to standard error), and
 * prints every result's {@code toString}, every exception message and every CLI output to standard
 * output. {@link SecretsTest} scans all of it, and the files written, for the canary.
 *
 * <p>Argument: a work folder; the canary comes in the environment variable {@code AJ_SESSIONS_CANARY}
 * (an argument would show in the JVM's command line, which Hibernate logs at DEBUG).
 */
public final class SecretsChild {

    private static final List<String> OUT = new ArrayList<>();

    private SecretsChild() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        String canary = System.getenv("AJ_SESSIONS_CANARY");
        Path db = work.resolve("aj.db");
        ConfigSnapshot snapshot = new ConfigSnapshot("http://localhost:11434/v1", canary, "model-a", 8192, 2048,
                List.of("<|im_end|>", "stop"));

        try (SessionStore store = SessionStore.open(StoreConfig.forFile(db))) {
            print("store", store);
            print("config", store.config());
            print("session", store.findOrCreateSession("s", Preamble.defaults()));
            print("turn", store.appendTurn("s", "question", "answer"));
            print("message", store.appendMessage("s", Role.USER, "hello"));
            print("recorded", store.recordConfigSnapshot("s", snapshot));
            print("recorded again", store.recordConfigSnapshot("s", snapshot));
            print("snapshot", snapshot);
            print("snapshots", store.configSnapshots("s"));
            for (SnapshotRecord c : store.configSnapshots("s")) {
                print("snapshot record", c);
            }
            print("sessions", store.listSessions());
            print("history", store.history("s"));
            print("stream", store.streamHistory("s").map(Object::toString).reduce("", String::concat));
            print("last", store.lastMessages("s", 2));
            print("location", store.info().location());
            print("hazards", store.inspection().ajHazards(10));
            print("stored keys", store.inspection().storedApiKeys());
            print("tables", store.inspection().tables());
            print("tail", store.inspection().tail(10, 60));
            print("search", store.search().getClass());
            SessionTransfer transfer = store.transfer();
            ByteArrayOutputStream export = new ByteArrayOutputStream();
            transfer.exportJson(List.of(), false, export, null);
            print("export", export.toString(StandardCharsets.UTF_8));
            ByteArrayOutputStream withSecrets = new ByteArrayOutputStream();
            transfer.exportJson(List.of(), true, withSecrets, null);
            Files.write(work.resolve("with-secrets.json"), withSecrets.toByteArray());
            print("read export with secrets", transfer.readJson(new ByteArrayInputStream(withSecrets.toByteArray())));
            // failures whose context holds the key
            attempt("snapshot with a null model", () -> new ConfigSnapshot("http://x", canary, null, 1, 1, List.of()));
            attempt("snapshot for a missing session", () -> store.recordConfigSnapshot("missing", snapshot));
            attempt("a second snapshot entity in a failed transaction", () -> store.jpa().inTransaction(em -> {
                AwfulConfig orphan = new AwfulConfig("http://x", canary, "m", 1, 1, List.of());
                em.persist(orphan);
                em.createNativeQuery("INSERT INTO conversations (id, session_name) VALUES (1, 'dup')").executeUpdate();
                return null;
            }));
            attempt("import of a malformed export", () -> transfer.readJson(new ByteArrayInputStream(
                    ("{\"sessions\":[{\"name\":\"x\",\"configs\":[{\"apiKey\":\"" + canary + "\",\"model\":")
                            .getBytes(StandardCharsets.UTF_8))));
        }
        try (SessionStore store = SessionStore.open(StoreConfig.builder().database(work.resolve("nokeys.db"))
                .storeApiKeys(false).build())) {
            store.findOrCreateSession("s", Preamble.defaults());
            print("recorded without key", store.recordConfigSnapshot("s", snapshot));
        }

        String d = "--db=" + db;
        cli("--version");
        cli("where", d);
        cli("doctor", d);
        cli("doctor", "--json", d);
        cli("tables", d);
        cli("sessions", d);
        cli("show", d, "s");
        cli("show", d, "--format=json", "s");
        cli("show", d, "--format=markdown", "s");
        cli("show", d, "--verbose", "s");
        cli("tail", d);
        cli("tail", "--json", d);
        cli("search", d, "hello");
        cli("export", d);
        cli("export", d, "--format=markdown");
        cli("export", d, "--verbose", "-o", work.resolve("export.json").toString());
        cli("export", d, "--format=markdown", "-o", work.resolve("export.md").toString());
        cli("export", d, "missing-session");
        cli("check", d);
        cli("backup", d, work.resolve("backup.db").toString());
        cli("migrate", d);
        cli("vacuum", d);
        cli("import", "--db=" + work.resolve("imported.db"), work.resolve("with-secrets.json").toString());
        cli("import", d, "--on-existing=refuse", work.resolve("with-secrets.json").toString());
        cli("import", d, "--verbose", "--on-existing=refuse", work.resolve("with-secrets.json").toString());
        cli("show", d, "missing-session");
        cli("show", d, "--verbose", "missing-session");
        cli("delete", d, "missing-session");
        cli("sessions", "--db=" + work.resolve("not-a-db.txt"));
        cli("reset", d, "--yes");
        cli("sessions", d);
        System.out.println("DONE");
    }

    private static void print(String what, Object value) {
        System.out.println(what + ": " + value);
    }

    private static void attempt(String what, Supplier<?> action) {
        try {
            print(what + " (no error)", action.get());
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                System.out.println(what + ": " + t);
                for (Throwable s : t.getSuppressed()) {
                    System.out.println(what + " suppressed: " + s);
                }
            }
            e.printStackTrace(System.out);
        }
    }

    private static void cli(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = AjSessionsCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        System.out.println("$ aj-sessions " + String.join(" ", args) + "  -> exit " + code);
        System.out.println(out);
        System.out.println(err);
    }
}
