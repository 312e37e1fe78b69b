package io.github.ajsessions.internal.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ajsessions.AjClient;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.testkit.AjSessionsExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The explicit write transaction, on the store's pool (HikariCP in front of the connection layer). */
@ExtendWith(AjSessionsExtension.class)
class WriteTransactionTest {

    private static void insert(Connection c, String name) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO conversations (session_name) VALUES ('" + name + "')");
        }
    }

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

    @Test
    void commitKeepsTheRowsAndReturnsToAutoCommit(SessionStore store, Path file) throws Exception {
        try (Connection c = store.dataSource().getConnection(); WriteTransaction tx = WriteTransaction.immediate(c)) {
            assertThat(c.getAutoCommit()).as("the pool knows a transaction is open").isFalse();
            assertThat(writeLockFree(file)).isFalse();
            insert(c, "kept");
            tx.commit();
            assertThat(c.getAutoCommit()).isTrue();
            assertThat(writeLockFree(file)).isTrue();
            assertThatThrownBy(tx::commit).isInstanceOf(SQLException.class)
                    .hasMessage("write transaction already ended");
        }
        assertThat(store.findSession("kept")).isPresent();
    }

    @Test
    void closingWithoutCommitRollsBack(SessionStore store, Path file) throws Exception {
        try (Connection c = store.dataSource().getConnection()) {
            try (WriteTransaction tx = WriteTransaction.immediate(c)) {
                insert(c, "dropped");
            }
            assertThat(c.getAutoCommit()).isTrue();
            assertThat(writeLockFree(file)).isTrue();
        }
        assertThat(store.findSession("dropped")).isEmpty();
    }

    @Test
    void aBusyFileFailsTheBeginAndLeavesTheConnectionInAutoCommit(SessionStore store, Path file) throws Exception {
        ExplicitTransactionDataSource dataSource = ExplicitTransactionDataSource.create(
                new ConnectionSettings(file, Duration.ZERO, true, false));
        try (Connection aj = new AjClient(file).connect(); Statement holder = aj.createStatement();
             Connection c = dataSource.getConnection()) {
            holder.execute("BEGIN IMMEDIATE");
            assertThatThrownBy(() -> WriteTransaction.immediate(c)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("SQLITE_BUSY");
            assertThat(c.getAutoCommit()).isTrue();
            holder.execute("ROLLBACK");
            try (WriteTransaction tx = WriteTransaction.immediate(c)) {
                insert(c, "after the lock");
                tx.commit();
            }
        }
        assertThat(store.findSession("after the lock")).isPresent();
    }

    @Test
    void aTransactionAlreadyOpenIsRefused(SessionStore store) throws Exception {
        try (Connection c = store.dataSource().getConnection(); WriteTransaction tx = WriteTransaction.immediate(c)) {
            assertThatThrownBy(() -> WriteTransaction.immediate(c)).isInstanceOf(SQLException.class)
                    .hasMessage("a transaction is already open on this connection: cannot BEGIN IMMEDIATE");
            tx.commit();
        }
    }

    @Test
    void aConnectionOfAnotherDataSourceIsRefused(SessionStore store, Path file) throws Exception {
        try (Connection plain = new AjClient(file).connect()) {
            assertThatThrownBy(() -> WriteTransaction.immediate(plain)).isInstanceOf(SQLException.class)
                    .hasMessage("BEGIN IMMEDIATE needs a connection of ExplicitTransactionDataSource, not "
                            + plain.getClass().getName());
            assertThat(plain.getAutoCommit()).isTrue();
        }
    }
}
