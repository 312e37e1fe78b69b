package io.github.ajsessions.internal.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ajsessions.AjClient;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.testkit.AjSessionsExtension;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sqlite.SQLiteConfig;

/**
 * The transaction state machine of the store's connections, on a migrated file, next to a second
 * connection with aj's settings (no busy timeout) that shows which lock is held.
 */
@ExtendWith(AjSessionsExtension.class)
class ExplicitTransactionConnectionTest {

    /** A data source over {@code file} with no busy timeout: a lock fails at once. */
    private static ExplicitTransactionDataSource dataSource(Path file) {
        return ExplicitTransactionDataSource.create(new ConnectionSettings(file, Duration.ZERO, true, false));
    }

    /** @return whether a second connection could take the write lock at once (it lets it go again) */
    private static boolean writeLockFree(Path file) throws SQLException {
        try (Connection aj = new AjClient(file).connect(); Statement st = aj.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            st.execute("ROLLBACK");
            return true;
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).contains("SQLITE_BUSY")) {
                return false;
            }
            throw e;
        }
    }

    private static int conversations(Path file, String name) throws SQLException {
        try (Connection aj = new AjClient(file).connect(); Statement st = aj.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM conversations WHERE session_name = '" + name + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void insert(Connection c, String name) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO conversations (session_name) VALUES ('" + name + "')");
        }
    }

    @Test
    void beginImmediateTakesTheWriteLockAndCommitLetsItGo(SessionStore store, Path file) throws Exception {
        try (ExplicitTransactionConnection c = (ExplicitTransactionConnection) dataSource(file).getConnection()) {
            c.beginImmediate();
            assertThat(c.getAutoCommit()).isFalse();
            assertThat(c.holdsWriteLock()).isTrue();
            assertThat(writeLockFree(file)).as("write lock taken at BEGIN, before any statement").isFalse();
            insert(c, "committed");
            c.setAutoCommit(true);
            assertThat(c.getAutoCommit()).isTrue();
            assertThat(c.holdsWriteLock()).isFalse();
            assertThat(writeLockFree(file)).isTrue();
        }
        assertThat(conversations(file, "committed")).isEqualTo(1);
    }

    @Test
    void setAutoCommitFalseBeginsImmediateForForeignCode(SessionStore store, Path file) throws Exception {
        try (Connection c = dataSource(file).getConnection()) {
            c.setAutoCommit(false);
            assertThat(writeLockFree(file)).as("Hibernate's and Spring's way in gets IMMEDIATE too").isFalse();
            insert(c, "first");
            c.commit();
            // JDBC: still auto-commit off, in a DEFERRED transaction that holds no lock until used
            assertThat(c.getAutoCommit()).isFalse();
            assertThat(writeLockFree(file)).as("no lock held after commit()").isTrue();
            insert(c, "second");
            c.rollback();
            assertThat(writeLockFree(file)).as("no lock held after rollback()").isTrue();
            c.setAutoCommit(true);
        }
        assertThat(conversations(file, "first")).isEqualTo(1);
        assertThat(conversations(file, "second")).isZero();
    }

    @Test
    void aConnectionMarkedReadOnlyBeginsDeferred(SessionStore store, Path file) throws Exception {
        ExplicitTransactionDataSource dataSource = dataSource(file);
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            c.setReadOnly(true);
            assertThat(c.isReadOnly()).isTrue();
            c.setAutoCommit(false);
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM conversations")) {
                rs.next();
            }
            assertThat(writeLockFree(file)).as("a read transaction never takes the write lock").isTrue();
            c.setAutoCommit(true);
        }
        assertThat(dataSource.unwrap(WriteLockStatistics.class).writeTransactions()).isZero();
    }

    @Test
    void closingRollsBackAnOpenTransactionAndEndsItsHold(SessionStore store, Path file) throws Exception {
        ExplicitTransactionDataSource dataSource = dataSource(file);
        Connection c = dataSource.getConnection();
        c.setAutoCommit(false);
        insert(c, "never committed");
        c.close();
        assertThat(c.isClosed()).isTrue();
        assertThat(writeLockFree(file)).isTrue();
        assertThat(conversations(file, "never committed")).isZero();
        assertThat(dataSource.unwrap(WriteLockStatistics.class).writeTransactions()).isEqualTo(1);
        assertThatThrownBy(() -> c.setAutoCommit(false)).isInstanceOf(SQLException.class)
                .hasMessage("database connection closed");
    }

    @Test
    void theWriteLockHoldsAreCountedPerDataSource(SessionStore store, Path file) throws Exception {
        ExplicitTransactionDataSource dataSource = dataSource(file);
        WriteLockStatistics statistics = dataSource.unwrap(WriteLockStatistics.class);
        try (ExplicitTransactionConnection c = (ExplicitTransactionConnection) dataSource.getConnection()) {
            c.beginImmediate();
            insert(c, "one");
            c.setAutoCommit(true);
            c.setAutoCommit(false);
            insert(c, "two");
            c.rollback(); // ends the hold; the DEFERRED transaction that follows holds none
            c.commit();
            c.setAutoCommit(true);
        }
        assertThat(statistics.writeTransactions()).isEqualTo(2);
        assertThat(statistics.totalHold()).isPositive().isGreaterThanOrEqualTo(statistics.longestHold());
        assertThat(statistics.longestHold()).isPositive();
        statistics.reset();
        assertThat(statistics.writeTransactions()).isZero();
        assertThat(statistics.totalHold()).isZero();
        assertThat(statistics.longestHold()).isZero();
        assertThat(dataSource(file).unwrap(WriteLockStatistics.class)).as("another data source counts apart")
                .isNotSameAs(statistics);
    }

    @Test
    void theStoresPoolReachesTheStatisticsOfItsDataSource(SessionStore store) throws Exception {
        WriteLockStatistics statistics = store.dataSource().unwrap(WriteLockStatistics.class);
        statistics.reset();
        store.findOrCreateSession("counted");
        assertThat(statistics.writeTransactions()).isEqualTo(1);
    }

    @Nested
    class WhenBeginFails {

        @Test
        void theConnectionStaysInAutoCommitAndNoRollbackIsPretended(SessionStore store, Path file) throws Exception {
            ExplicitTransactionDataSource dataSource = dataSource(file);
            try (Connection aj = new AjClient(file).connect(); Statement holder = aj.createStatement();
                 Connection c = dataSource.getConnection()) {
                holder.execute("BEGIN IMMEDIATE");
                assertThatThrownBy(() -> c.setAutoCommit(false)).isInstanceOf(SQLException.class)
                        .hasMessageContaining("SQLITE_BUSY");
                assertThat(c.getAutoCommit()).as("no transaction is open, and the connection says so").isTrue();
                assertThatThrownBy(c::rollback).isInstanceOf(SQLException.class)
                        .hasMessage("database in auto-commit mode: no transaction to ROLLBACK");
                assertThatThrownBy(((ExplicitTransactionConnection) c)::beginImmediate)
                        .isInstanceOf(SQLException.class).hasMessageContaining("SQLITE_BUSY");
                assertThat(c.getAutoCommit()).isTrue();
                holder.execute("ROLLBACK");
            }
            assertThat(dataSource.unwrap(WriteLockStatistics.class).writeTransactions()).as("no hold").isZero();
        }

        @Test
        void sqliteJdbcItselfWouldCommitTheNextInsertBehindTheCallersBack(SessionStore store, Path file)
                throws Exception {
            // the driver's behaviour this class exists for (xerial/sqlite-jdbc#683): should this test fail
            // after an upgrade, the workaround may no longer be needed
            SQLiteConfig immediate = new SQLiteConfig();
            immediate.setBusyTimeout(0);
            immediate.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            try (Connection aj = new AjClient(file).connect(); Statement holder = aj.createStatement();
                 Connection driver = immediate.createConnection("jdbc:sqlite:" + file)) {
                holder.execute("BEGIN IMMEDIATE");
                assertThatThrownBy(() -> driver.setAutoCommit(false)).hasMessageContaining("SQLITE_BUSY");
                holder.execute("ROLLBACK");
                assertThat(driver.getAutoCommit()).as("the driver believes a transaction is open").isFalse();
                insert(driver, "phantom");
                assertThatThrownBy(driver::rollback).hasMessageContaining("no transaction is active");
            }
            assertThat(conversations(file, "phantom")).as("rolled back, yet committed").isEqualTo(1);
        }

        @Test
        void theNextInsertOfTheCallerIsInAutoCommitAsReported(SessionStore store, Path file) throws Exception {
            try (Connection aj = new AjClient(file).connect(); Statement holder = aj.createStatement();
                 Connection c = dataSource(file).getConnection()) {
                holder.execute("BEGIN IMMEDIATE");
                assertThatThrownBy(() -> c.setAutoCommit(false)).hasMessageContaining("SQLITE_BUSY");
                holder.execute("ROLLBACK");
                c.setAutoCommit(false); // the caller retries: now a real transaction
                insert(c, "rolled back");
                c.rollback();
                c.setAutoCommit(true);
            }
            assertThat(conversations(file, "rolled back")).isZero();
        }
    }

    @Test
    void aCommitThatMetABusyFileCanBeRetriedAndTheNextTransactionsRunAsBefore(SessionStore store, Path file)
            throws Exception {
        try (Connection aj = new AjClient(file).connect(); Statement reader = aj.createStatement();
             ExplicitTransactionConnection c = (ExplicitTransactionConnection) dataSource(file).getConnection()) {
            c.setAutoCommit(false);
            insert(c, "retried");
            reader.execute("BEGIN");
            try (ResultSet rs = reader.executeQuery("SELECT count(*) FROM conversations")) {
                rs.next(); // a read lock, which a rollback-journal COMMIT has to wait for
                assertThatThrownBy(c::commit).isInstanceOf(SQLException.class).hasMessageContaining("SQLITE_BUSY");
            }
            reader.execute("COMMIT");
            assertThat(c.getAutoCommit()).isFalse();
            assertThat(c.holdsWriteLock()).as("the failed COMMIT left the transaction open").isTrue();
            c.commit(); // the transaction is still open: the retried COMMIT ends it
            assertThat(c.holdsWriteLock()).isFalse();
            assertThat(conversations(file, "retried")).isEqualTo(1);
            c.setAutoCommit(true);
            for (int i = 0; i < 3; i++) { // the connection goes on: each BEGIN, COMMIT and ROLLBACK with its effect
                c.setAutoCommit(false);
                assertThat(writeLockFree(file)).isFalse();
                insert(c, "again " + i);
                if (i == 1) {
                    c.rollback();
                } else {
                    c.commit();
                }
                assertThat(writeLockFree(file)).isTrue();
                c.setAutoCommit(true);
            }
        }
        assertThat(conversations(file, "again 0")).isEqualTo(1);
        assertThat(conversations(file, "again 1")).isZero();
        assertThat(conversations(file, "again 2")).isEqualTo(1);
    }

    @Test
    void beginImmediateRefusesWhenATransactionIsOpen(SessionStore store, Path file) throws Exception {
        try (ExplicitTransactionConnection c = (ExplicitTransactionConnection) dataSource(file).getConnection()) {
            c.setReadOnly(true);
            c.setAutoCommit(false); // DEFERRED
            assertThatThrownBy(c::beginImmediate).isInstanceOf(SQLException.class)
                    .hasMessage("a transaction is already open on this connection: cannot BEGIN IMMEDIATE");
            c.setAutoCommit(true);
        }
    }

    @Test
    void commitOutsideATransactionIsRefused(SessionStore store, Path file) throws Exception {
        try (Connection c = dataSource(file).getConnection()) {
            assertThatThrownBy(c::commit).isInstanceOf(SQLException.class)
                    .hasMessage("database in auto-commit mode: no transaction to COMMIT");
        }
    }

    @Test
    void theTransactionStatementsAreCompiledOnceAndKeptUntilClose(SessionStore store, Path file) throws Exception {
        List<String> compiled = new ArrayList<>();
        Connection driver = new AjClient(file).connect();
        Connection counting = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().startsWith("prepare") || method.getName().equals("createStatement")) {
                        compiled.add(args == null ? method.getName() : String.valueOf(args[0]));
                    }
                    try {
                        return method.invoke(driver, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (ExplicitTransactionConnection c = new ExplicitTransactionConnection(counting, new LockHoldStatistics(),
                WriteGate.of(file), 1_000)) {
            for (int i = 0; i < 3; i++) { // as Hibernate and Spring run a transaction
                c.setAutoCommit(false);
                insert(c, "turn " + i);
                if (i == 1) {
                    c.rollback();
                } else {
                    c.commit();
                }
                c.setAutoCommit(true);
            }
            assertThat(compiled).as("each transaction statement compiled once; the inserts are this test's own")
                    .containsExactly("BEGIN IMMEDIATE", "createStatement", "COMMIT", "BEGIN DEFERRED",
                            "createStatement", "ROLLBACK", "createStatement");
        }
        assertThat(driver.isClosed()).isTrue();
        assertThat(conversations(file, "turn 0") + conversations(file, "turn 1") + conversations(file, "turn 2"))
                .isEqualTo(2);
    }
}
