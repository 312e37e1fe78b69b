package io.github.ajsessions.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.testkit.AjDatabases;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The benchmarks' files: made once per run in one folder (system property {@value #DATA_DIR_PROPERTY},
 * set by {@link BenchMain} for every fork; a temp folder otherwise) and shared by the forks, and the
 * connections of the baselines, opened with the module's SQLite settings.
 */
final class BenchData {

    static final String DATA_DIR_PROPERTY = "aj.bench.data";
    /** The module's default busy timeout, used by every baseline too. */
    static final int BUSY_TIMEOUT_MS = 5_000;

    /** History: 1,000 sessions of 1,000 messages, interleaved 10 messages at a time, as chats grow. */
    static final int HISTORY_SESSIONS = 1_000;
    static final int HISTORY_PER_SESSION = 1_000;
    /** Streaming: one session of 200,000 messages. */
    static final int STREAM_MESSAGES = 200_000;
    /** Start-up and the CLI's tail: 100 sessions of 1,000 messages. */
    static final int STARTUP_SESSIONS = 100;

    static final String SPRING_SCHEMA = "org/springframework/ai/chat/memory/repository/jdbc/schema-sqlite.sql";
    private static final String V2_INDEX = "io/github/ajsessions/migration/V2__messages_conversation_index.sql";

    private BenchData() {
    }

    static Path dir() {
        String configured = System.getProperty(DATA_DIR_PROPERTY);
        Path dir = configured != null ? Path.of(configured)
                : Path.of(System.getProperty("java.io.tmpdir"), "aj-sessions-bench");
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return a new temporary folder named {@code prefix…} in memory ({@code /dev/shm}, where a commit costs no
     *         fsync) when there is one, else in {@link #dir()}: for pre-warming and for measuring code without I/O
     */
    static Path memoryDir(String prefix) throws IOException {
        Path shm = Path.of("/dev/shm");
        return Files.createTempDirectory(Files.isDirectory(shm) && Files.isWritable(shm) ? shm : dir(), prefix);
    }

    static String sessionName(int index) {
        return String.format("session-%04d", index);
    }

    // ---------------------------------------------------------------------------------------------
    // the shared files

    /** The 1M-message file: module schema (aj-init adopted, V2 index). */
    static Path history() {
        return dir().resolve("history-1m.db");
    }

    /** The same rows without the V2 index: a file as aj made it. */
    static Path historyAj() {
        return dir().resolve("history-1m-aj.db");
    }

    /** The same rows in Spring AI's table. */
    static Path historySpring() {
        return dir().resolve("history-1m-spring-ai.db");
    }

    static Path stream() {
        return dir().resolve("stream-200k.db");
    }

    static Path startup() {
        return dir().resolve("startup-100k.db");
    }

    /** Makes every shared file that is not there yet (under a lock, so concurrent forks wait). */
    static void ensureAll() {
        ensure("history", () -> {
            Path f = history();
            newStoreFile(f);
            dropIndex(f); // a sorted index build after the load is faster than maintaining it row by row
            fill(f, HISTORY_SESSIONS, HISTORY_PER_SESSION, 10);
            Files.copy(f, historyAj(), StandardCopyOption.REPLACE_EXISTING);
            createIndex(f);
            fillSpring(historySpring(), HISTORY_SESSIONS, HISTORY_PER_SESSION, 10);
        });
        ensure("stream", () -> {
            Path f = stream();
            newStoreFile(f);
            fill(f, 1, STREAM_MESSAGES, STREAM_MESSAGES);
        });
        ensure("startup", () -> {
            Path f = startup();
            newStoreFile(f);
            fill(f, STARTUP_SESSIONS, HISTORY_PER_SESSION, 10);
        });
    }

    interface Work {
        void run() throws Exception;
    }

    private static void ensure(String name, Work work) {
        Path done = dir().resolve(name + ".done");
        try (FileChannel lockFile = FileChannel.open(dir().resolve(name + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock ignored = lockFile.lock()) {
            if (Files.exists(done)) {
                return;
            }
            long start = System.nanoTime();
            work.run();
            Files.writeString(done, "seed " + BenchTexts.SEED + "\n");
            System.out.printf("# bench data: %s made in %.1f s%n", name, (System.nanoTime() - start) / 1e9);
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the benchmark data " + name + " in " + dir() + ": " + e, e);
        }
    }

    /** Closes each resource that was opened ({@code null}s are skipped), in order. */
    static void closeAll(AutoCloseable... resources) throws Exception {
        for (AutoCloseable r : resources) {
            if (r != null) {
                r.close();
            }
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a temp folder
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    // ---------------------------------------------------------------------------------------------
    // files and connections

    /** A file as aj makes it ({@code aj init}), then opened once by the module: adopted, V2 index added. */
    static Path newStoreFile(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AjDatabases.create(file, SchemaVariant.AJ_INIT);
        try (SessionStore store = SessionStore.open(file)) {
            if (store.info().schemaVersion() != 2) {
                throw new IllegalStateException("expected schema version 2, got " + store.info().schemaVersion());
            }
        }
        return file;
    }

    /** sqlite-jdbc's settings of the module's pool: busy timeout and foreign keys; journal and sync as the file has them. */
    static SQLiteConfig sqliteConfig() {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.enforceForeignKeys(true);
        return config;
    }

    /** A plain connection in auto-commit; write transactions are explicit {@code BEGIN IMMEDIATE ... COMMIT}. */
    static Connection jdbc(Path file) throws SQLException {
        return sqliteConfig().createConnection("jdbc:sqlite:" + file);
    }

    /** The pool Spring AI gets: Hikari over sqlite-jdbc with the same settings, as a Java developer would set it up. */
    static HikariDataSource springPool(Path file) {
        SQLiteDataSource sqlite = new SQLiteDataSource(sqliteConfig());
        sqlite.setUrl("jdbc:sqlite:" + file);
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(sqlite);
        hikari.setMaximumPoolSize(4);
        hikari.setMinimumIdle(1);
        hikari.setPoolName("spring-ai(" + file.getFileName() + ")");
        return new HikariDataSource(hikari);
    }

    static void createSpringSchema(Connection c, boolean withIndexes) throws SQLException, IOException {
        for (String statement : springSchema().split(";")) {
            String sql = statement.strip();
            if (sql.isEmpty() || (!withIndexes && sql.startsWith("CREATE INDEX"))) {
                continue;
            }
            try (Statement st = c.createStatement()) {
                st.execute(sql);
            }
        }
    }

    private static String springSchema() throws IOException {
        try (InputStream in = BenchData.class.getClassLoader().getResourceAsStream(SPRING_SCHEMA)) {
            if (in == null) {
                throw new IOException("Spring AI's " + SPRING_SCHEMA + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void dropIndex(Path file) throws SQLException {
        try (Connection c = jdbc(file); Statement st = c.createStatement()) {
            st.execute("DROP INDEX aj_sessions_messages_conversation_id");
        }
    }

    /** Re-creates the V2 index with the migration's own statement. */
    private static void createIndex(Path file) throws SQLException, IOException {
        String sql;
        try (InputStream in = BenchData.class.getClassLoader().getResourceAsStream(V2_INDEX)) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = jdbc(file); Statement st = c.createStatement()) {
            st.executeUpdate(sql);
        }
    }

    /** Receives the generated rows in insertion order. */
    interface Sink {
        void accept(int session, int index, Role role, String text) throws SQLException;
    }

    /**
     * Generates {@code sessions} conversations of {@code perSession} messages, interleaved
     * {@code chunk} messages at a time (session 0's first chunk, session 1's first chunk, ...).
     */
    static void generate(int sessions, int perSession, int chunk, Sink sink) throws SQLException {
        BenchTexts texts = new BenchTexts(BenchTexts.SEED);
        for (int from = 0; from < perSession; from += chunk) {
            int to = Math.min(perSession, from + chunk);
            for (int s = 0; s < sessions; s++) {
                for (int i = from; i < to; i++) {
                    sink.accept(s, i, BenchTexts.roleAt(i), texts.textAt(i));
                }
            }
        }
    }

    /** Loads generated sessions into an aj file with JDBC batches, journal off (data preparation only). */
    static void fill(Path file, int sessions, int perSession, int chunk) throws SQLException {
        try (Connection c = jdbc(file)) {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode = OFF");
                st.execute("PRAGMA synchronous = OFF");
            }
            c.setAutoCommit(false);
            long[] ids = new long[sessions];
            try (PreparedStatement conv = c.prepareStatement("INSERT INTO conversations (session_name) VALUES (?)")) {
                for (int s = 0; s < sessions; s++) {
                    conv.setString(1, sessions == 1 ? "stream" : sessionName(s));
                    conv.executeUpdate();
                    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT last_insert_rowid()")) {
                        rs.next();
                        ids[s] = rs.getLong(1);
                    }
                }
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO messages (role, content, dynamic, conversation_id) VALUES (?, ?, 0, ?)")) {
                int[] pending = {0};
                generate(sessions, perSession, chunk, (s, i, role, text) -> {
                    insert.setString(1, role.dbValue());
                    insert.setString(2, text);
                    insert.setLong(3, ids[s]);
                    insert.addBatch();
                    if (++pending[0] == 10_000) {
                        insert.executeBatch();
                        pending[0] = 0;
                    }
                });
                insert.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode = DELETE");
            }
        }
    }

    /** The same generated rows in Spring AI's table, its indexes built after the load. */
    static void fillSpring(Path file, int sessions, int perSession, int chunk) throws Exception {
        Files.deleteIfExists(file);
        try (Connection c = jdbc(file)) {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode = OFF");
                st.execute("PRAGMA synchronous = OFF");
            }
            createSpringSchema(c, false);
            c.setAutoCommit(false);
            long[] clock = {1_764_000_000_000L};
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO SPRING_AI_CHAT_MEMORY (conversation_id, content, type, timestamp, sequence_id)"
                            + " VALUES (?, ?, ?, ?, ?)")) {
                int[] pending = {0};
                generate(sessions, perSession, chunk, (s, i, role, text) -> {
                    insert.setString(1, sessionName(s));
                    insert.setString(2, text);
                    insert.setString(3, role.name());
                    insert.setLong(4, clock[0]++);
                    insert.setLong(5, i);
                    insert.addBatch();
                    if (++pending[0] == 10_000) {
                        insert.executeBatch();
                        pending[0] = 0;
                    }
                });
                insert.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
            createSpringSchema(c, true);
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode = DELETE");
            }
        }
    }
}
