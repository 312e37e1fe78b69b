package io.github.ajsessions.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.ajsessions.api.ConfigSnapshot;
import io.github.ajsessions.api.Preamble;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.core.StoreConfig.JournalMode;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.internal.bootstrap.WriteLockStatistics;
import io.github.ajsessions.model.Message;
import io.github.ajsessions.model.MessageRecord;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.model.SessionSummary;
import io.github.ajsessions.testkit.AjDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Java writer threads (appendTurn, appendMessage, findOrCreateSession, recordConfigSnapshot) and
 * readers (history, streamHistory, listSessions, configSnapshots) on one file, while a separate
 * process writes exactly as aj does ({@link AjLikeWriter}). Checks: every acknowledged Java write is in
 * the file exactly once, no Java call failed (a failure here is one the module should have absorbed),
 * no phantom commit, every acknowledged aj row is there once, aj never sees a row it would panic on;
 * reports how many aj operations hit SQLITE_BUSY and the module's longest write-lock hold.
 *
 * <p>CI runs a few seconds per journal mode; {@code scripts/reliability/concurrency.sh} runs longer
 * (properties {@code reliability.seconds}, {@code .writers}, {@code .readers}, {@code .writerPauseMs},
 * {@code .readerPauseMs}, {@code .label}).
 */
class AjConcurrencyTest {

    private static final ConfigSnapshot CONFIG = new ConfigSnapshot("http://localhost:8080/v1", "sk-harness",
            "model-0", 8192, 2048, List.of("<|im_end|>"));

    private final double seconds = Reliability.doubleProperty("seconds", 5);
    private final int writers = Reliability.intProperty("writers", 3);
    private final int readers = Reliability.intProperty("readers", 2);
    private final int writerPauseMs = Reliability.intProperty("writerPauseMs", 20);
    private final int readerPauseMs = Reliability.intProperty("readerPauseMs", 20);
    private final int ajPauseMs = Reliability.intProperty("ajPauseMs", 20);
    private final int cliReaders = Reliability.intProperty("cliReaders", 1);
    private final String label = System.getProperty("reliability.label", "ci");

    private Path folder;

    @BeforeEach
    void folder() throws Exception {
        folder = Files.createTempDirectory("aj-concurrency");
    }

    @AfterEach
    void cleanUp() {
        Reliability.deleteTree(folder);
    }

    /** One Java call: what it wrote (unique contents) and whether it was acknowledged. */
    private record JavaCall(String kind, List<String> contents, List<Long> ids, Throwable failure) {
    }

    @ParameterizedTest(name = "journal mode {0}")
    @EnumSource(value = JournalMode.class, names = {"DELETE", "WAL"})
    void javaAndAjWriteTheSameFileWithoutLosingAnything(JournalMode mode) throws Exception {
        assumeTrue(AjLikeWriter.python3Available(), "python3 with sqlite3 is needed for the aj-like writer");
        Path db = AjDatabases.create(folder.resolve("aj.db"), SchemaVariant.AJ_INIT);
        StoreConfig config = StoreConfig.builder().database(db).journalMode(mode).build();

        List<JavaCall> calls = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> readerFailures = Collections.synchronizedList(new ArrayList<>());
        AtomicLong reads = new AtomicLong();
        AtomicLong cliRuns = new AtomicLong();
        Map<String, Long> lockHold;
        AjLikeWriter.Report aj;
        long javaElapsedNanos;
        try (SessionStore store = SessionStore.open(config)) {
            assertThat(store.info().journalMode()).isEqualTo(mode.name().toLowerCase(Locale.ROOT));
            store.findOrCreateSession("shared", Preamble.defaults());
            for (int w = 0; w < writers; w++) {
                store.findOrCreateSession("java-" + w, Preamble.defaults());
            }
            WriteLockStatistics locks = store.dataSource().unwrap(WriteLockStatistics.class);
            locks.reset();

            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                threads.add(new Thread(() -> write(store, writer, stop, calls), "java-writer-" + w));
            }
            for (int r = 0; r < readers; r++) {
                threads.add(new Thread(() -> read(store, stop, reads, readerFailures), "java-reader-" + r));
            }
            for (int r = 0; r < cliReaders; r++) {
                int reader = r;
                threads.add(new Thread(() -> cli(db, reader, stop, cliRuns, readerFailures), "cli-reader-" + r));
            }
            long start = System.nanoTime();
            threads.forEach(Thread::start);
            AjLikeWriter writer = AjLikeWriter.start(db, List.of("aj", "shared"), 1_000_000, seconds, ajPauseMs,
                    "aj");
            try {
                aj = writer.await((long) seconds + 60);
            } finally {
                stop.set(true);
                for (Thread t : threads) {
                    t.join(30_000);
                }
            }
            javaElapsedNanos = System.nanoTime() - start;
            lockHold = Map.of("transactions", locks.writeTransactions(),
                    "longestMicros", locks.longestHold().toNanos() / 1000,
                    "totalMicros", locks.totalHold().toNanos() / 1000);
        }

        // ---- checks on the file, through plain JDBC
        List<JavaCall> acked = calls.stream().filter(c -> c.failure() == null).collect(Collectors.toList());
        List<JavaCall> failed = calls.stream().filter(c -> c.failure() != null).collect(Collectors.toList());
        List<String> ajRowProblems = new ArrayList<>();
        List<String> javaRowProblems = new ArrayList<>();
        List<String> phantoms = new ArrayList<>();
        List<String> preambleProblems = new ArrayList<>();
        List<String> ajBrokenSessions;
        try (Connection c = Reliability.plain(db, 5000)) {
            for (JavaCall call : acked) {
                for (int i = 0; i < call.contents().size(); i++) {
                    String content = call.contents().get(i);
                    List<Long> found = idsWith(c, call.kind().equals("snapshot") ? "awful_configs" : "messages",
                            call.kind().equals("snapshot") ? "model" : "content", content);
                    if (call.ids().isEmpty() ? found.size() != 1 : !found.equals(List.of(call.ids().get(i)))) {
                        javaRowProblems.add(call.kind() + " '" + content + "' acknowledged as " + call.ids()
                                + ", in file as " + found);
                    }
                }
            }
            for (JavaCall call : failed) {
                for (String content : call.contents()) {
                    if (!idsWith(c, call.kind().equals("snapshot") ? "awful_configs" : "messages",
                            call.kind().equals("snapshot") ? "model" : "content", content).isEmpty()) {
                        phantoms.add(call.kind() + " '" + content + "' saved although the call failed with "
                                + call.failure());
                    }
                }
            }
            for (AjLikeWriter.AckedRow row : aj.acked()) {
                List<Long> found = idsWith(c, "messages", "content", row.content()).stream()
                        .filter(id -> id == row.id()).collect(Collectors.toList());
                if (found.size() != 1) {
                    ajRowProblems.add("aj row " + row.id() + " '" + row.content() + "' missing");
                }
            }
            if (countRows(c, "SELECT count(*) FROM messages WHERE role NOT IN ('system','user','assistant')") != 0) {
                ajRowProblems.add("a row with a role aj does not know");
            }
            preambleProblems.addAll(preambleProblems(c));
            // aj writes its own preamble as three separate inserts: when one fails (BUSY), aj's session
            // is left short, aj's own doing, reported but not held against the module
            ajBrokenSessions = preambleProblems.stream().filter(p -> p.startsWith("session 'aj'"))
                    .collect(Collectors.toList());
            preambleProblems.removeAll(ajBrokenSessions);
        }
        String integrity = Reliability.integrityCheck(db);

        long javaTurns = acked.stream().filter(c -> c.kind().equals("turn")).count();
        long javaWrites = acked.size();
        double javaSeconds = javaElapsedNanos / 1e9;
        String line = String.format(Locale.ROOT,
                "concurrency label=%s journal=%s seconds=%.1f writers=%d readers=%d writerPauseMs=%d readerPauseMs=%d"
                        + " ajPauseMs=%d cliReaders=%d load=%s"
                        + " | java: calls=%d acked=%d (turns=%d) failed=%d phantoms=%d missingOrDuplicated=%d"
                        + " reads=%d cliRuns=%d readFailures=%d writeTx=%d longestWriteLockMs=%.2f meanWriteLockMs=%.3f"
                        + " writeLockBusyShare=%.1f%%"
                        + " | aj: turns=%d complete=%d operations=%d busy=%d (%.2f%%) byStep=%s userWithoutReply=%d"
                        + " missing=%d ajOwnPreambleBroken=%d longestStepMs=%.1f sqlite=%s | integrity=%s",
                label, mode.name().toLowerCase(Locale.ROOT), javaSeconds, writers, readers, writerPauseMs,
                readerPauseMs, ajPauseMs, cliReaders, loadAverage(), calls.size(), javaWrites, javaTurns, failed.size(), phantoms.size(),
                javaRowProblems.size(), reads.get(), cliRuns.get(), readerFailures.size(), lockHold.get("transactions"),
                lockHold.get("longestMicros") / 1000.0,
                lockHold.get("transactions") == 0 ? 0.0
                        : lockHold.get("totalMicros") / 1000.0 / lockHold.get("transactions"),
                lockHold.get("totalMicros") / 1e4 / javaSeconds,
                aj.turns(), aj.turnsComplete(), aj.operations(), aj.busyTotal(),
                aj.operations() == 0 ? 0.0 : 100.0 * aj.busyTotal() / aj.operations(), aj.busyByStep(),
                aj.userWithoutReply(), ajRowProblems.size(), ajBrokenSessions.size(), aj.longestStepMillis(),
                aj.json().get("sqlite_version").asText(), integrity);
        Reliability.report("concurrency.txt", line);

        assertThat(failed).as("Java calls that surfaced an error (a retry inside the module should absorb them)")
                .extracting(c -> c.kind() + ": " + c.failure()).isEmpty();
        assertThat(readerFailures).as("reader failures").extracting(Throwable::toString).isEmpty();
        assertThat(phantoms).as("phantom commits").isEmpty();
        assertThat(javaRowProblems).as("acknowledged Java writes not in the file exactly once").isEmpty();
        assertThat(ajRowProblems).as("aj's acknowledged rows").isEmpty();
        assertThat(aj.panics()).as("rows aj would panic on").isEmpty();
        assertThat(preambleProblems).as("conversations aj would panic on").isEmpty();
        assertThat(integrity).isEqualTo("ok");
        if (writers > 0) {
            assertThat(javaTurns).as("Java turns written").isPositive();
        }
        assertThat(aj.turnsComplete()).as("aj turns completed").isPositive();
        if (readers > 0) {
            assertThat(reads.get()).as("reads done").isPositive();
        }
        if (cliReaders > 0) {
            assertThat(cliRuns.get()).as("CLI show/export/backup runs").isPositive();
        }
    }

    private void write(SessionStore store, int writer, AtomicBoolean stop, List<JavaCall> calls) {
        for (int k = 0; !stop.get() && k < 1_000_000; k++) {
            String session = k % 2 == 0 ? "shared" : "java-" + writer;
            String tag = "J" + writer + "-" + k;
            JavaCall call;
            try {
                if (k % 20 == 7) {
                    String name = "java-" + writer + "-new-" + k;
                    Long id = store.findOrCreateSession(name, Preamble.defaults()).id();
                    // the three preamble rows carry shared texts; the conversation row is the ack
                    call = new JavaCall("session", List.of(), List.of(id), null);
                    store.findOrCreateSession(name); // finding it again must not create a second one
                } else if (k % 20 == 13) {
                    ConfigSnapshot snapshot = new ConfigSnapshot(CONFIG.apiBase(), CONFIG.apiKey(), tag,
                            CONFIG.contextMaxTokens(), CONFIG.assistantMinimumContextTokens(), CONFIG.stopWords());
                    boolean added = store.recordConfigSnapshot("java-" + writer, snapshot);
                    call = new JavaCall(added ? "snapshot" : "snapshot-unchanged", added ? List.of(tag) : List.of(),
                            List.of(), null);
                } else if (k % 3 == 1) {
                    MessageRecord m = store.appendMessage(session, Role.USER, "M " + tag);
                    call = new JavaCall("message", List.of("M " + tag), List.of(m.id()), null);
                } else {
                    List<MessageRecord> turn = store.appendTurn(session, "Q " + tag, "A " + tag);
                    call = new JavaCall("turn", List.of("Q " + tag, "A " + tag),
                            List.of(turn.get(0).id(), turn.get(1).id()), null);
                }
            } catch (RuntimeException e) {
                List<String> contents = k % 20 == 13 ? List.of(tag)
                        : k % 20 == 7 ? List.of() : k % 3 == 1 ? List.of("M " + tag) : List.of("Q " + tag, "A " + tag);
                call = new JavaCall("failed", contents, List.of(), e);
            }
            calls.add(call);
            pause(writerPauseMs);
        }
    }

    private void read(SessionStore store, AtomicBoolean stop, AtomicLong reads, List<Throwable> failures) {
        for (int k = 0; !stop.get() && k < 1_000_000; k++) {
            try {
                switch (k % 4) {
                    case 0 -> checkOrder(store.history("shared"));
                    case 1 -> {
                        try (var s = store.streamHistory("shared")) {
                            checkOrder(s.collect(Collectors.toList()));
                        }
                    }
                    case 2 -> {
                        List<SessionSummary> sessions = store.listSessions();
                        if (sessions.stream().noneMatch(s -> s.name().equals("shared"))) {
                            throw new AssertionError("listSessions lost 'shared': " + sessions);
                        }
                    }
                    default -> store.configSnapshots("shared");
                }
                reads.incrementAndGet();
            } catch (RuntimeException | AssertionError e) {
                failures.add(e);
            }
            pause(readerPauseMs);
        }
    }

    /** The command line's readers, in process: show, export, backup (each opens its own store). */
    private void cli(Path db, int reader, AtomicBoolean stop, AtomicLong runs, List<Throwable> failures) {
        Path backup = folder.resolve("backup-" + reader + ".db");
        for (int k = 0; !stop.get() && k < 100_000; k++) {
            String[] args = switch (k % 3) {
                case 0 -> new String[] {"show", "--db=" + db, "shared"};
                case 1 -> new String[] {"export", "--db=" + db, "shared"};
                default -> new String[] {"backup", "--db=" + db, "--force", backup.toString()};
            };
            java.io.StringWriter out = new java.io.StringWriter();
            java.io.StringWriter err = new java.io.StringWriter();
            int code = io.github.ajsessions.cli.AjSessionsCommand.execute(args, new java.io.PrintWriter(out, true),
                    new java.io.PrintWriter(err, true));
            if (code != 0) {
                failures.add(new AssertionError("aj-sessions " + String.join(" ", args) + " exited " + code + ": "
                        + err));
            } else {
                runs.incrementAndGet();
            }
            pause(readerPauseMs);
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static void checkOrder(List<MessageRecord> messages) {
        for (int i = 1; i < messages.size(); i++) {
            if (messages.get(i).id() <= messages.get(i - 1).id()) {
                throw new AssertionError("history out of order at " + i);
            }
        }
        if (messages.size() < 3) {
            throw new AssertionError("history of 'shared' lost its preamble: " + messages.size() + " rows");
        }
    }

    private static void pause(int millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<Long> idsWith(Connection c, String table, String column, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + table + " WHERE " + column + " = ?")) {
            ps.setString(1, value);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        }
    }

    private static long countRows(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every non-empty conversation starts with system, user, assistant (aj panics otherwise). */
    private static List<String> preambleProblems(Connection c) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT c.session_name, (SELECT group_concat(role) FROM (SELECT role"
                     + " FROM messages m WHERE m.conversation_id = c.id ORDER BY m.id LIMIT 3)) FROM conversations c")) {
            while (rs.next()) {
                String roles = rs.getString(2);
                if (roles != null && !roles.equals("system,user,assistant")) {
                    problems.add("session '" + rs.getString(1) + "' starts with " + roles);
                }
            }
        }
        return problems;
    }
}
