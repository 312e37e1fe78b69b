package io.github.ajsessions.internal.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.internal.backend.Backend;
import io.github.ajsessions.postgres.PgTestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The write lock of the session API's write calls on a real server: taken with the call's first statement
 * (in the same round trip when it is a query), held to the end of the transaction, and a lookup sent
 * with it sees what committed before the lock was granted.
 */
class PostgresWriteLockTest {

    private static final String COUNT = "SELECT count(*) FROM conversations WHERE session_name = ?";

    @RegisterExtension
    final PgTestServer.SchemaPerTest schema = new PgTestServer.SchemaPerTest();
    private PostgresBackend.Opened opened;

    @BeforeEach
    void open() throws Exception {
        opened = PostgresBackend.open(StoreConfig.builder().database(schema.urlWithCredentials()).build());
    }

    @AfterEach
    void close() throws Exception {
        if (opened != null) {
            opened.pool().close();
        }
    }

    @Test
    void aLookupSentWithTheLockWaitsForTheHolderAndSeesWhatItCommitted() throws Exception {
        ExecutorService second = Executors.newSingleThreadExecutor();
        try (Connection a = opened.pool().getConnection(); Connection b = opened.pool().getConnection();
             Connection watcher = schema.connect()) {
            Backend.WriteTx first = opened.backend().beginWrite(a);
            assertThat(count(first.connection(), "late")).isZero();
            try (Statement st = first.connection().createStatement()) {
                st.executeUpdate("INSERT INTO conversations (session_name) VALUES ('late')");
            }
            Future<Long> blocked = second.submit(() -> {
                try (Backend.WriteTx tx = opened.backend().beginWrite(b)) {
                    long seen = count(tx.connection(), "late");
                    tx.commit();
                    return seen;
                }
            });
            awaitOneWaiter(watcher);
            assertThat(blocked).isNotDone();
            first.commit();
            first.close();
            assertThat(blocked.get()).isEqualTo(1L);
        } finally {
            second.shutdownNow();
        }
    }

    @Test
    void aFirstStatementThatIsNotAQueryTakesTheLockBeforeItRuns() throws Exception {
        try (Connection a = opened.pool().getConnection(); Connection other = schema.connect()) {
            Backend.WriteTx tx = opened.backend().beginWrite(a);
            assertThat(tryLock(other)).as("nothing sent yet, nothing held").isTrue();
            try (Statement st = tx.connection().createStatement()) {
                st.executeUpdate("INSERT INTO conversations (session_name) VALUES ('x')");
            }
            assertThat(tryLock(other)).isFalse();
            tx.commit();
            tx.close();
            assertThat(tryLock(other)).as("released at commit").isTrue();
        }
    }

    @Test
    void aFirstQueryThatFailsAbortsTheCallWhichThenHoldsNothing() throws Exception {
        try (Connection a = opened.pool().getConnection(); Connection other = schema.connect()) {
            Backend.WriteTx tx = opened.backend().beginWrite(a);
            // fails when it runs (not when parsed), after the lock statement in front of it
            try (PreparedStatement ps = tx.connection().prepareStatement("SELECT 1 / (count(*) - count(*))"
                    + " FROM conversations")) {
                assertThatThrownBy(ps::executeQuery).isInstanceOf(SQLException.class)
                        .hasMessageContaining("division by zero");
            }
            // the server releases an aborted transaction's locks at once; nothing more runs in it
            assertThat(tryLock(other)).isTrue();
            assertThatThrownBy(() -> count(tx.connection(), "x")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("current transaction is aborted");
            tx.close();
            assertThat(a.getAutoCommit()).isTrue();
            assertThat(count(a, "x")).isZero();
        }
    }

    @Test
    void writeCallsRunReadCommittedWhateverTheServersDefault() throws Exception {
        String serializable = schema.urlWithCredentials() + "&options="
                + URLEncoder.encode("-c default_transaction_isolation=serializable",
                        StandardCharsets.UTF_8);
        try (Connection plain = DriverManager.getConnection(serializable);
             Statement st = plain.createStatement(); ResultSet rs = st.executeQuery("SHOW transaction_isolation")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("serializable"); // the URL's default reaches the server
        }
        PostgresBackend.Opened strict = PostgresBackend.open(StoreConfig.builder().database(serializable).build());
        try (Connection c = strict.pool().getConnection(); Backend.WriteTx tx = strict.backend().beginWrite(c);
             Statement st = tx.connection().createStatement();
             ResultSet rs = st.executeQuery("SHOW transaction_isolation")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("read committed");
        } finally {
            strict.pool().close();
        }
    }

    private static long count(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(COUNT)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getLong(1);
            }
        }
    }

    /** @return whether {@code c} could take the write lock now (a transaction-scoped try, released at once) */
    private static boolean tryLock(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_try_advisory_xact_lock(" + PostgresBackend.WRITE_LOCK_KEY + ")")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** Waits until a session of this database waits for the write lock (bounded: fails after 60 s). */
    private static void awaitOneWaiter(Connection watcher) throws Exception {
        for (int i = 0; i < 6_000; i++) {
            try (Statement st = watcher.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_locks"
                    + " WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database"
                    + " WHERE datname = current_database())")) {
                rs.next();
                if (rs.getLong(1) == 1) {
                    return;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the second write call never waited for the lock");
    }
}
