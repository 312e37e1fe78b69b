package io.github.ajsessions.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.model.Role;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
import org.springframework.ai.chat.memory.repository.jdbc.JdbcChatMemoryRepository;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Loading one session's 1,000 messages from a file of 1,000,000 messages over 1,000 sessions (rows
 * interleaved ten at a time, as chats grow side by side). Every operation reads the next session of a
 * fixed, seeded sequence, the same for every implementation.
 *
 * <ul>
 *   <li>{@code aj-sessions}: {@link SessionStore#history(String)} (name lookup, then the messages, as
 *       detached entities);</li>
 *   <li>{@code jdbc}: the limit: one prepared {@code SELECT ... WHERE conversation_id = ? ORDER BY id}
 *       on the same file with the same index, the conversation id known, rows read into records;</li>
 *   <li>{@code aj-query}: aj's own query ({@code WHERE conversation_id = ?}, no ORDER BY) on a copy of
 *       the file without the index, as every aj-made file is: a full scan;</li>
 *   <li>{@code spring-ai}: {@link JdbcChatMemoryRepository#findByConversationId} on the same rows in its
 *       own table with its own indexes.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HistoryBenchmark {

    /** A row as plain JDBC code would hold it. */
    record Row(long id, Role role, String content, boolean dynamic, long conversationId) {
    }

    @Param({"aj-sessions", "jdbc", "aj-query", "spring-ai"})
    public String impl;

    private SessionStore store;
    private Connection jdbc;
    private PreparedStatement query;
    private HikariDataSource springPool;
    private JdbcChatMemoryRepository spring;
    private long[] conversationIds;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        BenchData.ensureAll();
        switch (impl) {
            case "aj-sessions" -> store = SessionStore.open(BenchData.history());
            case "jdbc", "aj-query" -> {
                boolean aj = impl.equals("aj-query");
                jdbc = BenchData.jdbc(aj ? BenchData.historyAj() : BenchData.history());
                query = jdbc.prepareStatement(aj
                        ? "SELECT id, role, content, dynamic, conversation_id FROM messages WHERE conversation_id = ?"
                        : "SELECT id, role, content, dynamic, conversation_id FROM messages WHERE conversation_id = ?"
                                + " ORDER BY id");
                conversationIds = new long[BenchData.HISTORY_SESSIONS];
                try (PreparedStatement find = jdbc.prepareStatement(
                        "SELECT id FROM conversations WHERE session_name = ?")) {
                    for (int s = 0; s < conversationIds.length; s++) {
                        find.setString(1, BenchData.sessionName(s));
                        try (ResultSet rs = find.executeQuery()) {
                            rs.next();
                            conversationIds[s] = rs.getLong(1);
                        }
                    }
                }
            }
            case "spring-ai" -> {
                springPool = BenchData.springPool(BenchData.historySpring());
                spring = JdbcChatMemoryRepository.builder().dataSource(springPool)
                        .transactionManager(new DataSourceTransactionManager(springPool)).build();
            }
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        }
        int rows = ((List<?>) load(0)).size();
        if (rows != BenchData.HISTORY_PER_SESSION) {
            throw new IllegalStateException(impl + " read " + rows + " rows, expected " + BenchData.HISTORY_PER_SESSION);
        }
    }

    @Benchmark
    public Object history() throws Exception {
        next = (next + 379) % BenchData.HISTORY_SESSIONS; // 379 is prime to 1,000: every session in turn
        return load(next);
    }

    private Object load(int session) throws Exception {
        switch (impl) {
            case "aj-sessions":
                return store.history(BenchData.sessionName(session));
            case "spring-ai":
                return spring.findByConversationId(BenchData.sessionName(session));
            default:
                query.setLong(1, conversationIds[session]);
                List<Row> rows = new ArrayList<>();
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Row(rs.getLong(1), Role.fromDbValue(rs.getString(2)), rs.getString(3),
                                rs.getInt(4) != 0, rs.getLong(5)));
                    }
                }
                return rows;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        BenchData.closeAll(store, jdbc, springPool);
    }
}
