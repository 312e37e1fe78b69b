package io.github.ajsessions.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.StoreConfig.JournalMode;
import io.github.ajsessions.core.StoreConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kills a JVM that appends turns and messages ({@link CrashChild}) with SIGKILL at random moments,
 * some while it opens (and migrates) the file, most while it writes; after each kill: {@code PRAGMA
 * integrity_check} is ok, every acknowledged write is in the file exactly once, and no turn is
 * half-written. CI: {@code reliability.kills} (default 4) per journal mode;
 * {@code scripts/reliability/crash.sh} runs 25 per mode.
 */
class CrashTest {

    private final int kills = Reliability.intProperty("kills", 4);
    private final long seed = Long.getLong("reliability.seed", System.nanoTime());
    private Path folder;

    @BeforeEach
    void folder() throws Exception {
        folder = Files.createTempDirectory("aj-crash");
    }

    @AfterEach
    void cleanUp() {
        Reliability.deleteTree(folder);
    }

    private record Ack(String kind, long userId, long assistantId, String tag) {
    }

    @ParameterizedTest(name = "journal mode {0}")
    @EnumSource(value = JournalMode.class, names = {"DELETE", "WAL"})
    void sigkillNeverLosesAnAcknowledgedWriteNorHalfATurn(JournalMode mode) throws Exception {
        Path db = folder.resolve("aj.db");
        Random random = new Random(seed);
        List<Ack> acked = new ArrayList<>();
        int killedWhileOpening = 0;
        int killedWhileWriting = 0;
        List<String> problems = new ArrayList<>();
        for (int run = 0; run < kills; run++) {
            Process child = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.jboss.logging.provider=slf4j",
                    CrashChild.class.getName(), db.toString(), mode.name(), String.valueOf(run))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            List<String> lines = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch ready = new CountDownLatch(1);
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        if (line.equals("READY")) {
                            ready.countDown();
                        } else {
                            lines.add(line);
                        }
                    }
                } catch (java.io.IOException ignored) {
                    // the pipe closes when the child dies
                }
            });
            reader.start();
            // one kill in four at a random moment of the start (opening, migrating), the rest while writing
            if (run % 4 == 1) {
                Thread.sleep(300 + random.nextInt(1500));
                if (ready.getCount() == 1) {
                    killedWhileOpening++;
                } else {
                    killedWhileWriting++;
                }
            } else {
                assertThat(ready.await(60, TimeUnit.SECONDS)).as("child %d ready", run).isTrue();
                Thread.sleep(random.nextInt(400));
                killedWhileWriting++;
            }
            child.destroyForcibly(); // SIGKILL on POSIX
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(10_000);
            for (String line : lines) {
                String[] f = line.split(" ");
                acked.add(f[0].equals("T") ? new Ack("T", Long.parseLong(f[1]), Long.parseLong(f[2]), f[3])
                        : new Ack("M", Long.parseLong(f[1]), 0, f[2]));
            }
            problems.addAll(check(db, acked, run));
        }
        try (SessionStore store = SessionStore.open(StoreConfig.builder().database(db).build())) {
            assertThat(store.history("crash")).hasSizeGreaterThanOrEqualTo(3 + acked.size());
        }
        Reliability.report("crash.txt", String.format(Locale.ROOT,
                "crash journal=%s kills=%d (opening=%d writing=%d) acknowledged=%d problems=%d seed=%d",
                mode.name().toLowerCase(Locale.ROOT), kills, killedWhileOpening, killedWhileWriting, acked.size(),
                problems.size(), seed));
        assertThat(problems).isEmpty();
        assertThat(acked).as("acknowledged writes across all runs").isNotEmpty();
    }

    private static List<String> check(Path db, List<Ack> acked, int run) throws SQLException {
        List<String> problems = new ArrayList<>();
        String integrity = Reliability.integrityCheck(db);
        if (!integrity.equals("ok")) {
            problems.add("after kill " + run + ": integrity_check " + integrity);
        }
        try (Connection c = Reliability.plain(db, 5000)) {
            for (Ack a : acked) {
                if (a.kind().equals("T")) {
                    expectOnce(c, "Q " + a.tag(), a.userId(), run, problems);
                    expectOnce(c, "A " + a.tag(), a.assistantId(), run, problems);
                } else {
                    expectOnce(c, "M " + a.tag(), a.userId(), run, problems);
                }
            }
            // every user row written as a turn ("Q n") has its assistant row ("A n") right after it
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT q.id, q.content FROM messages q WHERE q.content LIKE 'Q %' AND NOT EXISTS (SELECT 1"
                            + " FROM messages a WHERE a.id = q.id + 1 AND a.role = 'assistant'"
                            + " AND a.content = 'A ' || substr(q.content, 3))")) {
                while (rs.next()) {
                    problems.add("after kill " + run + ": half-written turn, user row " + rs.getLong(1) + " '"
                            + rs.getString(2) + "' has no reply");
                }
            }
        }
        return problems;
    }

    private static void expectOnce(Connection c, String content, long id, int run, List<String> problems)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM messages WHERE content = ?")) {
            ps.setString(1, content);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            if (!ids.equals(List.of(id))) {
                problems.add("after kill " + run + ": '" + content + "' acknowledged as " + id + ", in file as " + ids);
            }
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
