package io.github.ajsessions.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ajsessions.AjClient;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.testkit.AjSessionsExtension;
import io.github.ajsessions.testkit.AjVariant;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every JPA write path keeps the application's order: message and snapshot ids ascend in the order
 * they were added or persisted, because aj reads a conversation's rows by rowid, with no ORDER BY, and
 * compares the <em>first</em> snapshot with its config. Each path runs on each of aj's three variants,
 * is read back with plain SQL, and is then continued by aj's own statement sequence ({@link AjClient}).
 *
 * <p>The snapshots are chosen so that aj's order is observable: the first one added equals aj's
 * config in {@link AjClient#turn}, the later ones differ. If a later one got the lowest id, aj would
 * append a snapshot of its own.
 */
@ExtendWith(AjSessionsExtension.class)
class JpaWriteOrderTest {

    @Nested
    @AjVariant(SchemaVariant.AJ_INIT)
    class OnAnAjInitFile extends WritePaths {
    }

    @Nested
    @AjVariant(SchemaVariant.DIESEL_CLI)
    class OnADieselCliFile extends WritePaths {
    }

    @Nested
    @AjVariant(SchemaVariant.DOCS_OPTION_C)
    class OnADocsOptionCFile extends WritePaths {
    }

    /** What a path adds: with a new snapshot among them, Hibernate cascades to the snapshots first. */
    enum Rows {
        /** Two turns. */
        MESSAGES,
        /** Two turns and three snapshots, interleaved; the first snapshot is aj's config. */
        MIXED;

        /** New rows, in the order the application adds them. */
        List<Object> added() {
            return this == MESSAGES
                    ? List.of(user("q1"), assistant("a1"), user("q2"), assistant("a2"))
                    : List.of(ajConfig(), user("q1"), other(1), assistant("a1"), user("q2"), other(2),
                            assistant("a2"));
        }

        static Message user(String content) {
            return new Message(Role.USER, content);
        }

        static Message assistant(String content) {
            return new Message(Role.ASSISTANT, content);
        }

        /** Equal to the config aj records in {@link AjClient#turn} on the five fields aj compares. */
        static AwfulConfig ajConfig() {
            return new AwfulConfig("http://localhost:11434/v1", "sk-aj", "llama", 8192, 1024,
                    List.of("<|eot|>", "User:"));
        }

        static AwfulConfig other(int n) {
            return new AwfulConfig("http://other/v1", "sk-other", "model-" + n, 4096, 512, List.of());
        }
    }

    abstract static class WritePaths {

        static final String SESSION = "chat";

        // -----------------------------------------------------------------------------------------
        // cascade from Conversation

        @ParameterizedTest
        @EnumSource(Rows.class)
        void addingToALoadedConversationWhoseCollectionsAreNotLoaded(Rows rows, SessionStore store, Path file)
                throws Exception {
            Written before = ajMadeSession(file);
            store.jpa().inTransaction(em -> {
                Conversation c = loaded(em);
                assertThat(isLoaded(em, c, "messages")).isFalse();
                assertThat(isLoaded(em, c, "configs")).isFalse();
                add(c, rows.added());
                return null;
            });
            assertOrderAndAjContinues(file, before.plus(rows));
        }

        @ParameterizedTest
        @EnumSource(Rows.class)
        void addingToALoadedConversationWhoseCollectionsAreLoaded(Rows rows, SessionStore store, Path file)
                throws Exception {
            Written before = ajMadeSession(file);
            store.jpa().inTransaction(em -> {
                Conversation c = loaded(em);
                assertThat(c.getMessages()).hasSize(3);
                assertThat(c.getConfigs()).isEmpty();
                add(c, rows.added());
                return null;
            });
            assertOrderAndAjContinues(file, before.plus(rows));
        }

        @ParameterizedTest
        @EnumSource(Rows.class)
        void addingToANewConversationThenPersistingIt(Rows rows, SessionStore store, Path file) throws Exception {
            store.jpa().inTransaction(em -> {
                Conversation c = new Conversation(SESSION);
                addPreamble(c);
                add(c, rows.added());
                em.persist(c);
                return null;
            });
            assertOrderAndAjContinues(file, Written.ourPreamble().plus(rows));
        }

        @ParameterizedTest
        @EnumSource(Rows.class)
        void addingToANewConversationAfterPersistingIt(Rows rows, SessionStore store, Path file) throws Exception {
            store.jpa().inTransaction(em -> {
                Conversation c = new Conversation(SESSION);
                em.persist(c);
                addPreamble(c);
                add(c, rows.added());
                return null;
            });
            assertOrderAndAjContinues(file, Written.ourPreamble().plus(rows));
        }

        @ParameterizedTest
        @EnumSource(Rows.class)
        void addingThroughThePersistenceUnit(Rows rows, Path file) throws Exception {
            Written before = ajMadeSession(file);
            try (EntityManagerFactory emf = Persistence.createEntityManagerFactory("aj-sessions",
                    Map.of("jakarta.persistence.jdbc.url", "jdbc:sqlite:" + file))) {
                emf.runInTransaction(em -> {
                    Conversation c = loaded(em);
                    assertThat(isLoaded(em, c, "messages")).isFalse();
                    add(c, rows.added());
                });
            }
            assertOrderAndAjContinues(file, before.plus(rows));
        }

        @ParameterizedTest
        @EnumSource(Rows.class)
        void addingInSeveralTransactions(Rows rows, SessionStore store, Path file) throws Exception {
            Written before = ajMadeSession(file);
            List<Object> added = rows.added();
            int third = added.size() / 3;
            for (List<Object> part : List.of(added.subList(0, third), added.subList(third, 2 * third + 1),
                    added.subList(2 * third + 1, added.size()))) {
                store.jpa().inTransaction(em -> {
                    add(loaded(em), part);
                    return null;
                });
            }
            assertOrderAndAjContinues(file, before.plus(rows));
        }

        // -----------------------------------------------------------------------------------------
        // cascade from Message / AwfulConfig, and explicit persist

        @ParameterizedTest
        @EnumSource(value = Rows.class, names = "MIXED")
        void persistingTheFirstNewSnapshotOfANewConversation(Rows rows, SessionStore store, Path file)
                throws Exception {
            store.jpa().inTransaction(em -> {
                Conversation c = new Conversation(SESSION);
                addPreamble(c);
                add(c, rows.added());
                // the snapshot cascades to its new conversation, which cascades to all the other rows
                em.persist(c.getConfigs().get(0));
                return null;
            });
            assertOrderAndAjContinues(file, Written.ourPreamble().plus(rows));
        }

        @ParameterizedTest
        @EnumSource(Rows.class)
        void persistingTheFirstNewMessageOfANewConversation(Rows rows, SessionStore store, Path file)
                throws Exception {
            store.jpa().inTransaction(em -> {
                Conversation c = new Conversation(SESSION);
                addPreamble(c);
                add(c, rows.added());
                em.persist(c.getMessages().get(0));
                return null;
            });
            assertOrderAndAjContinues(file, Written.ourPreamble().plus(rows));
        }

        @ParameterizedTest
        @EnumSource(Rows.class)
        void persistingEachNewRowAfterAddingAllToALoadedConversation(Rows rows, SessionStore store, Path file)
                throws Exception {
            Written before = ajMadeSession(file);
            store.jpa().inTransaction(em -> {
                List<Object> added = rows.added();
                add(loaded(em), added);
                added.forEach(em::persist);
                return null;
            });
            assertOrderAndAjContinues(file, before.plus(rows));
        }

        @ParameterizedTest
        @EnumSource(Rows.class)
        void persistingEachNewRowRightAfterAddingIt(Rows rows, SessionStore store, Path file) throws Exception {
            Written before = ajMadeSession(file);
            store.jpa().inTransaction(em -> {
                Conversation c = loaded(em);
                for (Object row : rows.added()) {
                    add(c, List.of(row));
                    em.persist(row);
                }
                return null;
            });
            assertOrderAndAjContinues(file, before.plus(rows));
        }

        @ParameterizedTest
        @EnumSource(Rows.class)
        void persistingRowsThatOnlyNameTheirConversation(Rows rows, SessionStore store, Path file) throws Exception {
            Written before = ajMadeSession(file);
            store.jpa().inTransaction(em -> {
                Conversation c = em.getReference(Conversation.class, sessionId(file));
                for (Object row : rows.added()) {
                    link(row, c);
                    em.persist(row);
                }
                return null;
            });
            assertOrderAndAjContinues(file, before.plus(rows));
        }

        // -----------------------------------------------------------------------------------------
        // merge

        @ParameterizedTest
        @EnumSource(Rows.class)
        void mergingADetachedConversationWithNewRows(Rows rows, SessionStore store, Path file) throws Exception {
            Written before = ajMadeSession(file);
            Conversation detached = store.jpa().withEntityManager(em -> {
                Conversation c = loaded(em);
                assertThat(c.getMessages()).hasSize(3);
                assertThat(c.getConfigs()).isEmpty();
                return c;
            });
            add(detached, rows.added());
            store.jpa().inTransaction(em -> em.merge(detached));
            assertOrderAndAjContinues(file, before.plus(rows));
        }

        @ParameterizedTest
        @EnumSource(Rows.class)
        void mergingANewConversation(Rows rows, SessionStore store, Path file) throws Exception {
            Conversation c = new Conversation(SESSION);
            addPreamble(c);
            add(c, rows.added());
            store.jpa().inTransaction(em -> em.merge(c));
            assertOrderAndAjContinues(file, Written.ourPreamble().plus(rows));
        }

        @ParameterizedTest
        @EnumSource(Rows.class)
        void mergingALoadedConversationWithNewRows(Rows rows, SessionStore store, Path file) throws Exception {
            Written before = ajMadeSession(file);
            store.jpa().inTransaction(em -> {
                Conversation c = loaded(em);
                add(c, rows.added());
                // what a repository's save does with an entity that has an id
                return em.merge(c);
            });
            assertOrderAndAjContinues(file, before.plus(rows));
        }

        @ParameterizedTest
        @EnumSource(Rows.class)
        void mergingNewRowsOfADetachedConversationOneByOne(Rows rows, SessionStore store, Path file)
                throws Exception {
            Written before = ajMadeSession(file);
            Conversation detached = store.jpa().withEntityManager(WritePaths::loaded);
            List<Object> added = rows.added();
            added.forEach(row -> link(row, detached));
            store.jpa().inTransaction(em -> {
                added.forEach(em::merge);
                return null;
            });
            assertOrderAndAjContinues(file, before.plus(rows));
        }

        // -----------------------------------------------------------------------------------------
        // test data

        /** What the session holds, in id order: messages as "role:content", snapshots by model. */
        record Written(List<String> messages, List<String> models) {

            static Written ourPreamble() {
                return new Written(List.of("system:You are terse.", "user:brain", "assistant:Ok"), List.of());
            }

            /** These rows followed by the ones {@code rows} adds. */
            Written plus(Rows rows) {
                List<String> m = new ArrayList<>(messages);
                m.addAll(List.of("user:q1", "assistant:a1", "user:q2", "assistant:a2"));
                List<String> s = new ArrayList<>(models);
                if (rows == Rows.MIXED) {
                    s.addAll(List.of("llama", "model-1", "model-2"));
                }
                return new Written(m, s);
            }
        }

        /** A session made by aj: found or created, then aj's preamble; no snapshot yet. */
        static Written ajMadeSession(Path file) throws SQLException {
            AjClient aj = new AjClient(file);
            aj.writePreamble(aj.findOrCreateSession(SESSION), "You are aj.");
            return read(file);
        }

        static Conversation loaded(EntityManager em) {
            return em.createQuery("select c from Conversation c where c.sessionName = :n", Conversation.class)
                    .setParameter("n", SESSION).getSingleResult();
        }

        static boolean isLoaded(EntityManager em, Conversation c, String collection) {
            return em.getEntityManagerFactory().getPersistenceUnitUtil().isLoaded(c, collection);
        }

        static void addPreamble(Conversation c) {
            c.addMessage(new Message(Role.SYSTEM, "You are terse."));
            c.addMessage(Rows.user("brain"));
            c.addMessage(Rows.assistant("Ok"));
        }

        /** Adds each row with {@link Conversation#addMessage} or {@link Conversation#addConfig}, in order. */
        static void add(Conversation c, List<Object> rows) {
            for (Object row : rows) {
                if (row instanceof Message m) {
                    c.addMessage(m);
                } else {
                    c.addConfig((AwfulConfig) row);
                }
            }
        }

        /** Sets only the owning side. */
        static void link(Object row, Conversation c) {
            if (row instanceof Message m) {
                m.setConversation(c);
            } else {
                ((AwfulConfig) row).setConversation(c);
            }
        }

        // -----------------------------------------------------------------------------------------
        // reading back

        /**
         * The rows read back in id order with plain SQL are {@code expected}; aj then continues the
         * session: it reads the rows in its own order (no ORDER BY) as {@code expected}, appends its turn
         * after them, and records a snapshot only if there was none (else the first one is its config).
         */
        static void assertOrderAndAjContinues(Path file, Written expected) throws SQLException {
            assertThat(read(file)).isEqualTo(expected);

            List<AjClient.Row> ajRows = new AjClient(file).turn(SESSION, "aj question", "aj answer");

            List<String> ajOrder = ajRows.stream().map(r -> r.role() + ":" + r.content()).toList();
            List<String> continued = new ArrayList<>(expected.messages());
            continued.addAll(List.of("user:aj question", "assistant:aj answer"));
            assertThat(ajOrder).containsExactlyElementsOf(continued);
            assertThat(ajRows).extracting(AjClient.Row::id).isSorted().doesNotHaveDuplicates();
            // with snapshots, the first is aj's config and aj appends none; without, aj records its own
            assertThat(read(file).models()).containsExactlyElementsOf(
                    expected.models().isEmpty() ? List.of("llama") : expected.models());
        }

        static Written read(Path file) throws SQLException {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
                return new Written(column(c, "SELECT m.role || ':' || m.content FROM messages m JOIN conversations c"
                        + " ON c.id = m.conversation_id WHERE c.session_name = ? ORDER BY m.id"),
                        column(c, "SELECT a.model FROM awful_configs a JOIN conversations c"
                                + " ON c.id = a.conversation_id WHERE c.session_name = ? ORDER BY a.id"));
            }
        }

        static long sessionId(Path file) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                 PreparedStatement ps = c.prepareStatement("SELECT id FROM conversations WHERE session_name = ?")) {
                ps.setString(1, SESSION);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    return rs.getLong(1);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        private static List<String> column(Connection c, String sql) throws SQLException {
            List<String> values = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, SESSION);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        values.add(rs.getString(1));
                    }
                }
            }
            return values;
        }
    }
}
