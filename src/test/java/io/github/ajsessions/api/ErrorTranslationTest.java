package io.github.ajsessions.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.github.ajsessions.AjClient;
import io.github.ajsessions.core.ConstraintException;
import io.github.ajsessions.core.DatabaseFileException.Problem;
import io.github.ajsessions.core.DatabaseFileException;
import io.github.ajsessions.core.DatabaseLockedException;
import io.github.ajsessions.core.InvalidDataException;
import io.github.ajsessions.core.ReadOnlyStoreException;
import io.github.ajsessions.core.SchemaException;
import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.core.SessionExistsException;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.internal.errors.SqliteErrors;
import io.github.ajsessions.model.Conversation;
import io.github.ajsessions.model.Message;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.model.SessionSummary;
import io.github.ajsessions.testkit.AjDatabases;
import jakarta.persistence.EntityManager;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/** Every condition the module translates, each with the message a user sees. */
class ErrorTranslationTest {

    @TempDir
    Path dir;

    private Path ajInit() {
        return AjDatabases.create(dir.resolve("aj.db"), SchemaVariant.AJ_INIT);
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    @Test
    void foreignKeyViolationIsAConstraintExceptionOfKindForeignKey() throws Exception {
        Path file = ajInit();
        try (SessionStore store = SessionStore.open(file)) {
            assertThatThrownBy(() -> store.jpa().inTransaction(em -> {
                Message orphan = new Message(Role.USER, "orphan");
                orphan.setConversation(em.getReference(Conversation.class, 999L));
                em.persist(orphan);
                return null;
            })).isInstanceOfSatisfying(ConstraintException.class, e -> {
                assertThat(e.kind()).isEqualTo(ConstraintException.Kind.FOREIGN_KEY);
                assertThat(e.constraint()).isEqualTo("FOREIGN KEY");
                assertThat(e.database()).isEqualTo(file);
            }).hasMessage("foreign key constraint failed: FOREIGN KEY in " + file);
            assertThat(store.listSessions()).isEmpty();
            // the failed transaction left no lock behind: aj, with no busy timeout, writes at once
            assertThat(new AjClient(file).findOrCreateSession("after-failure")).isPositive();
        }
    }

    @Test
    void renamingToAnExistingNameThroughJpaIsAUniqueConstraintException() {
        Path file = ajInit();
        try (SessionStore store = SessionStore.open(file)) {
            store.findOrCreateSession("a");
            long b = store.findOrCreateSession("b").id();
            assertThatThrownBy(() -> store.jpa().inTransaction(em -> {
                em.find(Conversation.class, b).setSessionName("a");
                return null;
            })).isInstanceOfSatisfying(ConstraintException.class, e -> {
                assertThat(e.kind()).isEqualTo(ConstraintException.Kind.UNIQUE);
                assertThat(e.constraint()).isEqualTo("conversations.session_name");
            }).hasMessage("unique constraint failed: conversations.session_name in " + file);
            // the session API checks first and names both sessions
            assertThatThrownBy(() -> store.renameSession("b", "a")).isInstanceOf(SessionExistsException.class)
                    .hasMessageContaining("'b' to 'a'");
            assertThat(store.listSessions()).extracting(SessionSummary::name).containsExactly("a", "b");
        }
    }

    @Test
    void aNullInANotNullColumnIsAConstraintExceptionOfKindNotNull() {
        Path file = ajInit();
        try (SessionStore store = SessionStore.open(file)) {
            store.findOrCreateSession("s");
            assertThatThrownBy(() -> store.jpa().inTransaction(em -> em.createNativeQuery(
                    "INSERT INTO messages (role, content, dynamic, conversation_id) VALUES ('user', NULL, 0, 1)")
                    .executeUpdate()))
                    .isInstanceOfSatisfying(ConstraintException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ConstraintException.Kind.NOT_NULL);
                        assertThat(e.constraint()).isEqualTo("messages.content");
                    });
        }
    }

    @Test
    void anotherProcessHoldingTheWriteLockIsDatabaseLockedNamingFileAndTimeout() throws Exception {
        Path file = ajInit();
        try (SessionStore store = SessionStore.open(StoreConfig.builder().database(file)
                .busyTimeout(Duration.ofMillis(150)).build())) {
            store.findOrCreateSession("s", Preamble.defaults());
            try (Connection other = new AjClient(file).connect(); Statement st = other.createStatement()) {
                st.execute("BEGIN IMMEDIATE");
                st.execute("INSERT INTO conversations (session_name) VALUES ('other')");
                // reads still work while another process writes (rollback journal, RESERVED lock)
                assertThat(store.history("s")).hasSize(3);
                assertThatThrownBy(() -> store.appendTurn("s", "q", "a"))
                        .isInstanceOfSatisfying(DatabaseLockedException.class,
                                e -> assertThat(e.busyTimeout()).isEqualTo(Duration.ofMillis(150)))
                        .hasMessage("database " + file + " is locked by another process (waited the busy timeout of"
                                + " 150 ms); retry when the other writer is done, or raise busyTimeout");
                st.execute("ROLLBACK");
            }
            // nothing of the failed call was written, no lock stayed behind, and the store works again
            assertThat(store.history("s")).hasSize(3);
            new AjClient(file).insertMessage((int) store.findSession("s").orElseThrow().id(), "user", "aj");
            store.appendTurn("s", "q", "a");
            assertThat(store.history("s")).hasSize(6);
        }
    }

    @Test
    @Timeout(60) // the busy timeout is two minutes: the refusal must not wait for it
    void aWriteCallInsideTheThreadsOwnJpaTransactionIsRefusedAtOnceSayingWhy() throws Exception {
        Path file = ajInit();
        try (SessionStore store = SessionStore.open(StoreConfig.builder().database(file)
                .busyTimeout(Duration.ofMinutes(2)).build())) {
            store.findOrCreateSession("s", Preamble.defaults());
            assertThatThrownBy(() -> store.jpa().inTransaction(em -> {
                em.createNativeQuery("INSERT INTO conversations (session_name) VALUES ('outer')").executeUpdate();
                return store.appendTurn("s", "q", "a"); // its own transaction, on another connection
            })).isInstanceOfSatisfying(DatabaseLockedException.class,
                    e -> assertThat(e.busyTimeout()).isEqualTo(Duration.ofMinutes(2)))
                    .hasMessage("database " + file + ": this thread already has a write transaction open on it (a"
                            + " @Transactional method, a JPA transaction), so a write call that begins a transaction"
                            + " of its own would wait for that one until the busy timeout; make the call before or"
                            + " after that transaction, or write through it (the entities, or Spring's JdbcTemplate)");
            // the outer transaction was rolled back with it; the same call outside it works
            assertThat(store.findSession("outer")).isEmpty();
            assertThat(store.history("s")).hasSize(3);
            store.appendTurn("s", "q", "a");
            assertThat(store.history("s")).hasSize(5);
        }
    }

    @Test
    void aLockHeldByAnotherProcessDuringAdoptionIsDatabaseLockedNotAMigrationFailure() throws Exception {
        Path file = ajInit();
        StoreConfig config = StoreConfig.builder().database(file).busyTimeout(Duration.ofMillis(100)).build();
        try (Connection aj = new AjClient(file).connect(); Statement st = aj.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            assertThatThrownBy(() -> SessionStore.open(config)).isInstanceOf(DatabaseLockedException.class)
                    .hasMessageContaining("database " + file + " is locked by another process")
                    .hasMessageContaining("100 ms");
            st.execute("ROLLBACK");
        }
        SessionStore.open(config).close();
        // switching an up-to-date file to WAL needs it to itself
        try (Connection aj = new AjClient(file).connect(); Statement st = aj.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            assertThatThrownBy(() -> SessionStore.open(config.toBuilder()
                    .journalMode(StoreConfig.JournalMode.WAL).build()))
                    .isInstanceOf(DatabaseLockedException.class).hasMessageContaining(file.toString());
            st.execute("ROLLBACK");
        }
        try (Connection c = new AjClient(file).connect(); Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("delete");
        }
    }

    @Test
    void aDamagedSchemaPageIsReportedAsCorrupt() throws Exception {
        Path file = ajInit();
        SessionStore.open(file).close();
        byte[] bytes = Files.readAllBytes(file);
        // keep the 100-byte header, scribble over the rest of page 1 (sqlite_master's b-tree)
        for (int i = 100; i < 4096 && i < bytes.length; i++) {
            bytes[i] = (byte) 0x5A;
        }
        Files.write(file, bytes);
        assertThatThrownBy(() -> SessionStore.open(file)).isInstanceOfSatisfying(DatabaseFileException.class,
                e -> assertThat(e.problem()).isEqualTo(Problem.CORRUPT))
                .hasMessageContaining("database " + file + " is corrupt or truncated");
    }

    @Test
    void aFileOfGarbageIsNotADatabase() throws Exception {
        Path file = dir.resolve("aj.db");
        Files.writeString(file, "this is my shopping list, not a database\n".repeat(200));
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> SessionStore.open(file))
                .isInstanceOfSatisfying(DatabaseFileException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.NOT_A_DATABASE))
                .hasMessageContaining("file " + file + " is not a SQLite database");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        // and SQLite's own NOTADB, when the header check is passed by, is translated alike
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = c.createStatement()) {
            SQLException notadb = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                    () -> st.executeQuery("SELECT * FROM sqlite_master"));
            assertThat(SqliteErrors.translate(notadb, file, Duration.ZERO, null))
                    .isInstanceOfSatisfying(DatabaseFileException.class,
                            e -> assertThat(e.problem()).isEqualTo(Problem.NOT_A_DATABASE));
        }
    }

    @Test
    void aRefusedFileIsReportedByTheExceptionAloneNotByAnErrorLogOfThePool() throws Exception {
        Path garbage = dir.resolve("garbage.db");
        Files.writeString(garbage, "this is my shopping list, not a database\n".repeat(200));
        Path locked = ajInit();
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        try (Connection aj = new AjClient(locked).connect(); Statement st = aj.createStatement()) {
            System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
            assertThatThrownBy(() -> SessionStore.open(garbage)).isInstanceOf(DatabaseFileException.class);
            st.execute("BEGIN EXCLUSIVE"); // not even readable
            assertThatThrownBy(() -> SessionStore.open(StoreConfig.builder().database(locked)
                    .busyTimeout(Duration.ofMillis(50)).build())).isInstanceOf(DatabaseLockedException.class);
            st.execute("ROLLBACK");
        } finally {
            System.setErr(original);
        }
        // HikariCP used to log "ERROR ... Failed to execute isValid() for connection, configure connection test
        // query" for both, next to the exception that names the real reason
        assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("ERROR").doesNotContain("isValid");
    }

    @Test
    void aTruncatedFileIsReportedAsCorrupt() throws Exception {
        Path file = dir.resolve("aj.db");
        try (SessionStore store = SessionStore.open(file)) {
            store.findOrCreateSession("big", Preamble.defaults());
            String text = "x".repeat(3000);
            for (int i = 0; i < 40; i++) {
                store.appendTurn("big", text + i, text);
            }
        }
        long size = Files.size(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size / 3);
        }
        assertThatThrownBy(() -> {
            try (SessionStore store = SessionStore.open(file)) {
                store.history("big");
            }
        }).isInstanceOfSatisfying(DatabaseFileException.class,
                e -> assertThat(e.problem()).isEqualTo(Problem.CORRUPT))
                .hasMessageContaining("database " + file + " is corrupt or truncated");
    }

    @Test
    void aMissingFolderIsNamed() {
        Path file = dir.resolve("no-such-folder").resolve("aj.db");
        assertThatThrownBy(() -> SessionStore.open(file))
                .isInstanceOfSatisfying(DatabaseFileException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.NOT_FOUND))
                .hasMessageStartingWith("folder " + file.getParent() + " of database " + file + " does not exist");
        assertThat(Files.exists(file.getParent())).isFalse();
    }

    @Test
    void aPathThatIsAFolderIsNamed() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("aj.db"));
        assertThatThrownBy(() -> SessionStore.open(folder))
                .isInstanceOfSatisfying(DatabaseFileException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.IS_A_DIRECTORY))
                .hasMessage("database path " + folder + " is a folder, not a file");
    }

    @Test
    void aMissingFileInValidateModeIsNotCreated() {
        Path file = dir.resolve("aj.db");
        assertThatThrownBy(() -> SessionStore.open(StoreConfig.builder().database(file)
                .schemaMode(StoreConfig.SchemaMode.VALIDATE).build()))
                .isInstanceOfSatisfying(DatabaseFileException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.NOT_FOUND))
                .hasMessageContaining(file + " does not exist");
        assertThat(Files.exists(file)).isFalse();
    }

    @Test
    void aReadOnlyStoreRefusesWritesAndSqliteReadOnlyIsTranslated() throws Exception {
        Path file = ajInit();
        try (SessionStore store = SessionStore.open(file)) {
            store.findOrCreateSession("s", Preamble.defaults());
        }
        byte[] before = Files.readAllBytes(file);
        try (SessionStore store = SessionStore.open(StoreConfig.builder().database(file)
                .schemaMode(StoreConfig.SchemaMode.READ_ONLY).build())) {
            assertThat(store.history("s")).hasSize(3);
            assertThatThrownBy(() -> store.appendTurn("s", "q", "a")).isInstanceOf(ReadOnlyStoreException.class)
                    .hasMessage("the store on " + file + " was opened read-only");
            // the JPA door is shut too: SQLite itself refuses (the connection was opened read-only)
            EntityManager em = store.jpa().entityManagerFactory().createEntityManager();
            try {
                assertThatThrownBy(() -> {
                    em.getTransaction().begin();
                    em.persist(new Conversation("sneaky"));
                    em.getTransaction().commit();
                }).satisfies(e -> assertThat(SqliteErrors.translate(e, file, Duration.ZERO, null))
                        .isInstanceOfSatisfying(DatabaseFileException.class,
                                d -> assertThat(d.problem()).isEqualTo(Problem.READ_ONLY)));
            } finally {
                if (em.getTransaction().isActive()) {
                    em.getTransaction().rollback();
                }
                em.close();
            }
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        // SQLite's read-only open, as for a file the process may not write
        SQLiteConfig readOnly = new SQLiteConfig();
        readOnly.setReadOnly(true);
        try (Connection c = readOnly.createConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                    () -> st.execute("INSERT INTO conversations (session_name) VALUES ('x')"));
            assertThat(SqliteErrors.translate(e, file, Duration.ZERO, null))
                    .isInstanceOfSatisfying(DatabaseFileException.class,
                            d -> assertThat(d.problem()).isEqualTo(Problem.READ_ONLY))
                    .hasMessageStartingWith("database " + file + " is read-only for this process");
        }
    }

    @Test
    void aFileWithoutWritePermissionIsReadOnly() throws Exception {
        assumeFalse(isRoot(), "root bypasses file permissions");
        Path file = ajInit();
        try (SessionStore store = SessionStore.open(file)) {
            store.findOrCreateSession("s", Preamble.defaults());
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        try (SessionStore store = SessionStore.open(file)) {
            assertThat(store.history("s")).hasSize(3);
            assertThatThrownBy(() -> store.appendTurn("s", "q", "a")).isInstanceOfSatisfying(
                    DatabaseFileException.class, e -> assertThat(e.problem()).isEqualTo(Problem.READ_ONLY));
        } finally {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    void aDroppedColumnIsASchemaExceptionListingTableAndColumn() throws Exception {
        Path file = ajInit();
        try (Connection c = new AjClient(file).connect(); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE messages DROP COLUMN dynamic");
        }
        assertUnknownAndUntouched(file, "messages.dynamic: missing (expected BOOLEAN NOT NULL DEFAULT true)");
    }

    @Test
    void anExtraColumnIsASchemaExceptionListingTableAndColumn() throws Exception {
        Path file = ajInit();
        try (Connection c = new AjClient(file).connect(); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE conversations ADD COLUMN created_at TEXT");
        }
        assertUnknownAndUntouched(file, "conversations.created_at: column not in aj's schema (TEXT)");
    }

    private static void assertUnknownAndUntouched(Path file, String difference) throws Exception {
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> SessionStore.open(file))
                .isInstanceOfSatisfying(SchemaException.class,
                        e -> assertThat(e.differences()).containsExactly(difference))
                .hasMessageContaining("is not one of aj's known variants")
                .hasMessageContaining("nothing was changed")
                .hasMessageContaining("  - " + difference);
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void aFileWithOtherTablesButNoneOfAjsIsRefused() throws Exception {
        Path file = dir.resolve("notes.db");
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
        }
        assertThatThrownBy(() -> SessionStore.open(file))
                .isInstanceOf(SchemaException.class)
                .hasMessageContaining("no aj tables (conversations, messages, awful_configs) in " + file)
                .hasMessageContaining("[notes]")
                .hasMessageContaining("aj uses");
    }

    @Test
    void aFileMigratedByANewerVersionIsRefused() throws Exception {
        Path file = dir.resolve("aj.db");
        SessionStore.open(file).close();
        try (Connection c = new AjClient(file).connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO aj_sessions_schema_history (installed_rank, version, description, type, script,"
                    + " checksum, installed_by, execution_time, success) VALUES (3, '3', 'future', 'SQL',"
                    + " 'V3__future.sql', 0, 'x', 0, 1)");
        }
        assertThatThrownBy(() -> SessionStore.open(file)).isInstanceOf(SchemaException.class)
                .hasMessage(file + " was migrated by a newer aj-sessions (schema version 3, this build knows up to 2);"
                        + " upgrade aj-sessions");
    }

    @Test
    void aFileWhoseAjTablesWereDroppedAfterMigrationIsRefusedClearly() throws Exception {
        Path file = dir.resolve("aj.db");
        SessionStore.open(file).close();
        try (Connection c = new AjClient(file).connect(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE messages");
            st.execute("DROP TABLE awful_configs");
            st.execute("DROP TABLE conversations");
        }
        assertThatThrownBy(() -> SessionStore.open(file)).isInstanceOf(SchemaException.class)
                .hasMessageStartingWith("aj's tables are gone from " + file + " although its history"
                        + " (aj_sessions_schema_history) says schema version 2");
    }

    @Test
    void anEmptyFileInValidateModeSaysWhereAjLooks() throws Exception {
        Path file = Files.createFile(dir.resolve("aj.db"));
        assertThatThrownBy(() -> SessionStore.open(StoreConfig.builder().database(file)
                .ajConfigFile(dir.resolve("config.yaml")).schemaMode(StoreConfig.SchemaMode.VALIDATE).build()))
                .isInstanceOf(SchemaException.class)
                .hasMessageContaining("no aj tables in " + file + " (an empty database)")
                .hasMessageContaining("aj uses")
                .hasMessageContaining("Run `aj init`");
        assertThat(Files.size(file)).isZero();
    }

    @Test
    void aRoleAjDoesNotKnowIsReportedWithTheMessageId() throws Exception {
        Path file = ajInit();
        AjClient aj = new AjClient(file);
        aj.turn("s", "q", "a");
        try (Connection c = aj.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO messages (role, content, dynamic, conversation_id) VALUES ('tool', 'x', 0, 1)");
            st.execute("INSERT INTO messages (role, content, dynamic, conversation_id) VALUES ('User', 'y', 0, 1)");
        }
        try (SessionStore store = SessionStore.open(file)) {
            for (Runnable read : List.<Runnable>of(() -> store.history("s"), () -> store.lastMessages("s", 3),
                    () -> store.streamHistory("s").count())) {
                assertThatThrownBy(read::run).isInstanceOfSatisfying(InvalidDataException.class,
                        e -> assertThat(e.database()).isEqualTo(file))
                        .hasMessageContaining("session 's'")
                        .hasMessageContaining("message 6 has role 'tool'")
                        .hasMessageContaining("message 7 has role 'User'")
                        .hasMessageContaining("aj accepts only system, user, assistant");
            }
        }
    }

    @Test
    void invalidInputIsRefusedWithTheValueAndLeavesTheFileUntouched() throws Exception {
        Path file = ajInit();
        try (SessionStore store = SessionStore.open(file)) {
            store.findOrCreateSession("s", Preamble.defaults());
        }
        byte[] before = Files.readAllBytes(file);
        FileTime modified = Files.getLastModifiedTime(file);
        try (SessionStore store = SessionStore.open(file)) {
            assertThatThrownBy(() -> store.appendMessage("s", null, "x")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("role must not be null (aj accepts system, user, assistant)");
            assertThatThrownBy(() -> store.appendMessage("s", Role.USER, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("content must not be null");
            assertThatThrownBy(() -> store.appendTurn("s", "ok \uD83D", "fine"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("user text has an unpaired surrogate U+D83D at index 3: it cannot be stored as UTF-8");
            assertThatThrownBy(() -> store.appendMessage("s", Role.USER, "\uDE00x"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+DE00 at index 0");
            assertThatThrownBy(() -> store.findOrCreateSession("bad\uD800name"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("session name has an unpaired surrogate U+D800 at index 3");
            assertThatThrownBy(() -> store.findOrCreateSession(null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("session name must not be null");
            assertThatThrownBy(() -> store.findOrCreateSession("")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("session name must not be empty");
            assertThat(store.history("s")).hasSize(3);
        }
        assertThat(Arrays.equals(Files.readAllBytes(file), before)).isTrue();
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(modified);
        assertThat(new String(before, StandardCharsets.ISO_8859_1)).doesNotContain("bad");
    }
}
