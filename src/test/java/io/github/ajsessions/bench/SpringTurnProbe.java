package io.github.ajsessions.bench;

import io.github.ajsessions.bench.AppendTurnBenchmark.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * A quick look at the Spring turn's cost while changing it, without JMH: {@link SpringTurn} and
 * {@link AppendTurnBenchmark}'s {@code jdbc} in this JVM, each on its own file in one folder, interleaved
 * in blocks of {@value AppendTurnPairedBenchmark#BLOCK} turns as {@link SpringTurnPairedBenchmark} does.
 * Prints, every {@code report} seconds, the wall and thread CPU time per turn of each and their ratios,
 * so a change's effect shows within a minute even on a shared machine (thread CPU is the steadier
 * figure there). Not a substitute for the paired benchmark on a quiet machine.
 *
 * <p>With {@code -Dprobe.sleepMicros=300} (and {@code -Dprobe.sleeps}, default 3) each turn is followed by that
 * many sleeps of that length, the waits of a durable commit without its I/O: on {@code /dev/shm} this shows how
 * much of the extra CPU a turn costs on the disk comes from the thread sleeping, not from the I/O
 * (persistence-notes, "A turn through a Spring Boot application").
 *
 * <p>Args: {@code [length=10] [seconds=60] [folder=/dev/shm] [report=10] [preWarm=0]}; the first report
 * interval is warm-up (discarded from the total); {@code preWarm} seconds of Spring turns on a scratch file in
 * {@code /dev/shm} first (then JDBC's usual pre-warm), as the paired benchmark's set-up does. Run, with a JFR profile if wanted:
 * <pre>
 * mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -XX:StartFlightRecording=filename=/tmp/spring.jfr,settings=profile \
 *      -cp target/classes:target/test-classes:$(cat /tmp/cp.txt) io.github.ajsessions.bench.SpringTurnProbe 10 60
 * </pre>
 */
public final class SpringTurnProbe {

    private SpringTurnProbe() {
    }

    /** {@code -Dprobe.sleepMicros}: after each turn, each side's thread sleeps this long ... */
    private static final long SLEEP_NANOS = Long.getLong("probe.sleepMicros", 0) * 1_000;
    /** ... this many times ({@code -Dprobe.sleeps}, default 3: a turn's fsyncs on aj's file). */
    private static final int SLEEPS = Integer.getInteger("probe.sleeps", 3);

    /** The waits of a durable commit without its I/O: shows what sleeping alone does to each side's CPU time. */
    private static void sleepAsCommitsDo() {
        for (int k = 0; k < SLEEPS && SLEEP_NANOS > 0; k++) {
            LockSupport.parkNanos(SLEEP_NANOS);
        }
    }

    public static void main(String[] args) throws Exception {
        int length = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        Path parent = Path.of(args.length > 2 ? args[2] : "/dev/shm");
        int report = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int preWarm = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        String[] user = new String[AppendTurnBenchmark.TURNS];
        String[] assistant = new String[AppendTurnBenchmark.TURNS];
        AppendTurnBenchmark.texts(user, assistant);
        if (preWarm > 0) {
            long began = System.nanoTime();
            SpringTurn.preWarm(length, user, assistant, preWarm, Integer.MAX_VALUE);
            AppendTurnBenchmark.preWarm("jdbc", length, user, assistant);
            System.out.printf(Locale.ROOT, "pre-warmed %.1f s on /dev/shm%n", (System.nanoTime() - began) / 1e9);
        }
        Path dir = Files.createTempDirectory(parent, "spring-probe-");
        Files.createDirectories(dir.resolve("spring"));
        Files.createDirectories(dir.resolve("jdbc"));
        try (SpringTurn spring = SpringTurn.open(dir.resolve("spring"), length);
             Target jdbc = Target.open("jdbc", dir.resolve("jdbc"), length)) {
            AppendTurnPairedBenchmark.Times total = new AppendTurnPairedBenchmark.Times();
            AppendTurnPairedBenchmark.Times interval = new AppendTurnPairedBenchmark.Times();
            int turn = 0;
            boolean springFirst = false;
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long nextReport = System.nanoTime() + report * 1_000_000_000L;
            boolean warm = false;
            while (System.nanoTime() < end) {
                springFirst = !springFirst;
                AppendTurnPairedBenchmark.interleave(interval, turn, springFirst,
                        i -> {
                            spring.appendTurn(user[i], assistant[i]);
                            sleepAsCommitsDo();
                        }, i -> {
                            jdbc.appendTurn(user[i], assistant[i]);
                            sleepAsCommitsDo();
                        });
                turn += AppendTurnPairedBenchmark.BLOCK;
                if (System.nanoTime() >= nextReport) {
                    print(warm ? "interval" : "warm-up", interval);
                    if (warm) {
                        total.moduleNanos += interval.moduleNanos;
                        total.moduleCpuNanos += interval.moduleCpuNanos;
                        total.jdbcNanos += interval.jdbcNanos;
                        total.jdbcCpuNanos += interval.jdbcCpuNanos;
                        total.turns += interval.turns;
                    }
                    warm = true;
                    interval.reset();
                    nextReport = System.nanoTime() + report * 1_000_000_000L;
                }
            }
            print("total", total);
        } finally {
            BenchData.deleteTree(dir);
        }
    }

    private static void print(String label, AppendTurnPairedBenchmark.Times t) {
        if (t.turns == 0) {
            return;
        }
        double n = t.turns * 1000.0;
        System.out.printf(Locale.ROOT,
                "%-8s %6d turns  spring %7.1f µs (CPU %7.1f)  jdbc %7.1f µs (CPU %6.1f)  ratio %.2fx (CPU %.2fx)%n",
                label, t.turns, t.moduleNanos / n, t.moduleCpuNanos / n, t.jdbcNanos / n, t.jdbcCpuNanos / n,
                (double) t.moduleNanos / t.jdbcNanos, (double) t.moduleCpuNanos / t.jdbcCpuNanos);
    }
}
