package io.github.ajsessions.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ajsessions.api.ConfigSnapshot;
import io.github.ajsessions.api.Preamble;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.MissingPreambleException;
import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.core.SessionExistsException;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.model.Conversation;
import io.github.ajsessions.model.Message;
import io.github.ajsessions.model.MessageRecord;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.model.SessionRecord;
import io.github.ajsessions.model.SessionSummary;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The session API and JPA on a real PostgreSQL server, through the module's PostgreSQL migrations. */
class PostgresSessionStoreTest {

    @RegisterExtension
    final PgTestServer.SchemaPerTest schema = new PgTestServer.SchemaPerTest();

    private SessionStore open() {
        return SessionStore.open(StoreConfig.builder().database(schema.urlWithCredentials()).build());
    }

    @Test
    void openMigratesOnceIntoTheModulesOwnHistoryTable() throws Exception {
        try (SessionStore store = open()) {
            assertThat(store.info().variant()).isEqualTo(SchemaVariant.AJ_SESSIONS);
            assertThat(store.info().schemaVersion()).isEqualTo(1);
            assertThat(store.info().appliedMigrations()).containsExactly("1 aj schema");
            assertThat(store.file().toString()).startsWith("postgresql@").endsWith("/aj_sessions_test");
        }
        try (SessionStore again = open()) {
            assertThat(again.info().appliedMigrations()).isEmpty();
        }
        try (Connection c = schema.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version, success FROM aj_sessions_schema_history ORDER BY installed_rank")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("1");
            assertThat(rs.getBoolean(2)).isTrue();
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void theSessionApiKeepsItsSemantics() throws Exception {
        try (SessionStore store = open()) {
            SessionRecord s = store.findOrCreateSession("research", Preamble.defaults());
            assertThat(store.findOrCreateSession("research", Preamble.defaults()).id()).isEqualTo(s.id());
            List<MessageRecord> turn = store.appendTurn("research", "What is WAL?", "Write-ahead logging");
            assertThat(turn).extracting(MessageRecord::role).containsExactly(Role.USER, Role.ASSISTANT);
            assertThat(turn.get(1).id()).isEqualTo(turn.get(0).id() + 1);
            store.appendMessage("research", Role.USER, "and ünïcode ✓");

            List<MessageRecord> history = store.history("research");
            assertThat(history).extracting(MessageRecord::role).containsExactly(Role.SYSTEM, Role.USER,
                    Role.ASSISTANT, Role.USER, Role.ASSISTANT, Role.USER);
            assertThat(history).extracting(MessageRecord::content).endsWith("What is WAL?", "Write-ahead logging",
                    "and ünïcode ✓");
            assertThat(history).extracting(MessageRecord::dynamic).containsOnly(false);
            assertThat(store.lastMessages("research", 2)).extracting(MessageRecord::content)
                    .containsExactly("Write-ahead logging", "and ünïcode ✓");
            try (var stream = store.streamHistory("research")) {
                assertThat(stream.map(MessageRecord::id).toList()).isEqualTo(history.stream().map(MessageRecord::id).toList());
            }

            store.findOrCreateSession("empty");
            assertThatThrownBy(() -> store.appendTurn("empty", "q", "a")).isInstanceOf(MissingPreambleException.class)
                    .hasMessageContaining("session 'empty' in postgresql@");

            ConfigSnapshot config = new ConfigSnapshot("http://localhost:11434/v1", "sk-x", "llama3", 8192, 1024,
                    List.of("<|eot_id|>", "stop"));
            assertThat(store.recordConfigSnapshot("research", config)).isTrue();
            assertThat(store.recordConfigSnapshot("research", config)).isFalse();
            assertThat(store.configSnapshots("research")).singleElement()
                    .satisfies(sn -> assertThat(sn.stopWords()).containsExactly("<|eot_id|>", "stop"));

            assertThat(store.listSessions()).extracting(SessionSummary::name, SessionSummary::messageCount,
                    SessionSummary::latestModel).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("research", 6L, "llama3"),
                    org.assertj.core.groups.Tuple.tuple("empty", 0L, null));

            assertThatThrownBy(() -> store.renameSession("research", "empty"))
                    .isInstanceOf(SessionExistsException.class);
            store.renameSession("research", "renamed");
            assertThat(store.findSession("renamed")).map(SessionRecord::id).contains(s.id());
            assertThat(store.deleteSession("renamed")).isTrue();
            assertThat(store.findSession("renamed")).isEmpty();
        }
        try (Connection c = schema.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM messages), (SELECT count(*) FROM awful_configs)")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
            assertThat(rs.getLong(2)).isZero();
        }
    }

    @Test
    void bulkImportWritesEveryRowInOrder() {
        try (SessionStore store = open()) {
            List<MessageRecord> rows = new ArrayList<>();
            rows.add(new MessageRecord(0, null, Role.SYSTEM, "sys", false));
            rows.add(new MessageRecord(0, null, Role.USER, "brain", false));
            rows.add(new MessageRecord(0, null, Role.ASSISTANT, "Ok", false));
            for (int i = 0; i < 2_500; i++) {
                rows.add(new MessageRecord(0, null, i % 2 == 0 ? Role.USER : Role.ASSISTANT, "m" + i, false));
            }
            assertThat(store.bulk().importMessages("bulk", rows)).isEqualTo(2_503);
            List<MessageRecord> back = store.history("bulk");
            assertThat(back).hasSize(2_503);
            assertThat(back.get(2_502).content()).isEqualTo("m2499");
        }
    }

    @Test
    void manyInstancesAppendingToOneSessionLoseAndDuplicateNothing() throws Exception {
        int instances = 3;
        int turnsEach = 40;
        List<SessionStore> stores = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(instances * 2);
        try {
            for (int i = 0; i < instances; i++) {
                stores.add(open());
            }
            stores.get(0).findOrCreateSession("shared", Preamble.defaults());
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < instances * 2; i++) {
                SessionStore store = stores.get(i % instances);
                int writer = i;
                done.add(pool.submit(() -> {
                    for (int t = 0; t < turnsEach; t++) {
                        store.appendTurn("shared", "q " + writer + "/" + t, "a " + writer + "/" + t);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            List<MessageRecord> history = stores.get(1).history("shared");
            assertThat(history).hasSize(3 + instances * 2 * turnsEach * 2);
            Set<String> contents = new HashSet<>(history.stream().map(MessageRecord::content).toList());
            assertThat(contents).hasSize(history.size());
            for (int i = 3; i < history.size(); i += 2) {
                assertThat(history.get(i).content()).startsWith("q ");
                assertThat(history.get(i + 1).content()).isEqualTo("a " + history.get(i).content().substring(2));
            }
        } finally {
            pool.shutdownNow();
            stores.forEach(SessionStore::close);
        }
    }

    @Test
    void findOrCreateFromManyInstancesMakesOneSession() throws Exception {
        List<SessionStore> stores = IntStream.range(0, 4).mapToObj(i -> open()).collect(Collectors.toList());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<SessionRecord>> found = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                SessionStore store = stores.get(i % stores.size());
                found.add(pool.submit(() -> store.findOrCreateSession("race", Preamble.defaults())));
            }
            Set<Long> ids = new HashSet<>();
            for (Future<SessionRecord> f : found) {
                ids.add(f.get().id());
            }
            assertThat(ids).hasSize(1);
            assertThat(stores.get(0).history("race")).hasSize(3);
            assertThat(stores.get(0).listSessions()).hasSize(1);
        } finally {
            pool.shutdownNow();
            stores.forEach(SessionStore::close);
        }
    }

    @Test
    void thePersistenceUnitRunsOnAPostgresUrl() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("jakarta.persistence.jdbc.url", schema.urlWithCredentials());
        assertThatThrownBy(() -> Persistence.createEntityManagerFactory("aj-sessions", settings).close())
                .hasStackTraceContaining("needs hibernate.dialect = org.hibernate.dialect.PostgreSQLDialect");
        settings.put("hibernate.dialect", "org.hibernate.dialect.PostgreSQLDialect");
        EntityManagerFactory emf = Persistence.createEntityManagerFactory("aj-sessions", settings);
        try {
            EntityManager em = emf.createEntityManager();
            em.getTransaction().begin();
            Conversation c = new Conversation("unit");
            c.addMessage(new Message(Role.USER, "from the persistence unit"));
            em.persist(c);
            em.getTransaction().commit();
            em.close();
        } finally {
            emf.close();
        }
        try (SessionStore store = open()) {
            assertThat(store.history("unit")).extracting(MessageRecord::content).containsExactly("from the persistence unit");
        }
    }

    @Test
    void jpaValidatesAndPersistsInOrderOnPostgres() {
        try (SessionStore store = SessionStore.open(StoreConfig.builder().database(schema.urlWithCredentials())
                .entityManagerFactoryAtOpen(true).build())) {
            Long id = store.jpa().inTransaction(em -> {
                Conversation c = new Conversation("jpa");
                for (int i = 0; i < 5; i++) {
                    c.addMessage(new Message(i % 2 == 0 ? Role.USER : Role.ASSISTANT, "jpa " + i));
                }
                em.persist(c);
                return c.getId();
            });
            assertThat(store.findSession("jpa")).map(SessionRecord::id).contains(id);
            List<MessageRecord> rows = store.history("jpa");
            assertThat(rows).extracting(MessageRecord::content).containsExactly("jpa 0", "jpa 1", "jpa 2", "jpa 3", "jpa 4");
            // the API's next insert follows the JPA rows (one sequence for both)
            store.jpa().inTransaction(em -> {
                em.persist(new Message(Role.USER, "after"));
                return null;
            });
            SessionRecord other = store.findOrCreateSession("api", Preamble.defaults());
            assertThat(store.history("api").get(0).id()).isGreaterThan(rows.get(4).id() + 1);
            assertThat(other.id()).isGreaterThan(id);
        }
    }
}
