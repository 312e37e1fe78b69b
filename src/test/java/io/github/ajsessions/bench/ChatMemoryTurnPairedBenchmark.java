package io.github.ajsessions.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The chat memory's ratio to plain JDBC measured in pairs, as {@link AppendTurnPairedBenchmark} does for
 * {@code appendTurn}: a turn through {@code AjChatMemory.add} ({@link ChatMemoryTurnBenchmark}'s
 * {@code aj-chat-memory}) and plain JDBC in the same fork, each on its own file in the same folder, in
 * alternating blocks of {@value #BLOCK} turns, so that both meet the same disk (whose commit latency
 * drifts by tens of percent over minutes). Reported as {@link AppendTurnPairedBenchmark.Times}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class ChatMemoryTurnPairedBenchmark {

    /** Turns per implementation per invocation. */
    static final int BLOCK = 20;

    @Param({"10", "1000", "10000"})
    public int length;

    private Path dir;
    private ChatMemoryTurnBenchmark.Turn module;
    private ChatMemoryTurnBenchmark.Turn jdbc;
    private final String[] userTexts = new String[AppendTurnBenchmark.TURNS];
    private final String[] assistantTexts = new String[AppendTurnBenchmark.TURNS];
    private int turn;
    private boolean moduleFirst;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        AppendTurnBenchmark.texts(userTexts, assistantTexts);
        ChatMemoryTurnBenchmark.preWarm("aj-chat-memory", Math.min(length, 1_000), userTexts, assistantTexts);
        ChatMemoryTurnBenchmark.preWarm("jdbc", Math.min(length, 1_000), userTexts, assistantTexts);
        dir = Files.createTempDirectory(BenchData.dir(), "chat-memory-paired-");
        Files.createDirectories(dir.resolve("module"));
        Files.createDirectories(dir.resolve("jdbc"));
        module = ChatMemoryTurnBenchmark.Turn.open("aj-chat-memory", dir.resolve("module"), length);
        jdbc = ChatMemoryTurnBenchmark.Turn.open("jdbc", dir.resolve("jdbc"), length);
    }

    @Benchmark
    @OperationsPerInvocation(2 * BLOCK)
    public void pair(AppendTurnPairedBenchmark.Times times) throws Exception {
        moduleFirst = !moduleFirst;
        AppendTurnPairedBenchmark.interleave(times, turn, moduleFirst, i -> module.add(userTexts[i], assistantTexts[i]),
                i -> jdbc.add(userTexts[i], assistantTexts[i]));
        turn += BLOCK;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        BenchData.closeAll(module, jdbc);
        BenchData.deleteTree(dir);
    }
}
