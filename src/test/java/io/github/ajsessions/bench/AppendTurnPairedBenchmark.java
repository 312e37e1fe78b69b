package io.github.ajsessions.bench;

import io.github.ajsessions.bench.AppendTurnBenchmark.Target;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * The append ratio measured in pairs: the module ({@code SessionStore.appendTurn}) and plain JDBC
 * ({@link AppendTurnBenchmark}'s {@code jdbc}) in the same fork, each on its own file in the same
 * folder, taking turns in blocks of {@value #BLOCK} appends (which one goes first alternates).
 *
 * <p>Why, next to {@link AppendTurnBenchmark}: both do the same I/O (4 fsyncs and about 20 writes
 * per turn, checked with strace), and the durable commit is about 90 % of a turn's time. Its latency
 * drifts by 10 to 30 % over minutes on this machine's disk, so two forks measured one after the other
 * differ by that much whatever the code: the same JDBC fork measured 0.65 and 1.01 ms per turn in two
 * runs. Interleaving exposes both to the same disk, so their ratio is the code's cost. Reported: each
 * one's wall time and this thread's CPU time per turn ({@code moduleNanos}, {@code jdbcNanos},
 * {@code moduleCpuNanos}, {@code jdbcCpuNanos}, {@code turns}: sums over the measured iterations).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class AppendTurnPairedBenchmark {

    /** Appends per implementation per invocation. */
    static final int BLOCK = 20;

    @Param({"10", "1000"})
    public int length;

    private Path dir;
    private Target module;
    private Target jdbc;
    private final String[] userTexts = new String[AppendTurnBenchmark.TURNS];
    private final String[] assistantTexts = new String[AppendTurnBenchmark.TURNS];
    private int turn;
    private boolean moduleFirst;

    /** Time per implementation, summed by JMH over the iterations. */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Times {
        public long moduleNanos;
        public long jdbcNanos;
        public long moduleCpuNanos;
        public long jdbcCpuNanos;
        public long turns;

        @Setup(Level.Iteration)
        public void reset() {
            moduleNanos = 0;
            jdbcNanos = 0;
            moduleCpuNanos = 0;
            jdbcCpuNanos = 0;
            turns = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        AppendTurnBenchmark.texts(userTexts, assistantTexts);
        AppendTurnBenchmark.preWarm("aj-sessions", length, userTexts, assistantTexts);
        AppendTurnBenchmark.preWarm("jdbc", length, userTexts, assistantTexts);
        dir = Files.createTempDirectory(BenchData.dir(), "append-paired-");
        Files.createDirectories(dir.resolve("module"));
        Files.createDirectories(dir.resolve("jdbc"));
        module = Target.open("aj-sessions", dir.resolve("module"), length);
        jdbc = Target.open("jdbc", dir.resolve("jdbc"), length);
    }

    @Benchmark
    @OperationsPerInvocation(2 * BLOCK)
    public void pair(Times times) throws Exception {
        moduleFirst = !moduleFirst;
        interleave(times, turn, moduleFirst, i -> module.appendTurn(userTexts[i], assistantTexts[i]),
                i -> jdbc.appendTurn(userTexts[i], assistantTexts[i]));
        turn += BLOCK;
    }

    /** The i-th turn of one implementation. */
    @FunctionalInterface
    interface Turn {
        void run(int i) throws Exception;
    }

    /**
     * Runs {@value #BLOCK} turns of each implementation, from turn {@code start}, the module's block first
     * when {@code moduleFirst}, and adds each one's wall time and this thread's CPU time to {@code times}.
     * Shared by the paired benchmarks.
     */
    static void interleave(Times times, int start, boolean moduleFirst, Turn module, Turn jdbc) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 2; round++) {
            boolean isModule = (round == 0) == moduleFirst;
            Turn target = isModule ? module : jdbc;
            long cpu = threads.getCurrentThreadCpuTime();
            long began = System.nanoTime();
            for (int k = 0; k < BLOCK; k++) {
                target.run((start + k) & (AppendTurnBenchmark.TURNS - 1));
            }
            long wall = System.nanoTime() - began;
            cpu = threads.getCurrentThreadCpuTime() - cpu;
            if (isModule) {
                times.moduleNanos += wall;
                times.moduleCpuNanos += cpu;
            } else {
                times.jdbcNanos += wall;
                times.jdbcCpuNanos += cpu;
            }
        }
        times.turns += BLOCK;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        BenchData.closeAll(module, jdbc);
        BenchData.deleteTree(dir);
    }
}
