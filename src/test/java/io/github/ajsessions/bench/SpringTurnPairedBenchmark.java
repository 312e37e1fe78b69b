package io.github.ajsessions.bench;

import io.github.ajsessions.bench.AppendTurnBenchmark.Target;
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
 * A turn appended by a Spring Boot application against plain JDBC, measured in pairs as
 * {@link AppendTurnPairedBenchmark} does for {@code appendTurn}: the Spring path ({@link SpringTurn}: the
 * auto-configured store's pool, a {@code @Transactional} service that loads the conversation by name and
 * saves the user's and the assistant's message through Spring Data repositories) and {@link AppendTurnBenchmark}'s
 * {@code jdbc} in the same fork, each on its own file in the same folder, in alternating blocks of
 * {@value #BLOCK} turns (which one goes first alternates), so that both meet the same disk. Reported as
 * {@link AppendTurnPairedBenchmark.Times} ({@code module*} is the Spring path).
 *
 * <p>Two baselines, each paired in its own trial: {@code jdbc}, the limit (the conversation's id known, two
 * inserts), and {@code jdbc-by-name}, the same work as the service's turn (the id looked up by session name
 * in the transaction, then the two inserts).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class SpringTurnPairedBenchmark {

    /** Turns per implementation per invocation. */
    static final int BLOCK = 20;

    @Param({"10", "1000"})
    public int length;

    /** The plain JDBC side of the pair: {@code jdbc} or {@code jdbc-by-name} ({@link AppendTurnBenchmark}). */
    @Param({"jdbc", "jdbc-by-name"})
    public String baseline;

    private Path dir;
    private SpringTurn spring;
    private Target jdbc;
    private final String[] userTexts = new String[AppendTurnBenchmark.TURNS];
    private final String[] assistantTexts = new String[AppendTurnBenchmark.TURNS];
    private int turn;
    private boolean springFirst;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        AppendTurnBenchmark.texts(userTexts, assistantTexts);
        SpringTurn.preWarm(length, userTexts, assistantTexts);
        AppendTurnBenchmark.preWarm(baseline, length, userTexts, assistantTexts);
        dir = Files.createTempDirectory(BenchData.dir(), "spring-paired-");
        Files.createDirectories(dir.resolve("spring"));
        Files.createDirectories(dir.resolve("jdbc"));
        spring = SpringTurn.open(dir.resolve("spring"), length);
        jdbc = Target.open(baseline, dir.resolve("jdbc"), length);
    }

    @Benchmark
    @OperationsPerInvocation(2 * BLOCK)
    public void pair(AppendTurnPairedBenchmark.Times times) throws Exception {
        springFirst = !springFirst;
        AppendTurnPairedBenchmark.interleave(times, turn, springFirst,
                i -> spring.appendTurn(userTexts[i], assistantTexts[i]),
                i -> jdbc.appendTurn(userTexts[i], assistantTexts[i]));
        turn += BLOCK;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        BenchData.closeAll(spring, jdbc);
        BenchData.deleteTree(dir);
    }
}
