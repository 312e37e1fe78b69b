package io.github.ajsessions.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ajsessions.core.AjSessionsException;
import io.github.ajsessions.core.InvalidDataException;
import io.github.ajsessions.core.MissingPreambleException;
import io.github.ajsessions.core.ReadOnlyStoreException;
import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.core.SearchIndexMissingException;
import io.github.ajsessions.core.SessionExistsException;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.internal.errors.SqliteErrors;
import io.github.ajsessions.model.MessageRecord;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.model.SessionSummary;
import io.github.ajsessions.testkit.AjSessionsExtension;
import io.github.ajsessions.testkit.AjVariant;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Each refusal is its own {@link AjSessionsException} subtype with a message naming the thing and the file. */
@ExtendWith(AjSessionsExtension.class)
class TypedRefusalsTest {

    @Test
    void renamingOntoAnExistingNameIsASessionExistsException(SessionStore store, Path file) {
        store.findOrCreateSession("a");
        store.findOrCreateSession("b");
        assertThatThrownBy(() -> store.renameSession("b", "a"))
                .isInstanceOfSatisfying(SessionExistsException.class, e -> {
                    assertThat(e.names()).containsExactly("a");
                    assertThat(e.database()).isEqualTo(file);
                })
                .hasMessage("session(s) 'a' exist already in " + file + "; cannot rename session 'b' to 'a'");
        assertThat(store.listSessions()).extracting(SessionSummary::name).containsExactly("a", "b");
    }

    @Test
    void aWriteOnAReadOnlyStoreIsAReadOnlyStoreException(@TempDir Path dir) {
        Path file = dir.resolve("aj.db");
        try (SessionStore store = SessionStore.open(file)) {
            store.findOrCreateSession("s", Preamble.defaults());
        }
        try (SessionStore store = SessionStore.open(StoreConfig.builder().database(file)
                .schemaMode(StoreConfig.SchemaMode.READ_ONLY).build())) {
            for (Runnable write : List.<Runnable>of(() -> store.appendTurn("s", "q", "a"),
                    () -> store.deleteSession("s"), () -> store.bulk().importMessages("s", List.of()),
                    () -> store.jpa().inTransaction(em -> null))) {
                assertThatThrownBy(write::run).isInstanceOf(ReadOnlyStoreException.class)
                        .hasMessage("the store on " + file + " was opened read-only");
            }
            assertThatThrownBy(() -> store.search().search("x", 5, null))
                    .isInstanceOf(SearchIndexMissingException.class)
                    .hasMessage("no search index in " + file + " yet: search once with a store that may write");
        }
    }

    @Test
    void aSessionWithoutThePreambleIsAMissingPreambleException(SessionStore store, Path file) {
        store.findOrCreateSession("bare");
        assertThatThrownBy(() -> store.appendTurn("bare", "q", "a"))
                .isInstanceOfSatisfying(MissingPreambleException.class,
                        e -> assertThat(e.sessionName()).isEqualTo("bare"))
                .hasMessageStartingWith("session 'bare' in " + file + " has fewer than the 3 preamble rows");
        assertThatThrownBy(() -> store.bulk().importMessages("bare", List.of(MessageRecord.of(Role.USER, "u"))))
                .isInstanceOf(MissingPreambleException.class)
                .hasMessageContaining("session 'bare' in " + file + " has 0 rows and the import starts [user]");
        assertThat(store.history("bare")).isEmpty();
    }

    @Test
    @AjVariant(SchemaVariant.AJ_INIT)
    void everyReadOfARowWithAnUnknownRoleNamesIt(SessionStore store, Path file) throws Exception {
        store.findOrCreateSession("s", Preamble.defaults());
        long bad;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute("INSERT INTO messages (role, content, dynamic, conversation_id) VALUES ('tool', 'x', 0, 1)");
            bad = st.executeQuery("SELECT last_insert_rowid()").getLong(1);
        }
        String named = "message " + bad + " in " + file + " has role 'tool'; aj accepts only system, user, assistant";
        assertThatThrownBy(() -> store.inspection().tail(5, 60)).isInstanceOf(InvalidDataException.class)
                .hasMessageStartingWith(named);
        assertThatThrownBy(() -> store.search().search("x", 5, null)).isInstanceOf(InvalidDataException.class)
                .hasMessageStartingWith(named);
        assertThatThrownBy(() -> store.transfer().exportJson(List.of(), false, new ByteArrayOutputStream(), null))
                .isInstanceOf(InvalidDataException.class).hasMessageStartingWith(named);
        assertThatThrownBy(() -> store.history("s")).isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("session 's' in " + file + ": message " + bad + " has role 'tool'");
        // the checks still list it, as text
        assertThat(store.inspection().ajHazards(5)).extracting(StoreInspection.AjHazard::id).containsExactly(bad);
    }

    @Test
    void theOneTranslationNeverReturnsNull(@TempDir Path dir) {
        Path file = dir.resolve("aj.db");
        SQLException unknown = new SQLException("something SQLite did not say", "HY000", 999);
        assertThat(SqliteErrors.translate(unknown, file, Duration.ZERO, "could not do it on " + file))
                .isExactlyInstanceOf(AjSessionsException.class)
                .hasMessage("could not do it on " + file + ": something SQLite did not say")
                .hasCause(unknown);
        assertThat(SqliteErrors.translate(unknown, file, Duration.ZERO, null))
                .hasMessage("SQLite error on " + file + ": something SQLite did not say");
        UnsupportedOperationException other = new UnsupportedOperationException("no");
        assertThat(SqliteErrors.translate(other, file, Duration.ZERO, null)).isSameAs(other);
        IllegalArgumentException bad = new IllegalArgumentException("bad");
        assertThat(SqliteErrors.translate(bad, file, Duration.ZERO, null)).isSameAs(bad);
    }
}
