package io.github.ajsessions.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.model.MessageRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.memory.repository.jdbc.JdbcChatMemoryRepository;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.MessageType;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Appending one turn (user + assistant, one durable transaction) to a conversation of {@code length}
 * messages, on an aj file in its own journal mode (rollback journal, synchronous FULL).
 *
 * <ul>
 *   <li>{@code aj-sessions}: {@link SessionStore#appendTurn}, by session name;</li>
 *   <li>{@code jdbc}: the limit: one open sqlite-jdbc connection, {@code BEGIN IMMEDIATE}, the same two
 *       prepared inserts with the conversation id known, {@code COMMIT};</li>
 *   <li>{@code jdbc-by-name} (not a parameter here; the baseline that does what a Spring service's turn does,
 *       {@link SpringTurnPairedBenchmark}): {@code jdbc} that first looks the conversation's id up by its
 *       session name, a prepared {@code SELECT} in the same transaction;</li>
 *   <li>{@code spring-ai}: {@link MessageWindowChatMemory#add} over {@link JdbcChatMemoryRepository}, with
 *       a window of {@code length} so that the conversation keeps its length: it reads the conversation,
 *       then deletes and rewrites it in one transaction.</li>
 * </ul>
 * The module's and the baseline's conversations grow by one turn per operation; the index makes that
 * irrelevant to an append.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AppendTurnBenchmark {

    @Param({"10", "1000"})
    public int length;

    @Param({"aj-sessions", "jdbc", "spring-ai"})
    public String impl;

    static final String SESSION = "bench";
    static final int TURNS = 1_024;

    private Path dir;
    private Target target;
    private final String[] userTexts = new String[TURNS];
    private final String[] assistantTexts = new String[TURNS];
    private int turn;

    /**
     * Brings the implementation's code to steady state before JMH's own warm-up: at about 1 ms per
     * durable commit, JMH's 3 s of warm-up are a few thousand appends, not enough for the JIT to finish
     * compiling Hibernate's deep call paths (the first runs showed the module still getting faster at
     * the last measured iteration). So the same implementation first appends for up to
     * {@value #PRE_WARM_SECONDS} s to a scratch copy in memory ({@code /dev/shm}, where a commit costs
     * no fsync), then is measured on the real file as before. Every implementation gets the same.
     */
    static final int PRE_WARM_SECONDS = 5;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        texts(userTexts, assistantTexts);
        preWarm(impl, length, userTexts, assistantTexts);
        turn = 0;
        dir = Files.createTempDirectory(BenchData.dir(), "append-");
        target = Target.open(impl, dir, length);
    }

    @Benchmark
    public Object appendTurn() throws Exception {
        int i = turn++ & (TURNS - 1);
        return target.appendTurn(userTexts[i], assistantTexts[i]);
    }

    /** The turns' texts, the same for every implementation. */
    static void texts(String[] user, String[] assistant) {
        BenchTexts texts = new BenchTexts(BenchTexts.SEED + 1);
        for (int i = 0; i < user.length; i++) {
            user[i] = texts.next();
            assistant[i] = texts.next();
        }
    }

    /** The conversation every implementation starts from: {@code length} messages, the same texts. */
    static List<MessageRecord> seed(int length) {
        List<MessageRecord> seed = new ArrayList<>(length);
        BenchTexts seedTexts = new BenchTexts(BenchTexts.SEED + 2);
        for (int i = 0; i < length; i++) {
            seed.add(MessageRecord.of(BenchTexts.roleAt(i), seedTexts.textAt(i)));
        }
        return seed;
    }

    /** Appends with {@code impl} for up to {@value #PRE_WARM_SECONDS} s to a scratch file in memory. */
    static void preWarm(String impl, int length, String[] user, String[] assistant) throws Exception {
        Path scratch = BenchData.memoryDir("append-warm-");
        try (Target warm = Target.open(impl, scratch, length)) {
            long until = System.nanoTime() + PRE_WARM_SECONDS * 1_000_000_000L;
            for (int i = 0; i < 50_000 && System.nanoTime() < until; i++) {
                warm.appendTurn(user[i & (TURNS - 1)], assistant[i & (TURNS - 1)]);
            }
        } finally {
            BenchData.deleteTree(scratch);
        }
    }

    /** One implementation's conversation of {@code length} messages, open for appending. */
    static final class Target implements AutoCloseable {
        private final String impl;
        private SessionStore store;
        private Connection jdbc;
        private PreparedStatement insert;
        private PreparedStatement lookup;
        private Statement statement;
        private long conversationId;
        private HikariDataSource springPool;
        private ChatMemory springMemory;

        private Target(String impl) {
            this.impl = impl;
        }

        static Target open(String impl, Path dir, int length) throws Exception {
            Target t = new Target(impl);
            List<MessageRecord> seed = seed(length);
            switch (impl) {
                case "aj-sessions" -> {
                    Path file = BenchData.newStoreFile(dir.resolve("aj.db"));
                    t.store = SessionStore.open(file);
                    t.store.bulk().importMessages(SESSION, seed);
                }
                case "jdbc", "jdbc-by-name" -> {
                    Path file = BenchData.newStoreFile(dir.resolve("aj.db"));
                    try (SessionStore s = SessionStore.open(file)) {
                        s.bulk().importMessages(SESSION, seed);
                        t.conversationId = s.findSession(SESSION).orElseThrow().id();
                    }
                    t.jdbc = BenchData.jdbc(file);
                    t.statement = t.jdbc.createStatement();
                    t.insert = t.jdbc.prepareStatement(
                            "INSERT INTO messages (role, content, dynamic, conversation_id) VALUES (?, ?, 0, ?)");
                    t.lookup = t.jdbc.prepareStatement("SELECT id FROM conversations WHERE session_name = ?");
                }
                case "spring-ai" -> {
                    Path file = dir.resolve("spring-ai.db");
                    try (Connection c = BenchData.jdbc(file)) {
                        BenchData.createSpringSchema(c, true);
                    }
                    t.springPool = BenchData.springPool(file);
                    JdbcChatMemoryRepository repository = JdbcChatMemoryRepository.builder().dataSource(t.springPool)
                            .transactionManager(new DataSourceTransactionManager(t.springPool)).build();
                    List<org.springframework.ai.chat.messages.Message> initial = new ArrayList<>(length);
                    for (MessageRecord m : seed) {
                        initial.add(switch (m.role()) {
                            case SYSTEM -> new SystemMessage(m.content());
                            case USER -> new UserMessage(m.content());
                            case ASSISTANT -> new AssistantMessage(m.content());
                        });
                    }
                    repository.saveAll(SESSION, initial);
                    t.springMemory = MessageWindowChatMemory.builder().chatMemoryRepository(repository)
                            .maxMessages(length).build();
                    if (t.springMemory.get(SESSION).size() != length
                            || t.springMemory.get(SESSION).get(0).getMessageType() != MessageType.SYSTEM) {
                        throw new IllegalStateException("Spring AI's conversation was not seeded");
                    }
                }
                default -> throw new IllegalArgumentException("unknown impl " + impl);
            }
            return t;
        }

        Object appendTurn(String user, String assistant) throws Exception {
            switch (impl) {
                case "aj-sessions":
                    return store.appendTurn(SESSION, user, assistant);
                case "jdbc", "jdbc-by-name":
                    statement.execute("BEGIN IMMEDIATE");
                    try {
                        long id = impl.equals("jdbc") ? conversationId : lookUp(SESSION);
                        insert.setString(1, "user");
                        insert.setString(2, user);
                        insert.setLong(3, id);
                        insert.executeUpdate();
                        insert.setString(1, "assistant");
                        insert.setString(2, assistant);
                        insert.setLong(3, id);
                        insert.executeUpdate();
                        statement.execute("COMMIT");
                    } catch (Exception e) {
                        statement.execute("ROLLBACK");
                        throw e;
                    }
                    return insert;
                default:
                    springMemory.add(SESSION, List.of(new UserMessage(user), new AssistantMessage(assistant)));
                    return springMemory;
            }
        }

        private long lookUp(String session) throws SQLException {
            lookup.setString(1, session);
            try (ResultSet rs = lookup.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("session '" + session + "' not found");
                }
                return rs.getLong(1);
            }
        }

        @Override
        public void close() throws Exception {
            BenchData.closeAll(store, jdbc, springPool);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (target != null) {
            target.close();
            target = null;
        }
        BenchData.deleteTree(dir);
    }
}
