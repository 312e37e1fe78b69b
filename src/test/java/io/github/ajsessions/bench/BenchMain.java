package io.github.ajsessions.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs every benchmark of the module and its baselines in one go and prints the ratios:
 * {@code mvn -B -Pbench -DskipTests verify} (see the pom's {@code bench} profile).
 *
 * <p>Makes the shared data once in a temp folder, runs the JMH benchmarks (each implementation in its
 * own fork, on the same data), then times fresh JVMs for start-up, and writes a Markdown table to
 * {@code bench.out}. System properties: {@code bench.include} (a regex over benchmark class names,
 * also {@code SpringTurnConcurrency} and {@code Startup}), {@code bench.data} (keep the data in this folder), {@code bench.runs}
 * (fresh JVMs per start-up figure), {@code bench.cli} (the CLI's {@code tail} command line, with
 * {@code {file}} for the 100,000-message file), {@code bench.mainJar}, {@code bench.testJar},
 * {@code bench.runtimeClasspath} (a file), {@code bench.java25} (a JDK 25 home for the AOT cache row),
 * {@code bench.params} (JMH parameters to run, in order: {@code "impl=jdbc,aj-sessions;length=10"}).
 */
public final class BenchMain {

    private static final List<String> BENCHMARKS = List.of("AppendTurnBenchmark", "AppendTurnPairedBenchmark",
            "BulkImportBenchmark", "ChatMemoryTurnBenchmark", "ChatMemoryTurnPairedBenchmark",
            "HistoryBenchmark", "SpringTurnPairedBenchmark", "StreamHistoryBenchmark", "TransactionStatementsBenchmark");

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        String include = System.getProperty("bench.include", ".*");
        String keptData = System.getProperty("bench.data", "");
        Path data = keptData.isBlank() ? Files.createTempDirectory("aj-sessions-bench-") : Path.of(keptData);
        System.setProperty(BenchData.DATA_DIR_PROPERTY, data.toString());
        List<String> table = new ArrayList<>();
        try {
            BenchData.ensureAll();
            List<String> selected = BENCHMARKS.stream().filter(b -> b.matches(include) || b.contains(include)).toList();
            if (!selected.isEmpty()) {
                ChainedOptionsBuilder options = new OptionsBuilder()
                        .jvmArgsAppend("-D" + BenchData.DATA_DIR_PROPERTY + "=" + data,
                                "-Dorg.jboss.logging.provider=slf4j",
                                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
                        .addProfiler(ResourceProfiler.class)
                        .shouldFailOnError(true);
                if (Boolean.getBoolean("bench.quick")) { // a smoke run of the benchmarks, figures meaningless
                    options.warmupIterations(1).measurementIterations(1)
                            .warmupTime(org.openjdk.jmh.runner.options.TimeValue.milliseconds(300))
                            .measurementTime(org.openjdk.jmh.runner.options.TimeValue.milliseconds(300));
                }
                // e.g. -Dbench.params="impl=jdbc,aj-sessions;length=10": JMH runs the values in this order
                for (String param : System.getProperty("bench.params", "").split(";")) {
                    if (!param.isBlank()) {
                        String[] kv = param.split("=", 2);
                        options.param(kv[0].trim(), kv[1].split(","));
                    }
                }
                for (String b : selected) {
                    options.include(BenchMain.class.getPackageName() + "." + b + ".");
                }
                table.addAll(ratios(new Runner(options.build()).run()));
            }
            if ("SpringTurnConcurrency".matches(include) || "SpringTurnConcurrency".contains(include)) {
                table.addAll(SpringTurnConcurrency.rows());
            }
            if ("Startup".matches(include) || include.contains("Startup")) {
                table.addAll(startup(data));
            }
        } finally {
            if (keptData.isBlank()) {
                BenchData.deleteTree(data);
            }
        }
        String when = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        String machine = Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch");
        StringBuilder out = new StringBuilder();
        out.append("Run ").append(when).append(", ").append(machine).append(", total ")
                .append(String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - started) / 1e9)).append("\n\n");
        out.append("| benchmark | params | implementation | score | error (99.9 %) | unit | ratio to baseline | CPU µs/op (ratio) | heap peak MB |\n");
        out.append("|---|---|---|---:|---:|---|---:|---:|---:|\n");
        table.forEach(row -> out.append(row).append('\n'));
        System.out.println();
        System.out.println(out);
        String target = System.getProperty("bench.out", "");
        if (!target.isBlank()) {
            Files.writeString(Path.of(target), out.toString());
            System.out.println("written to " + target);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // JMH

    private static List<String> ratios(Collection<RunResult> results) {
        // group by benchmark + every parameter but impl; the baseline of a group is "jdbc"
        Map<String, Map<String, RunResult>> groups = new LinkedHashMap<>();
        for (RunResult r : results) {
            BenchmarkParams p = r.getParams();
            StringBuilder key = new StringBuilder(shortName(p.getBenchmark()));
            key.append('|');
            for (String param : p.getParamsKeys()) {
                if (!param.equals("impl")) {
                    key.append(param).append('=').append(p.getParam(param)).append(' ');
                }
            }
            groups.computeIfAbsent(key.toString(), k -> new LinkedHashMap<>()).put(p.getParam("impl"), r);
        }
        List<String> rows = new ArrayList<>();
        groups.forEach((key, byImpl) -> {
            if (byImpl.size() == 1 && byImpl.values().iterator().next().getSecondaryResults().containsKey("moduleNanos")) {
                rows.addAll(pairedRows(key.split("\\|", 2), byImpl.values().iterator().next()));
                return;
            }
            RunResult baseline = byImpl.get("jdbc");
            String[] parts = key.split("\\|", 2);
            byImpl.forEach((impl, r) -> {
                Result<?> primary = r.getPrimaryResult();
                String ratio = baseline == null ? "" : String.format(Locale.ROOT, "%.2f×",
                        primary.getScore() / baseline.getPrimaryResult().getScore());
                if (impl.equals("aj-query") && byImpl.containsKey("aj-sessions")) {
                    ratio += String.format(Locale.ROOT, " (aj-sessions %.0f× faster)",
                            primary.getScore() / byImpl.get("aj-sessions").getPrimaryResult().getScore());
                }
                Result<?> heap = r.getSecondaryResults().get("heap.peak");
                Result<?> cpu = r.getSecondaryResults().get("cpu.op");
                Result<?> baseCpu = baseline == null ? null : baseline.getSecondaryResults().get("cpu.op");
                String cpuText = cpu == null ? "" : fmt(cpu.getScore()) + (baseCpu == null ? ""
                        : String.format(Locale.ROOT, " (%.2f×)", cpu.getScore() / baseCpu.getScore()));
                rows.add(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |", parts[0],
                        parts[1].strip(), impl, fmt(primary.getScore()), fmt(primary.getScoreError()),
                        primary.getScoreUnit(), ratio, cpuText, heap == null ? "" : String.format(Locale.ROOT, "%.0f",
                                heap.getScore())));
            });
        });
        return rows;
    }

    /**
     * {@link AppendTurnPairedBenchmark} and its kin: the module (for {@link SpringTurnPairedBenchmark}, the
     * Spring application) and JDBC timed in alternating blocks of one fork.
     */
    private static List<String> pairedRows(String[] key, RunResult r) {
        Map<String, Result> aux = r.getSecondaryResults();
        double turns = aux.get("turns").getScore();
        double module = aux.get("moduleNanos").getScore() / turns / 1_000;
        double jdbc = aux.get("jdbcNanos").getScore() / turns / 1_000;
        double moduleCpu = aux.get("moduleCpuNanos").getScore() / turns / 1_000;
        double jdbcCpu = aux.get("jdbcCpuNanos").getScore() / turns / 1_000;
        String name = key[0];
        String params = key[1].strip();
        String measured = name.startsWith("SpringTurnPaired") ? "Spring @Transactional service + Spring Data"
                : name.startsWith("TransactionStatements") ? "aj-sessions (statements kept compiled)" : "aj-sessions";
        String baseline = r.getParams().getParamsKeys().contains("baseline") ? r.getParams().getParam("baseline") : "jdbc";
        return List.of(
                String.format(Locale.ROOT, "| %s | %s | %s, interleaved with %s | %s | | us/op | %.2f× | %s (%.2f×) | |",
                        name, params, measured, baseline, fmt(module), module / jdbc, fmt(moduleCpu), moduleCpu / jdbcCpu),
                String.format(Locale.ROOT, "| %s | %s | %s, interleaved with %s | %s | | us/op | 1.00× | %s (1.00×) | |",
                        name, params, baseline, measured, fmt(jdbc), fmt(jdbcCpu)));
    }

    private static String shortName(String benchmark) {
        String[] parts = benchmark.split("\\.");
        return parts[parts.length - 2].replace("Benchmark", "") + "." + parts[parts.length - 1];
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    // ---------------------------------------------------------------------------------------------
    // start-up, a fresh JVM per measurement

    private static List<String> startup(Path data) throws Exception {
        int runs = Integer.getInteger("bench.runs", 7);
        Path file = BenchData.startup();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = probeClasspath();
        List<String> rows = new ArrayList<>();
        // the probe logs as an application would: Hibernate through slf4j-simple, warnings only
        String probe = StartupProbe.class.getName();
        String logging = "-Dorg.jboss.logging.provider=slf4j";
        String quiet = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn";
        Timing jdbc = time(runs, List.of(java, "-cp", classpath, logging, quiet, probe, "jdbc", file.toString()));
        rows.add(jdbc.row("JVM start → plain JDBC connection → last 10 messages", "", null));
        Timing store = time(runs, List.of(java, "-cp", classpath, logging, quiet, probe, "store", file.toString()));
        rows.add(store.row("JVM start → SessionStore.open (migrated, schema checked) → last 10 messages", "", jdbc));
        Timing jpa = time(runs, List.of(java, "-cp", classpath, logging, quiet, probe, "store-jpa", file.toString()));
        rows.add(jpa.row("same, Hibernate booted and validating in open (entityManagerFactoryAtOpen)", "", jdbc));

        if (!classpath.contains(Path.of("target", "classes").toString())) {
            Path jsa = data.resolve("store.jsa");
            run(List.of(java, "-XX:ArchiveClassesAtExit=" + jsa, "-cp", classpath, logging, quiet, probe, "store", file.toString()));
            Timing cds = time(runs, List.of(java, "-XX:SharedArchiveFile=" + jsa, "-cp", classpath, logging, quiet, probe, "store",
                    file.toString()));
            rows.add(cds.row("same, Java 17 + AppCDS archive (-XX:SharedArchiveFile)", "", jdbc));
            String java25 = System.getProperty("bench.java25", "");
            if (!java25.isBlank() && Files.isExecutable(Path.of(java25, "bin", "java"))) {
                String j25 = Path.of(java25, "bin", "java").toString();
                Timing jdbc25 = time(runs, List.of(j25, "-cp", classpath, logging, quiet, probe, "jdbc", file.toString()));
                rows.add(jdbc25.row("JVM start → plain JDBC → last 10 messages, Java 25", "", null));
                Path aot = data.resolve("store.aot");
                run(List.of(j25, "-XX:AOTCacheOutput=" + aot, "-cp", classpath, logging, quiet, probe, "store", file.toString()));
                Timing aotRun = time(runs, List.of(j25, "-XX:AOTCache=" + aot, "-cp", classpath, logging, quiet, probe, "store",
                        file.toString()));
                rows.add(aotRun.row("same store, Java 25 + AOT cache (-XX:AOTCache)", "", jdbc25));
            }
        } else {
            System.out.println("# AppCDS rows skipped: the class path holds folders (run through the bench profile)");
        }
        for (String cli : System.getProperty("bench.cli", "").split(";;")) {
            if (cli.isBlank()) {
                continue;
            }
            List<String> command = new ArrayList<>();
            for (String part : cli.strip().split("\\s+")) {
                command.add(part.replace("{file}", file.toString()));
            }
            if (!Files.isExecutable(Path.of(command.get(0))) && !command.get(0).equals("java")) {
                System.out.println("# skipped (not built): " + cli);
                continue;
            }
            Timing tail = time(runs, command);
            String shown = cli.strip().replace("{file}", "<100k file>").replace(Path.of("").toAbsolutePath() + "/", "");
            rows.add(tail.row("CLI: " + shown, "wall, whole process", null));
        }
        return rows;
    }

    private static String probeClasspath() throws IOException {
        String mainJar = System.getProperty("bench.mainJar", "");
        String testJar = System.getProperty("bench.testJar", "");
        String runtime = System.getProperty("bench.runtimeClasspath", "");
        if (!mainJar.isBlank() && Files.exists(Path.of(mainJar)) && Files.exists(Path.of(testJar))
                && Files.exists(Path.of(runtime))) {
            return mainJar + java.io.File.pathSeparator + testJar + java.io.File.pathSeparator
                    + Files.readString(Path.of(runtime)).strip();
        }
        return System.getProperty("java.class.path");
    }

    /** Wall times of {@code runs} fresh processes (after one unmeasured run), and the in-JVM open times. */
    record Timing(long[] wallNanos, long[] openNanos) {
        String row(String what, String note, Timing baseline) {
            double wall = median(wallNanos) / 1e6;
            String ratio = baseline == null ? "" : String.format(Locale.ROOT, "%.2f×", wall / (median(baseline.wallNanos) / 1e6));
            String open = openNanos[0] < 0 ? "" : String.format(Locale.ROOT, "; open at %.0f ms", median(openNanos) / 1e6);
            return String.format(Locale.ROOT, "| Startup | %s | %s | %.0f | min %.0f, max %.0f | ms median of %d%s%s | %s | | |",
                    what, "fresh JVM", wall, Arrays.stream(wallNanos).min().orElse(0) / 1e6,
                    Arrays.stream(wallNanos).max().orElse(0) / 1e6, wallNanos.length, open,
                    note.isEmpty() ? "" : ", " + note, ratio);
        }

        static double median(long[] values) {
            long[] sorted = values.clone();
            Arrays.sort(sorted);
            return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2.0;
        }
    }

    private static Timing time(int runs, List<String> command) throws Exception {
        run(command);
        long[] wall = new long[runs];
        long[] open = new long[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            String out = run(command);
            wall[i] = System.nanoTime() - start;
            int at = out.indexOf("open=");
            open[i] = at < 0 ? -1 : Long.parseLong(out.substring(at + 5).split("\\s")[0]) - start;
        }
        System.out.printf(Locale.ROOT, "# %s: wall median %.0f ms%n", String.join(" ", command.subList(
                Math.max(0, command.size() - 3), command.size())), Timing.median(wall) / 1e6);
        return new Timing(wall, open);
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("exit " + p.exitValue() + " from " + command + ":\n" + out);
        }
        return out;
    }
}
