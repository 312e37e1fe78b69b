package io.github.ajsessions.bench;

import io.github.ajsessions.api.Progress;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.api.SessionTransfer;
import io.github.ajsessions.model.MessageRecord;
import io.github.ajsessions.model.SessionRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Importing 100,000 messages (a session with aj's preamble first) into a fresh, migrated aj file in one
 * durable transaction: the module's bulk paths ({@code store.bulk().importMessages}, and the CLI's
 * import {@code store.transfer().importData}) against one plain
 * JDBC batch on one connection ({@code BEGIN IMMEDIATE}, insert the conversation, one batch of 100,000
 * inserts, {@code COMMIT}). Each operation gets a new file; opening it is not timed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class BulkImportBenchmark {

    static final int MESSAGES = 100_000;
    private static final String SESSION = "imported";

    /** {@code aj-sessions}: {@code store.bulk()}; {@code aj-sessions-transfer}: the CLI's import, {@code store.transfer()}. */
    @Param({"aj-sessions", "aj-sessions-transfer", "jdbc"})
    public String impl;

    private final List<MessageRecord> messages = new ArrayList<>(MESSAGES);
    private SessionTransfer.ExportData export;
    private Path dir;
    private int round;
    private Path file;
    private SessionStore store;
    private Connection jdbc;

    @Setup(Level.Trial)
    public void generate() throws Exception {
        dir = Files.createTempDirectory(BenchData.dir(), "bulk-");
        BenchTexts texts = new BenchTexts(BenchTexts.SEED + 3);
        for (int i = 0; i < MESSAGES; i++) {
            messages.add(MessageRecord.of(BenchTexts.roleAt(i), texts.textAt(i)));
        }
        export = new SessionTransfer.ExportData(List.of(new SessionTransfer.ExportSession(
                new SessionRecord(0, SESSION), List.copyOf(messages), List.of())), List.of(), List.of());
    }

    @Setup(Level.Iteration)
    public void freshFile() throws Exception {
        file = BenchData.newStoreFile(dir.resolve("bulk-" + round++ + ".db"));
        if (impl.startsWith("aj-sessions")) {
            store = SessionStore.open(file);
        } else {
            jdbc = BenchData.jdbc(file);
        }
    }

    @Benchmark
    public long importMessages() throws Exception {
        if (impl.equals("aj-sessions")) {
            return store.bulk().importMessages(SESSION, messages);
        }
        if (impl.equals("aj-sessions-transfer")) {
            return store.transfer().importData(export, SessionTransfer.OnExisting.REFUSE, Progress.NONE).messages();
        }
        try (Statement st = jdbc.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            long id;
            try (PreparedStatement conv = jdbc.prepareStatement("INSERT INTO conversations (session_name) VALUES (?)")) {
                conv.setString(1, SESSION);
                conv.executeUpdate();
            }
            try (ResultSet rs = st.executeQuery("SELECT last_insert_rowid()")) {
                rs.next();
                id = rs.getLong(1);
            }
            try (PreparedStatement insert = jdbc.prepareStatement(
                    "INSERT INTO messages (role, content, dynamic, conversation_id) VALUES (?, ?, ?, ?)")) {
                for (MessageRecord m : messages) {
                    insert.setString(1, m.role().dbValue());
                    insert.setString(2, m.content());
                    insert.setInt(3, m.dynamic() ? 1 : 0);
                    insert.setLong(4, id);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            st.execute("COMMIT");
        }
        return MESSAGES;
    }

    @TearDown(Level.Iteration)
    public void check() throws Exception {
        long count;
        if (store != null) {
            store.close();
            store = null;
        }
        if (jdbc != null) {
            jdbc.close();
            jdbc = null;
        }
        try (Connection c = BenchData.jdbc(file); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM messages")) {
            rs.next();
            count = rs.getLong(1);
        }
        if (count != MESSAGES) {
            throw new IllegalStateException("expected " + MESSAGES + " rows in " + file + ", found " + count);
        }
        Files.deleteIfExists(file);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        BenchData.deleteTree(dir);
    }
}
