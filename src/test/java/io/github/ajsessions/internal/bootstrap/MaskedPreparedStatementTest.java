package io.github.ajsessions.internal.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.testkit.AjSessionsExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sqlite.SQLiteConnection;
import org.sqlite.jdbc4.JDBC4PreparedStatement;

/** The statements and connections of the store: no bound value in a toString, honest unwrap. */
@ExtendWith(AjSessionsExtension.class)
class MaskedPreparedStatementTest {

    private static final String SECRET = "sk-live-0123456789abcdef";
    private static final String INSERT = "INSERT INTO conversations (session_name) VALUES (?)";

    @Test
    void aPreparedStatementPrintsItsSqlNeverItsValues(SessionStore store) throws Exception {
        try (Connection c = store.dataSource().getConnection(); PreparedStatement st = c.prepareStatement(INSERT)) {
            st.setString(1, SECRET);
            assertThat(st.unwrap(JDBC4PreparedStatement.class).toString()).as("why the mask exists")
                    .contains(SECRET);
            assertThat(st.toString()).as("HikariCP's proxy prints ours").contains("PreparedStatement[" + INSERT + "]")
                    .doesNotContain(SECRET);
            assertThat(st.unwrap(MaskedPreparedStatement.class)).hasToString("PreparedStatement[" + INSERT + "]");
        }
    }

    @Test
    void everyOverloadIsMasked(SessionStore store, Path file) throws Exception {
        try (Connection c = ExplicitTransactionDataSource.create(new ConnectionSettings(file, Duration.ZERO, true,
                false)).getConnection()) {
            PreparedStatement[] all = {c.prepareStatement(INSERT), c.prepareStatement(INSERT, 1),
                    c.prepareStatement(INSERT, new int[] {1}), c.prepareStatement(INSERT, new String[] {"id"}),
                    c.prepareStatement(INSERT, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY),
                    c.prepareStatement(INSERT, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY,
                            ResultSet.CLOSE_CURSORS_AT_COMMIT),
                    c.unwrap(CachingConnection.class).prepareCached(INSERT)};
            for (PreparedStatement st : all) {
                st.setString(1, SECRET);
                assertThat(st).hasToString("PreparedStatement[" + INSERT + "]");
                assertThat(st.getConnection()).as("the connection that prepared it").isSameAs(c);
                st.close();
            }
        }
    }

    @Test
    void unwrapAnswersForTheWrapperFirstThenForTheDriver(SessionStore store, Path file) throws Exception {
        try (Connection c = ExplicitTransactionDataSource.create(new ConnectionSettings(file, Duration.ZERO, true,
                false)).getConnection(); PreparedStatement st = c.prepareStatement(INSERT)) {
            assertThat(c.unwrap(Connection.class)).isSameAs(c);
            assertThat(c.unwrap(CachingConnection.class)).isSameAs(c);
            assertThat(c.isWrapperFor(SQLiteConnection.class)).isTrue();
            assertThat(c.unwrap(SQLiteConnection.class)).isNotSameAs(c).isNotInstanceOf(DelegatingConnection.class);
            assertThat(c.isWrapperFor(String.class)).isFalse();
            assertThatThrownBy(() -> c.unwrap(String.class)).isInstanceOf(SQLException.class)
                    .hasMessage("not a wrapper for java.lang.String");

            assertThat(st.unwrap(PreparedStatement.class)).isSameAs(st);
            assertThat(st.isWrapperFor(JDBC4PreparedStatement.class)).isTrue();
            assertThat(st.unwrap(JDBC4PreparedStatement.class)).isNotSameAs(st);
            assertThat(st.isWrapperFor(String.class)).isFalse();
            assertThatThrownBy(() -> st.unwrap(String.class)).isInstanceOf(SQLException.class)
                    .hasMessage("not a wrapper for java.lang.String");
        }
    }

    @Test
    void equalityIsIdentity(SessionStore store, Path file) throws Exception {
        ExplicitTransactionDataSource dataSource = ExplicitTransactionDataSource.create(
                new ConnectionSettings(file, Duration.ZERO, true, false));
        try (Connection a = dataSource.getConnection(); Connection b = dataSource.getConnection();
             PreparedStatement one = a.prepareStatement(INSERT); PreparedStatement two = a.prepareStatement(INSERT)) {
            assertThat(a).isEqualTo(a).isNotEqualTo(b);
            assertThat(a.hashCode()).isEqualTo(System.identityHashCode(a));
            assertThat(one).isEqualTo(one).isNotEqualTo(two);
        }
    }
}
