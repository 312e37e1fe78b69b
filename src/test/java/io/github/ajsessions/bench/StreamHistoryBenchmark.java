package io.github.ajsessions.bench;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.model.MessageRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
 * Streaming a 200,000-message session (about 90 MB of text) in a JVM with {@code -Xmx64m}: the
 * module's {@link SessionStore#streamHistory} (pages of 500, one short query each) against one plain
 * JDBC cursor over the whole session. Completing at all proves the bound; {@link ResourceProfiler}
 * reports the peak.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgs = {"-Xmx64m"})
public class StreamHistoryBenchmark {

    @Param({"aj-sessions", "jdbc"})
    public String impl;

    private SessionStore store;
    private Connection jdbc;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        BenchData.ensureAll();
        if (impl.equals("aj-sessions")) {
            store = SessionStore.open(BenchData.stream());
        } else {
            jdbc = BenchData.jdbc(BenchData.stream());
        }
    }

    @Benchmark
    public long stream() throws Exception {
        long count;
        long chars = 0;
        if (impl.equals("aj-sessions")) {
            long[] n = {0, 0};
            store.streamHistory("stream").forEach((MessageRecord m) -> {
                n[0]++;
                n[1] += m.content().length();
            });
            count = n[0];
            chars = n[1];
        } else {
            count = 0;
            try (PreparedStatement q = jdbc.prepareStatement("SELECT m.id, m.role, m.content, m.dynamic FROM messages m"
                    + " JOIN conversations c ON c.id = m.conversation_id WHERE c.session_name = ? ORDER BY m.id")) {
                q.setString(1, "stream");
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        count++;
                        chars += rs.getString(3).length();
                    }
                }
            }
        }
        if (count != BenchData.STREAM_MESSAGES) {
            throw new IllegalStateException(impl + " streamed " + count + " messages, expected " + BenchData.STREAM_MESSAGES);
        }
        return chars;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        BenchData.closeAll(store, jdbc);
    }
}
