package io.github.ajsessions.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Reports, per iteration, the heap used at its peak (the sum of the heap pools' peak usage, an upper
 * bound) and the maximum heap, in MB (JMH's own gc profiler reports allocation rates, not peaks), and
 * the CPU time the forked JVM used per operation (user + system, all threads), in µs: on a shared
 * machine a wall-clock ratio moves with the neighbours' load and disk traffic, the CPU cost much less.
 */
public final class ResourceProfiler implements InternalProfiler {

    private long cpuBefore;

    @Override
    public String getDescription() {
        return "peak heap used per iteration (sum of heap pool peaks), -Xmx, and process CPU time per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
        cpuBefore = processCpuNanos();
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean
                ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : -1;
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        long cpu = processCpuNanos() - cpuBefore;
        long ops = result.getMetadata() == null ? 0 : result.getMetadata().getMeasuredOps();
        double mb = 1024.0 * 1024.0;
        List<Result> out = new java.util.ArrayList<>(List.of(
                new ScalarResult("heap.peak", peak / mb, "MB", AggregationPolicy.MAX),
                new ScalarResult("heap.max", Runtime.getRuntime().maxMemory() / mb, "MB", AggregationPolicy.MAX)));
        if (ops > 0 && cpuBefore >= 0) {
            out.add(new ScalarResult("cpu.op", cpu / 1e3 / ops, "us/op", AggregationPolicy.AVG));
        }
        return out;
    }
}
