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
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
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
    void atMostCapacityStatementsAreKeptTheLeastRecentlyUsedGoesAndClosingTheConnectionFinalizesThem(
            SessionStore store, Path file) throws Exception {
        JDBC4PreparedStatement[] compiled = new JDBC4PreparedStatement[StatementCache.CAPACITY + 1];
        try (Connection c = ExplicitTransactionDataSource.create(new ConnectionSettings(file, Duration.ZERO, true,
                false)).getConnection()) {
            CachingConnection cache = c.unwrap(CachingConnection.class);
            for (int i = 0; i < StatementCache.CAPACITY; i++) {
                try (PreparedStatement st = cache.prepareCached("SELECT " + i)) {
                    compiled[i] = raw(st);
                }
            }
            try (PreparedStatement again = cache.prepareCached("SELECT 0")) {
                assertThat(raw(again)).as("used again, so now the most recent").isSameAs(compiled[0]);
            }
            try (PreparedStatement st = cache.prepareCached("SELECT " + StatementCache.CAPACITY)) {
                compiled[StatementCache.CAPACITY] = raw(st);
            }
            assertThat(compiled[1].isClosed()).as("the least recently used, finalized for the new one").isTrue();
            assertThat(compiled[0].isClosed()).isFalse();
            assertThat(compiled[StatementCache.CAPACITY].isClosed()).isFalse();
            try (PreparedStatement st = cache.prepareCached("SELECT " + StatementCache.CAPACITY)) {
                assertThat(raw(st)).isSameAs(compiled[StatementCache.CAPACITY]);
            }
            try (PreparedStatement st = cache.prepareCached("SELECT 1")) {
                assertThat(raw(st)).isNotSameAs(compiled[1]);
            }
        }
        assertThat(compiled).allSatisfy(st -> assertThat(st.isClosed()).isTrue());
    }

    @Nested
    class ForeignStatements {

        @Test
        @AjVariant(SchemaVariant.AJ_INIT)
        void prepareStatementThroughThePoolIsServedFromTheCacheWithItsPlainOverloads(SessionStore store)
                throws Exception {
            try (Connection c = store.dataSource().getConnection()) {
                JDBC4PreparedStatement compiled;
                try (PreparedStatement st = c.prepareStatement(INSERT)) {
                    compiled = raw(st);
                    st.setString(1, "first");
                    assertThat(st.executeUpdate()).isEqualTo(1);
                }
                List<Prepare> overloads = List.of(() -> c.prepareStatement(INSERT),
                        () -> c.prepareStatement(INSERT, Statement.RETURN_GENERATED_KEYS),
                        () -> c.prepareStatement(INSERT, Statement.NO_GENERATED_KEYS),
                        () -> c.prepareStatement(INSERT, new int[] {1}),
                        () -> c.prepareStatement(INSERT, new String[] {"id"}),
                        () -> c.prepareStatement(INSERT, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY),
                        () -> c.prepareStatement(INSERT, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY,
                                ResultSet.CLOSE_CURSORS_AT_COMMIT),
                        () -> c.unwrap(CachingConnection.class).prepareCached(INSERT));
                for (int i = 0; i < overloads.size(); i++) {
                    try (PreparedStatement st = overloads.get(i).prepare()) {
                        assertThat(raw(st)).as("overload %d", i).isSameAs(compiled);
                        st.setString(1, "row " + i);
                        assertThat(st.executeUpdate()).isEqualTo(1);
                    }
                }
                assertThatThrownBy(() -> c.prepareStatement(INSERT, ResultSet.TYPE_SCROLL_INSENSITIVE,
                        ResultSet.CONCUR_READ_ONLY)).as("more than a plain statement: the driver answers")
                        .hasMessage("SQLite only supports TYPE_FORWARD_ONLY cursors");
            }
            assertThat(store.listSessions()).extracting(s -> s.name())
                    .contains("first", "row 0", "row 1", "row 7");
        }

        @Test
        void theSettingsACallerChangedAreSetBackBeforeTheNextCheckout(SessionStore store) throws Exception {
            try (Connection c = store.dataSource().getConnection()) {
                JDBC4PreparedStatement compiled;
                try (PreparedStatement st = c.prepareStatement(COUNT_TO_5)) {
                    compiled = raw(st);
                    st.setQueryTimeout(7);
                    st.setFetchSize(256);
                    st.setMaxRows(2);
                    st.setFetchDirection(ResultSet.FETCH_REVERSE);
                    st.setMaxFieldSize(10);
                    try (ResultSet rows = st.executeQuery()) {
                        rows.setFetchSize(1); // sqlite-jdbc keeps it on the statement's one result set
                        assertThat(countRows(rows)).as("max rows took effect").isEqualTo(2);
                    }
                }
                try (PreparedStatement st = c.prepareStatement(COUNT_TO_5)) {
                    assertThat(raw(st)).isSameAs(compiled);
                    assertThat(st.getQueryTimeout()).isZero();
                    assertThat(st.getMaxRows()).isZero();
                    assertThat(st.getLargeMaxRows()).isZero();
                    assertThat(st.getFetchSize()).isZero();
                    assertThat(st.getFetchDirection()).isEqualTo(ResultSet.FETCH_FORWARD);
                    assertThat(st.getMaxFieldSize()).isZero();
                    assertThat(st.isPoolable()).isTrue();
                    try (ResultSet rows = st.executeQuery()) {
                        assertThat(countRows(rows)).as("no row limit left behind").isEqualTo(5);
                    }
                }
            }
        }

        @Test
        @AjVariant(SchemaVariant.AJ_INIT)
        void aBatchAddedAndNeverExecutedDoesNotReachTheNextCaller(SessionStore store) throws Exception {
            try (Connection c = store.dataSource().getConnection()) {
                try (PreparedStatement st = c.prepareStatement(INSERT)) {
                    st.setString(1, "abandoned");
                    st.addBatch();
                }
                try (PreparedStatement st = c.prepareStatement(INSERT)) {
                    st.setString(1, "batched");
                    st.addBatch();
                    assertThat(st.executeBatch()).containsExactly(1);
                }
            }
            assertThat(store.findSession("batched")).isPresent();
            assertThat(store.findSession("abandoned")).isEmpty();
        }

        @Test
        void aStatementMarkedNotPoolableOrToCloseOnCompletionIsFinalizedNotKept(SessionStore store) throws Exception {
            try (Connection c = store.dataSource().getConnection()) {
                JDBC4PreparedStatement notPoolable;
                try (PreparedStatement st = c.prepareStatement("SELECT 1")) {
                    notPoolable = raw(st);
                    st.setPoolable(false);
                    assertThat(st.isPoolable()).isFalse();
                }
                assertThat(notPoolable.isClosed()).isTrue();
                JDBC4PreparedStatement onCompletion;
                try (PreparedStatement st = c.prepareStatement("SELECT 2")) {
                    onCompletion = raw(st);
                    st.closeOnCompletion();
                    st.executeQuery().next();
                }
                assertThat(onCompletion.isClosed()).isTrue();
                try (PreparedStatement st = c.prepareStatement("SELECT 2"); ResultSet rows = st.executeQuery()) {
                    assertThat(raw(st)).isNotSameAs(onCompletion);
                    rows.next();
                    assertThat(rows.getInt(1)).isEqualTo(2);
                }
            }
        }

        @Test
        void aStatementACallerStillHoldsIsNotHandedOutAgainAndAClosedCheckoutRefusesEveryCall(SessionStore store)
                throws Exception {
            try (Connection c = store.dataSource().getConnection()) {
                PreparedStatement held = c.prepareStatement(COUNT_TO_5);
                ResultSet heldRows = held.executeQuery();
                heldRows.next();
                try (PreparedStatement other = c.prepareStatement(COUNT_TO_5); ResultSet rows = other.executeQuery()) {
                    assertThat(raw(other)).isNotSameAs(raw(held));
                    assertThat(countRows(rows)).isEqualTo(5);
                }
                assertThat(heldRows.getInt(1)).as("the held cursor was not disturbed").isEqualTo(1);
                heldRows.next();
                assertThat(heldRows.getInt(1)).isEqualTo(2);
                PreparedStatement checkout = held.unwrap(MaskedPreparedStatement.class);
                held.close();
                assertThat(checkout.isClosed()).isTrue();
                try (PreparedStatement next = c.prepareStatement(COUNT_TO_5)) {
                    assertThatThrownBy(checkout::executeQuery).as("closed, though its statement is handed out again")
                            .hasMessage("statement closed: " + COUNT_TO_5);
                    assertThatThrownBy(() -> checkout.setInt(1, 1)).hasMessage("statement closed: " + COUNT_TO_5);
                    assertThat(next.isClosed()).isFalse();
                }
            }
        }

        @Test
        @AjVariant(SchemaVariant.AJ_INIT)
        void aForeignStatementThatFailedIsFinalizedAndItsErrorAndTextShowNoValue(SessionStore store) throws Exception {
            store.findOrCreateSession("taken", Preamble.defaults());
            String secret = "sk-live-0123456789abcdef";
            String sql = "INSERT INTO conversations (id, session_name) VALUES (?, ?)";
            try (Connection c = store.dataSource().getConnection()) {
                JDBC4PreparedStatement failedOne;
                try (PreparedStatement st = c.prepareStatement(sql)) {
                    failedOne = raw(st);
                    st.setLong(1, store.findSession("taken").orElseThrow().id());
                    st.setString(2, secret);
                    assertThat(st.toString()).as("HikariProxyPreparedStatement prints ours").contains(sql)
                            .doesNotContain(secret);
                    assertThatThrownBy(st::executeUpdate).hasMessageContaining("UNIQUE constraint failed")
                            .hasMessageNotContaining(secret);
                }
                assertThat(failedOne.isClosed()).isTrue();
                try (PreparedStatement st = c.prepareStatement(sql)) {
                    assertThat(raw(st)).isNotSameAs(failedOne);
                    st.setString(2, secret);
                    assertThat(st.unwrap(MaskedPreparedStatement.class)).hasToString("PreparedStatement[" + sql + "]");
                }
            }
        }

        @Test
        void closingThePhysicalConnectionFinalizesItsKeptStatementsAndEndsTheOnesStillOut(SessionStore store,
                                                                                           Path file) throws Exception {
            ExplicitTransactionDataSource dataSource = ExplicitTransactionDataSource.create(
                    new ConnectionSettings(file, Duration.ZERO, true, false));
            JDBC4PreparedStatement kept;
            PreparedStatement stillOut;
            try (Connection c = dataSource.getConnection()) {
                try (PreparedStatement st = c.prepareStatement("SELECT 1")) {
                    kept = raw(st);
                }
                stillOut = c.prepareStatement("SELECT 2");
                assertThat(kept.isClosed()).isFalse();
            }
            assertThat(kept.isClosed()).isTrue();
            assertThatThrownBy(stillOut::executeQuery).isInstanceOf(SQLException.class);
            stillOut.close(); // given back to a closed connection: finalized, no error
            assertThat(stillOut.isClosed()).isTrue();
        }
    }

    /** One way of preparing a statement. */
    @FunctionalInterface
    private interface Prepare {
        PreparedStatement prepare() throws SQLException;
    }

    private static final String COUNT_TO_5 =
            "WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n WHERE value < 5) SELECT value FROM n";

    private static int countRows(ResultSet rows) throws Exception {
        int n = 0;
        while (rows.next()) {
            n++;
        }
        return n;
    }
}
