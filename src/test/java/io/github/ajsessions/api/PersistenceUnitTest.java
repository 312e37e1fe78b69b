package io.github.ajsessions.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ajsessions.core.SchemaException;
import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.model.Conversation;
import io.github.ajsessions.model.Message;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.testkit.AjDatabases;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code aj-sessions} unit of META-INF/persistence.xml, as a plain JPA application uses it. */
class PersistenceUnitTest {

    @TempDir
    Path dir;

    private static EntityManagerFactory unit(Path file, Map<String, String> more) {
        Map<String, Object> props = new java.util.HashMap<>(more);
        props.put("jakarta.persistence.jdbc.url", "jdbc:sqlite:" + file);
        return Persistence.createEntityManagerFactory("aj-sessions", props);
    }

    @Test
    void freshFileIsMigratedBeforeValidationAndWritesAreReadByPlainSql() throws Exception {
        Path file = dir.resolve("aj.db");
        try (EntityManagerFactory emf = unit(file, Map.of())) {
            EntityManager em = emf.createEntityManager();
            em.getTransaction().begin();
            Conversation c = new Conversation("jpa");
            c.addMessage(new Message(Role.SYSTEM, "sys"));
            c.addMessage(new Message(Role.USER, "hello"));
            em.persist(c);
            em.getTransaction().commit();
            // the unit's connections are the module's pool: foreign keys on
            long fk = em.unwrap(Session.class).doReturningWork(conn -> {
                try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("PRAGMA foreign_keys")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertThat(fk).isEqualTo(1);
            em.close();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT max(version) FROM aj_sessions_schema_history")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("2");
            }
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT m.role, m.content, typeof(m.dynamic), m.dynamic FROM messages m"
                    + " JOIN conversations c ON c.id = m.conversation_id WHERE c.session_name = 'jpa'")) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getInt(4));
                }
            }
            assertThat(rows).containsExactly("system|sys|integer|0", "user|hello|integer|0");
        }
    }

    @Test
    void ajInitFileIsAdoptedAndReadThroughJpa() throws Exception {
        Path file = AjDatabases.create(dir.resolve("aj.db"), SchemaVariant.AJ_INIT);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute("INSERT INTO conversations (session_name) VALUES ('from-aj')");
            st.execute("INSERT INTO messages (role, content, dynamic, conversation_id) VALUES ('system', 's', 0, 1)");
        }
        try (EntityManagerFactory emf = unit(file, Map.of())) {
            EntityManager em = emf.createEntityManager();
            Conversation c = em.createQuery("select c from Conversation c where c.sessionName = 'from-aj'",
                    Conversation.class).getSingleResult();
            assertThat(c.getMessages()).extracting(Message::getRole, Message::getContent)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(Role.SYSTEM, "s"));
            em.close();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version FROM aj_sessions_schema_history ORDER BY installed_rank")) {
            List<String> versions = new ArrayList<>();
            while (rs.next()) {
                versions.add(rs.getString(1));
            }
            assertThat(versions).containsExactly("1", "2");
        }
    }

    @Test
    void validateModeOnAnUnknownSchemaRefusesWithTheDifferences() throws Exception {
        Path file = AjDatabases.create(dir.resolve("aj.db"), SchemaVariant.AJ_INIT);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE messages ADD COLUMN extra TEXT");
        }
        assertThatThrownBy(() -> unit(file, Map.of("aj_sessions.schema_mode", "validate")).close())
                .hasStackTraceContaining("messages.extra: column not in aj's schema")
                .satisfies(e -> assertThat(rootOfType(e, SchemaException.class)).isNotNull());
    }

    @Test
    void theUnitsPropertiesReachThePool() throws Exception {
        Path file = AjDatabases.create(dir.resolve("aj.db"), SchemaVariant.DOCS_OPTION_C);
        try (EntityManagerFactory emf = unit(file, Map.of("aj_sessions.busy_timeout", "1234",
                "aj_sessions.schema_mode", "read_only"))) {
            EntityManager em = emf.createEntityManager();
            long timeout = em.unwrap(Session.class).doReturningWork(conn -> {
                try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("PRAGMA busy_timeout")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertThat(timeout).isEqualTo(1234);
            assertThat(em.createQuery("select count(c) from Conversation c", Long.class).getSingleResult()).isZero();
            em.close();
        }
        // read-only: nothing was adopted, no history table
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master WHERE name LIKE 'aj_sessions%'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
        assertThatThrownBy(() -> unit(file, Map.of("aj_sessions.schema_mode", "sometimes")).close())
                .hasStackTraceContaining("aj_sessions.schema_mode must be one of [MIGRATE, VALIDATE, READ_ONLY],"
                        + " was 'sometimes'");
    }

    @Test
    void aUrlOfAnotherDatabaseIsRefused() {
        assertThatThrownBy(() -> Persistence.createEntityManagerFactory("aj-sessions",
                Map.of("jakarta.persistence.jdbc.url", "jdbc:h2:mem:x")).close())
                .hasStackTraceContaining("jdbc:h2:mem:x");
    }

    static <T extends Throwable> T rootOfType(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
