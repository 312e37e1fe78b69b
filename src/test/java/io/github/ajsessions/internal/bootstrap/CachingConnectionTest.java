package io.github.ajsessions.internal.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ajsessions.AjClient;
import io.github.ajsessions.api.Preamble;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.testkit.AjSessionsExtension;
import io.github.ajsessions.testkit.AjVariant;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sqlite.jdbc4.JDBC4PreparedStatement;

/** The statement cache of the store's connections: reuse, and no lock or state left behind. */
@ExtendWith(AjSessionsExtension.class)
class CachingConnectionTest {

    private static final String INSERT = "INSERT INTO conversations (session_name) VALUES (?)";

    private static JDBC4PreparedStatement raw(PreparedStatement statement) throws Exception {
        return statement.unwrap(JDBC4PreparedStatement.class);
    }

    @Test
    void aClosedStatementIsReusedWithItsParametersCleared(SessionStore store) throws Exception {
        try (Connection c = store.dataSource().getConnection()) {
            CachingConnection cache = c.unwrap(CachingConnection.class);
            PreparedStatement first = cache.prepareCached("SELECT ?1 + 1, ?2");
            first.setInt(1, 1);
            first.setString(2, "x");
            try (ResultSet rs = first.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
            JDBC4PreparedStatement compiled = raw(first);
            first.close();
            assertThat(first.isClosed()).isTrue();
            assertThatThrownBy(first::executeQuery).hasMessage("statement closed: SELECT ?1 + 1, ?2");

            try (PreparedStatement second = cache.prepareCached("SELECT ?1 + 1, ?2")) {
                assertThat(raw(second)).isSameAs(compiled);
                second.setInt(1, 41);
                try (ResultSet rs = second.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(42);
                    assertThat(rs.getString(2)).as("parameter 2 was cleared, not kept").isNull();
                }
            }
        }
    }

    @Test
    void aStatementInUseIsNotHandedOutTwice(SessionStore store) throws Exception {
        try (Connection c = store.dataSource().getConnection()) {
            CachingConnection cache = c.unwrap(CachingConnection.class);
            try (PreparedStatement outer = cache.prepareCached("WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n WHERE value < 3) SELECT value FROM n");
                 ResultSet rows = outer.executeQuery()) {
                rows.next();
                try (PreparedStatement inner = cache.prepareCached("WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n WHERE value < 3) SELECT value FROM n")) {
                    assertThat(raw(inner)).isNotSameAs(raw(outer));
                }
                assertThat(rows.getInt(1)).isEqualTo(1);
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(2);
            }
        }
    }

    @Test
    @AjVariant(SchemaVariant.AJ_INIT)
    void closingAStatementWithAnUnreadResultReleasesTheReadLock(SessionStore store, Path file) throws Exception {
        store.findOrCreateSession("a", Preamble.defaults());
        store.findOrCreateSession("b", Preamble.defaults());
        try (Connection c = store.dataSource().getConnection(); Connection aj = new AjClient(file).connect();
             Statement ajWrites = aj.createStatement()) {
            PreparedStatement read = c.unwrap(CachingConnection.class).prepareCached("SELECT id FROM messages");
            ResultSet rows = read.executeQuery();
            rows.next(); // a read in progress: SQLite holds a shared lock, so aj (no busy timeout) cannot commit
            assertThatThrownBy(() -> ajWrites.execute("DELETE FROM messages WHERE id = -1"))
                    .hasMessageContaining("SQLITE_BUSY");
            read.close(); // the result set is left to the statement, as many callers do
            ajWrites.execute("INSERT INTO conversations (session_name) VALUES ('written by aj')");
        }
        assertThat(store.findSession("written by aj")).isPresent();
    }

    @Test
    @AjVariant(SchemaVariant.AJ_INIT)
    void aStatementThatFailedIsFinalizedNotKept(SessionStore store) throws Exception {
        try (Connection c = store.dataSource().getConnection()) {
            CachingConnection cache = c.unwrap(CachingConnection.class);
            JDBC4PreparedStatement failedOne;
            try (PreparedStatement insert = cache.prepareCached(INSERT)) {
                failedOne = raw(insert);
                insert.setString(1, null);
                assertThatThrownBy(insert::executeUpdate).hasMessageContaining("NOT NULL constraint failed");
            }
            assertThat(failedOne.isClosed()).isTrue();
            try (PreparedStatement insert = cache.prepareCached(INSERT)) {
                assertThat(raw(insert)).isNotSameAs(failedOne);
                insert.setString(1, "fine");
                assertThat(insert.executeUpdate()).isEqualTo(1);
            }
        }
        assertThat(store.findSession("fine")).isPresent();
    }

    @Test
    void atMostCapacityStatementsAreKeptAndClosingTheConnectionFinalizesThem(SessionStore store, Path file)
            throws Exception {
        JDBC4PreparedStatement first;
        JDBC4PreparedStatement beyond;
        try (Connection c = ExplicitTransactionDataSource.create(new ConnectionSettings(file, Duration.ZERO, true,
                false)).getConnection()) {
            CachingConnection cache = c.unwrap(CachingConnection.class);
            JDBC4PreparedStatement[] compiled = new JDBC4PreparedStatement[StatementCache.CAPACITY + 1];
            for (int i = 0; i < compiled.length; i++) {
                try (PreparedStatement st = cache.prepareCached("SELECT " + i)) {
                    compiled[i] = raw(st);
                }
            }
            first = compiled[0];
            beyond = compiled[StatementCache.CAPACITY];
            assertThat(beyond.isClosed()).as("the cache was full").isTrue();
            assertThat(first.isClosed()).isFalse();
            try (PreparedStatement again = cache.prepareCached("SELECT 0")) {
                assertThat(raw(again)).isSameAs(first);
            }
        }
        assertThat(first.isClosed()).isTrue();
    }
}
