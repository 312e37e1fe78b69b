package io.github.ajsessions.bench;

import io.github.ajsessions.api.SessionStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the transaction statements of a Spring or Hibernate transaction cost, with no other statement, on a
 * file in memory ({@code /dev/shm} when there is one) so that no fsync hides them, measured in pairs as
 * {@link AppendTurnPairedBenchmark} does (alternating blocks of {@value AppendTurnPairedBenchmark#BLOCK}
 * transactions in one fork, each side on its own file):
 * <ul>
 *   <li>the module ({@code module*}): a connection of the store's pool as Hibernate drives it —
 *       {@code setAutoCommit(false)}, {@code commit()}, {@code setAutoCommit(true)}, which run
 *       {@code BEGIN IMMEDIATE}, {@code COMMIT}, {@code BEGIN DEFERRED}, {@code COMMIT}, each compiled once
 *       per connection;</li>
 *   <li>{@code jdbc}: the same four statements through {@code Statement.execute} on a plain sqlite-jdbc
 *       connection, each compiled anew, as the connection layer ran them before.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class TransactionStatementsBenchmark {

    private static final String[] STATEMENTS = {"BEGIN IMMEDIATE", "COMMIT", "BEGIN DEFERRED", "COMMIT"};

    private Path dir;
    private SessionStore store;
    private Connection module;
    private Connection jdbc;
    private boolean moduleFirst;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = BenchData.memoryDir("transaction-statements-");
        Files.createDirectories(dir.resolve("module"));
        Files.createDirectories(dir.resolve("jdbc"));
        store = SessionStore.open(BenchData.newStoreFile(dir.resolve("module").resolve("aj.db")));
        module = store.dataSource().getConnection();
        jdbc = BenchData.jdbc(BenchData.newStoreFile(dir.resolve("jdbc").resolve("aj.db")));
    }

    @Benchmark
    @OperationsPerInvocation(2 * AppendTurnPairedBenchmark.BLOCK)
    public void pair(AppendTurnPairedBenchmark.Times times) throws Exception {
        moduleFirst = !moduleFirst;
        AppendTurnPairedBenchmark.interleave(times, 0, moduleFirst, i -> {
            module.setAutoCommit(false);
            module.commit();
            module.setAutoCommit(true);
        }, i -> {
            for (String sql : STATEMENTS) {
                try (Statement statement = jdbc.createStatement()) {
                    statement.execute(sql);
                }
            }
        });
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        BenchData.closeAll(module, store, jdbc);
        BenchData.deleteTree(dir);
    }
}
