package io.github.ajsessions.internal.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.internal.errors.OwnWriteTransactionException;
import io.github.ajsessions.testkit.AjSessionsExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** This JVM's writers on one file queue in the write gate before SQLite's busy handler. */
@ExtendWith(AjSessionsExtension.class)
class WriteGateTest {

    private static ExplicitTransactionDataSource dataSource(Path file, Duration busyTimeout) {
        return ExplicitTransactionDataSource.create(new ConnectionSettings(file, busyTimeout, true, false));
    }

    private static void insert(Connection c, String name) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO conversations (session_name) VALUES ('" + name + "')");
        }
    }

    @Test
    void aSecondDataSourceOnTheSameFileWaitsItsBusyTimeoutThenGetsSqliteBusy(SessionStore store, Path file)
            throws Exception {
        ExplicitTransactionDataSource first = dataSource(file, Duration.ofSeconds(5));
        ExplicitTransactionDataSource second = dataSource(file, Duration.ofMillis(200));
        ExecutorService otherThread = Executors.newSingleThreadExecutor();
        try (Connection holder = first.getConnection(); Connection waiter = second.getConnection()) {
            holder.setAutoCommit(false);
            insert(holder, "held");
            Future<?> waited = otherThread.submit(() -> {
                waiter.setAutoCommit(false);
                return null;
            });
            assertThatThrownBy(waited::get).cause()
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(5))
                    .hasMessageContaining("another write transaction of this JVM held")
                    .hasMessageContaining("200 ms");
            assertThat(waiter.getAutoCommit()).as("no transaction was begun").isTrue();
            holder.commit();
            holder.setAutoCommit(true);
            waiter.setAutoCommit(false);
            insert(waiter, "after");
            waiter.commit();
            waiter.setAutoCommit(true);
        }
        otherThread.shutdown();
        assertThat(store.findSession("held")).isPresent();
        assertThat(store.findSession("after")).isPresent();
    }

    @Test
    @Timeout(30) // the busy timeout is a minute: the refusal must not wait for it
    void aThreadThatHoldsTheWriteLockIsRefusedAtOnceOnAnotherConnection(SessionStore store, Path file)
            throws Exception {
        ExplicitTransactionDataSource dataSource = dataSource(file, Duration.ofMinutes(1));
        try (Connection holder = dataSource.getConnection(); Connection second = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            insert(holder, "held");
            assertThatThrownBy(() -> second.setAutoCommit(false))
                    .isInstanceOfSatisfying(OwnWriteTransactionException.class,
                            e -> assertThat(e.getErrorCode()).isEqualTo(5))
                    .hasMessage("[SQLITE_BUSY] this thread already holds the write lock of " + file.toAbsolutePath()
                            .normalize() + " in another transaction");
            assertThat(second.getAutoCommit()).as("no transaction was begun").isTrue();
            holder.commit();
            holder.setAutoCommit(true);
            second.setAutoCommit(false); // the lock is free again: the same thread may take it
            insert(second, "after");
            second.commit();
            second.setAutoCommit(true);
        }
        assertThat(store.findSession("held")).isPresent();
        assertThat(store.findSession("after")).isPresent();
    }

    @Test
    void aTransactionMayEndOnAnotherThreadThanTheOneThatBeganIt(SessionStore store, Path file) throws Exception {
        ExplicitTransactionDataSource ds = dataSource(file, Duration.ofMillis(500));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Connection a = ds.getConnection(); Connection b = ds.getConnection()) {
            threads.submit(() -> {
                a.setAutoCommit(false);
                insert(a, "begun-on-one-thread");
                return null;
            }).get(5, TimeUnit.SECONDS);
            threads.submit(() -> {
                a.setAutoCommit(true); // commits
                return null;
            }).get(5, TimeUnit.SECONDS);
            b.setAutoCommit(false); // the gate was left: this does not wait 500 ms and fail
            insert(b, "next");
            b.setAutoCommit(true);
        } finally {
            threads.shutdownNow();
        }
        assertThat(store.findSession("begun-on-one-thread")).isPresent();
        assertThat(store.findSession("next")).isPresent();
    }

    @Test
    void writersOfOneJvmAllCommitWhenEachHoldsTheLockLongerThanSqlitesRetryInterval(SessionStore store, Path file)
            throws Exception {
        // each transaction holds the write lock 60 ms; 4 threads x 10 with a 2 s busy timeout: a queue commits
        // all 40 (about 2.4 s of locked time in all), where SQLite's retry sleeps let late arrivals overtake
        ExplicitTransactionDataSource ds = dataSource(file, Duration.ofSeconds(2));
        ExecutorService threads = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            results.add(threads.submit(() -> {
                start.await();
                int committed = 0;
                try (Connection c = ds.getConnection()) {
                    for (int i = 0; i < 10; i++) {
                        c.setAutoCommit(false);
                        insert(c, "t" + thread + "-" + i);
                        Thread.sleep(60);
                        c.commit();
                        c.setAutoCommit(true);
                        committed++;
                    }
                }
                return committed;
            }));
        }
        start.countDown();
        int committed = 0;
        for (Future<Integer> result : results) {
            committed += result.get(60, TimeUnit.SECONDS);
        }
        threads.shutdownNow();
        assertThat(committed).isEqualTo(40);
        assertThat(store.listSessions()).hasSize(40);
    }
}
