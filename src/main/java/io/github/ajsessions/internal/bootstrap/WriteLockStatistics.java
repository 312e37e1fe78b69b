package io.github.ajsessions.internal.bootstrap;

import java.time.Duration;

/**
 * How long one store's pool held SQLite's write lock: each hold runs from a successful
 * {@code BEGIN IMMEDIATE} to the end of its {@code COMMIT} or {@code ROLLBACK}, the window in which aj
 * (no busy timeout) cannot write. Reached with {@code store.dataSource().unwrap(WriteLockStatistics.class)};
 * for the reliability harness and diagnostics, not a public API.
 */
public interface WriteLockStatistics {

    /** @return write transactions ended since the pool opened or the last {@link #reset()} */
    long writeTransactions();

    /** @return the longest single hold */
    Duration longestHold();

    /** @return the sum of all holds */
    Duration totalHold();

    /** Starts counting afresh. */
    void reset();
}
