package io.github.ajsessions.internal.bootstrap;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The write-lock holds of one data source's connections, recorded by them as each write transaction
 * ends. Thread-safe: the pool's connections record concurrently.
 */
final class LockHoldStatistics implements WriteLockStatistics {

    private final LongAdder writeTransactions = new LongAdder();
    private final LongAdder totalHoldNanos = new LongAdder();
    private final AtomicLong longestHoldNanos = new AtomicLong();

    /** Records one write transaction that held the lock {@code nanos} nanoseconds. */
    void record(long nanos) {
        writeTransactions.increment();
        totalHoldNanos.add(nanos);
        longestHoldNanos.accumulateAndGet(nanos, Math::max);
    }

    @Override
    public long writeTransactions() {
        return writeTransactions.sum();
    }

    @Override
    public Duration longestHold() {
        return Duration.ofNanos(longestHoldNanos.get());
    }

    @Override
    public Duration totalHold() {
        return Duration.ofNanos(totalHoldNanos.sum());
    }

    @Override
    public void reset() {
        writeTransactions.reset();
        totalHoldNanos.reset();
        longestHoldNanos.set(0);
    }

    @Override
    public String toString() {
        return "WriteLockStatistics[writeTransactions=" + writeTransactions() + ", longestHold=" + longestHold()
                + ", totalHold=" + totalHold() + "]";
    }
}
