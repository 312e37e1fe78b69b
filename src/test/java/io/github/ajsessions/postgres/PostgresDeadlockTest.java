package io.github.ajsessions.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ajsessions.api.Preamble;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.DatabaseLockedException;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.model.Conversation;
import io.github.ajsessions.model.Message;
import io.github.ajsessions.model.Role;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lock-order deadlock persistence-notes describes, on a real server: a JPA transaction that holds the
 * conversation's row lock and then needs the write lock (its first new message), against an append that
 * holds the write lock and needs that row (its foreign key check). The server breaks it; the loser gets a
 * {@link DatabaseLockedException} saying the server ended its transaction, nothing of it written; the winner
 * commits.
 */
class PostgresDeadlockTest {

    @RegisterExtension
    final PgTestServer.SchemaPerTest schema = new PgTestServer.SchemaPerTest();

    @Test
    void aLockOrderDeadlockEndsOneSideWithItsReasonAndTheOtherCommits() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (SessionStore store = SessionStore.open(StoreConfig.builder().database(schema.urlWithCredentials())
                .build())) {
            long id = store.findOrCreateSession("s", Preamble.defaults()).id();
            CountDownLatch rowLocked = new CountDownLatch(1);
            CountDownLatch appendWaiting = new CountDownLatch(1);
            Future<?> jpa = threads.submit(() -> store.jpa().inTransaction(em -> {
                em.createNativeQuery("SELECT id FROM conversations WHERE id = ? FOR UPDATE").setParameter(1, id)
                        .getResultList();
                rowLocked.countDown();
                await(appendWaiting);
                awaitAWaiterForTheRow(); // the append holds the write lock and waits for this row
                Message m = new Message(Role.USER, "from JPA");
                m.setConversation(em.find(Conversation.class, id));
                em.persist(m); // its id takes the write lock, which the append holds
                return null;
            }));
            await(rowLocked);
            Future<?> append = threads.submit(() -> {
                appendWaiting.countDown(); // its lock and lookup come next, then its insert waits for the row
                return store.appendTurn("s", "from the API", "reply");
            });
            List<String> before = store.history("s").stream().map(m -> m.content()).toList();
            List<Throwable> failures = new ArrayList<>();
            List<String> expected = new ArrayList<>(before);
            for (Future<?> side : List.of(jpa, append)) {
                try {
                    side.get(60, TimeUnit.SECONDS);
                    expected.addAll(side == jpa ? List.of("from JPA") : List.of("from the API", "reply"));
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
            assertThat(failures).as("the server breaks the deadlock by ending one transaction").hasSize(1);
            assertThat(rootOfType(failures.get(0)))
                    .hasMessageContaining(" ended the transaction to resolve a conflict with a concurrent one:"
                            + " ERROR: deadlock detected; nothing of it was written: retry it");
            assertThat(store.history("s").stream().map(m -> m.content()).toList())
                    .as("the winner's rows, none of the loser's").isEqualTo(expected);
        } finally {
            threads.shutdownNow();
        }
    }

    /** Waits until a session of this database waits for a row lock (a transaction id), at most 60 s. */
    private void awaitAWaiterForTheRow() {
        try (Connection watcher = schema.connect(); Statement st = watcher.createStatement()) {
            for (int i = 0; i < 6_000; i++) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_locks WHERE NOT granted"
                        + " AND locktype IN ('transactionid', 'tuple')")) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(10);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        throw new AssertionError("the append never waited for the conversation's row");
    }

    private static DatabaseLockedException rootOfType(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof DatabaseLockedException locked) {
                return locked;
            }
        }
        throw new AssertionError("no DatabaseLockedException in " + t, t);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the other side did not get there");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
