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
 * Reports the heap used at its peak during each iteration (the sum of the heap pools' peak usage, an
 * upper bound), and the maximum heap, in MB. JMH's own gc profiler reports allocation rates, not peaks.
 */
public final class HeapPeakProfiler implements InternalProfiler {

    @Override
    public String getDescription() {
        return "peak heap used per iteration (sum of heap pool peaks), and -Xmx";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
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
        double mb = 1024.0 * 1024.0;
        return List.of(new ScalarResult("heap.peak", peak / mb, "MB", AggregationPolicy.MAX),
                new ScalarResult("heap.max", Runtime.getRuntime().maxMemory() / mb, "MB", AggregationPolicy.MAX));
    }
}
