package io.github.ajsessions.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.ajsessions.api.Preamble;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.AjSessionsException;
import io.github.ajsessions.core.DatabaseFileException;
import io.github.ajsessions.core.DatabaseLockedException;
import io.github.ajsessions.core.InvalidDataException;
import io.github.ajsessions.core.SchemaException;
import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.model.Message;
import io.github.ajsessions.model.MessageRecord;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.testkit.AjDatabases;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Unusual but valid data is stored and read back intact; invalid input and invalid files get an error
 * naming the thing and the value, and leave the folder (the file and any side file) byte for byte as
 * it was. Error translation itself is unit-tested by the core; here each case runs end to end.
 */
class BadInputTest {

    private Path folder;
    private Path db;

    @BeforeEach
    void folder() throws Exception {
        folder = Files.createTempDirectory("aj-bad-input");
        db = folder.resolve("aj.db");
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (Files.exists(db)) {
            Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-------"));
        }
        Reliability.deleteTree(folder);
    }

    /** The folder's files and their SHA-256: equal before and after means nothing was written. */
    private TreeMap<String, String> snapshot() throws Exception {
        TreeMap<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(p)) {
                    out.put(p.getFileName().toString(), HexFormat.of().formatHex(
                            MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
                }
            }
        }
        return out;
    }

    private SessionStore open() {
        return SessionStore.open(StoreConfig.forFile(db));
    }

    /** Runs {@code failing}, which must throw; asserts the folder is unchanged; returns the error. */
    private Throwable leavesFolderAsItWas(Executable failing) throws Exception {
        TreeMap<String, String> before = snapshot();
        Throwable thrown = null;
        try {
            failing.execute();
        } catch (Throwable t) {
            thrown = t;
        }
        assertThat(thrown).as("expected an error").isNotNull();
        assertThat(snapshot()).as("files after: %s", thrown).isEqualTo(before);
        return thrown;
    }

    @Nested
    class ValidUnusualData {

        @ParameterizedTest
        @ValueSource(strings = {"it's \"quoted\"", "two\nlines", "100%", "a_b", "%", "_", "'; DROP TABLE messages;--",
                "Robert'); DELETE FROM conversations; --", "x\" OR \"1\"=\"1", "名前 🙂", "שלום", "e\u0301\u0301",
                " leading and trailing ", "\t", "NULL"})
        void sessionNamesAreStoredAsTheyAreAndMatchedExactly(String name) throws Exception {
            try (SessionStore store = open()) {
                store.findOrCreateSession("abc", Preamble.defaults()); // what a LIKE-style wildcard would match
                store.findOrCreateSession(name, Preamble.defaults());
                store.appendTurn(name, "q", "a");
                assertThat(store.findSession(name)).get().extracting(c -> c.name()).isEqualTo(name);
                assertThat(store.history(name)).hasSize(5);
                assertThat(store.history("abc")).hasSize(3);
                assertThat(store.findSession(name + "x")).isEmpty();
                assertThat(store.listSessions()).extracting(s -> s.name()).containsExactly("abc", name);
            }
            try (Connection c = Reliability.plain(db, 1000); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM messages")) {
                rs.next();
                assertThat(rs.getInt(1)).as("no statement was injected").isEqualTo(8);
            }
            try (Connection c = Reliability.plain(db, 1000);
                 PreparedStatement ps = c.prepareStatement("SELECT CAST(session_name AS BLOB) FROM conversations"
                         + " WHERE id = 2")) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getBytes(1)).as("stored as UTF-8").isEqualTo(name.getBytes(StandardCharsets.UTF_8));
                }
            }
        }

        @Test
        void contentOfEveryKindRoundTrips() throws Exception {
            String tenMegabytes = "0123456789abcdef".repeat(10 * 1024 * 1024 / 16);
            List<String> contents = List.of("", tenMegabytes, "😀👩‍👩‍👧‍👦🏳️‍🌈 𝄞", "مرحبا بالعالم", "עברית ‏RTL‏ mixed",
                    "e\u0301 a\u0308\u0304 Z\u0351\u0352\u0353", "\u0000 nul inside", "\r\n\t", "' \" ; -- /* */");
            try (SessionStore store = open()) {
                store.findOrCreateSession("s", Preamble.defaults());
                List<Long> ids = new ArrayList<>();
                for (String content : contents) {
                    ids.add(store.appendMessage("s", Role.USER, content).id());
                }
                List<MessageRecord> history = store.history("s");
                assertThat(history.subList(3, history.size())).extracting(MessageRecord::content)
                        .containsExactlyElementsOf(contents);
                assertThat(store.streamHistory("s").skip(3).map(MessageRecord::content)).containsExactlyElementsOf(contents);
                try (Connection c = Reliability.plain(db, 1000);
                     PreparedStatement ps = c.prepareStatement("SELECT CAST(content AS BLOB), typeof(content)"
                             + " FROM messages WHERE id = ?")) {
                    for (int i = 0; i < contents.size(); i++) {
                        ps.setLong(1, ids.get(i));
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            byte[] bytes = rs.getBytes(1);
                            assertThat(bytes == null ? new byte[0] : bytes).as("content %d as UTF-8", i)
                                    .isEqualTo(contents.get(i).getBytes(StandardCharsets.UTF_8));
                            assertThat(rs.getString(2)).as("aj reads TEXT").isEqualTo("text");
                        }
                    }
                }
            }
        }
    }

    @Nested
    class InvalidInput {

        @Test
        void nullsAndUnpairedSurrogatesAreRefusedNamingTheValueAndWriteNothing() throws Exception {
            try (SessionStore store = open()) {
                store.findOrCreateSession("s", Preamble.defaults());
            }
            try (SessionStore store = open()) {
                assertThat(leavesFolderAsItWas(() -> store.appendMessage("s", null, "x")))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("role");
                assertThat(leavesFolderAsItWas(() -> store.appendMessage("s", Role.USER, null)))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("content");
                assertThat(leavesFolderAsItWas(() -> store.appendTurn("s", "q", null)))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("assistant text");
                assertThat(leavesFolderAsItWas(() -> store.appendMessage("s", Role.USER, "ok \uD83D then")))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+D83D")
                        .hasMessageContaining("index 3");
                assertThat(leavesFolderAsItWas(() -> store.appendTurn("s", "\uDE00", "a")))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user text")
                        .hasMessageContaining("U+DE00");
                assertThat(leavesFolderAsItWas(() -> store.findOrCreateSession("bad\uD800name")))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("session name")
                        .hasMessageContaining("U+D800");
                assertThat(leavesFolderAsItWas(() -> store.findOrCreateSession(null)))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("session name");
                assertThat(leavesFolderAsItWas(() -> Role.fromDbValue("tool")))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'tool'");
                assertThat(leavesFolderAsItWas(() -> store.appendTurn("no such session", "q", "a")))
                        .isInstanceOf(AjSessionsException.class).hasMessageContaining("'no such session'");
            }
        }

        @Test
        void aRowWithARoleAjDoesNotKnowIsNamedWithItsIdAndLeftAlone() throws Exception {
            try (SessionStore store = open()) {
                store.findOrCreateSession("s", Preamble.defaults());
            }
            long badId;
            try (Connection c = Reliability.plain(db, 1000); Statement st = c.createStatement()) {
                st.execute("INSERT INTO messages (role, content, dynamic, conversation_id) VALUES ('tool', 'x', 0, 1)");
                try (ResultSet rs = st.executeQuery("SELECT last_insert_rowid()")) {
                    rs.next();
                    badId = rs.getLong(1);
                }
            }
            try (SessionStore store = open()) {
                Throwable e = leavesFolderAsItWas(() -> store.history("s"));
                assertThat(e).isInstanceOf(InvalidDataException.class)
                        .hasMessageContaining("message " + badId + " has role 'tool'").hasMessageContaining("'s'");
                assertThat(leavesFolderAsItWas(() -> store.streamHistory("s").count()))
                        .isInstanceOf(InvalidDataException.class).hasMessageContaining("'tool'");
            }
        }

        @Test
        void anIdPastTwoToTheThirtyOneIsWrittenWithAWarning() throws Exception {
            try (SessionStore store = open()) {
                store.findOrCreateSession("s", Preamble.defaults());
            }
            try (Connection c = Reliability.plain(db, 1000); Statement st = c.createStatement()) {
                st.execute("UPDATE sqlite_sequence SET seq = 2147483647 WHERE name = 'messages'");
            }
            PrintStream original = System.err;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            long id;
            try (SessionStore store = open()) {
                System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
                try {
                    id = store.appendMessage("s", Role.USER, "past 2^31").id();
                } finally {
                    System.setErr(original);
                }
            }
            assertThat(id).isEqualTo(2_147_483_648L);
            assertThat(captured.toString(StandardCharsets.UTF_8)).contains("WARN")
                    .contains("2147483648").contains("32-bit");
        }
    }

    @Nested
    class InvalidFiles {

        @Test
        void aFolder() throws Exception {
            Files.createDirectory(db);
            assertThat(leavesFolderAsItWas(this::openIt)).isInstanceOf(DatabaseFileException.class)
                    .hasMessageContaining(db.toString()).hasMessageContaining("folder");
        }

        @Test
        void aMissingFileInValidateModeAndAMissingFolder() throws Exception {
            assertThat(leavesFolderAsItWas(() -> SessionStore.open(StoreConfig.builder().database(db)
                    .schemaMode(StoreConfig.SchemaMode.VALIDATE).build())))
                    .isInstanceOf(DatabaseFileException.class).hasMessageContaining(db.toString())
                    .hasMessageContaining("does not exist");
            Path nested = folder.resolve("missing").resolve("aj.db");
            assertThat(leavesFolderAsItWas(() -> SessionStore.open(nested)))
                    .isInstanceOf(DatabaseFileException.class).hasMessageContaining(nested.toString());
            assertThat(folder.resolve("missing")).doesNotExist();
        }

        @Test
        void aPathWithNoParent() throws Exception {
            assertThat(leavesFolderAsItWas(() -> SessionStore.open(Path.of("/"))))
                    .isInstanceOf(DatabaseFileException.class).hasMessageContaining("/");
        }

        @Test
        void notSqlite() throws Exception {
            Files.writeString(db, "session_db_url: aj.db\napi_key: not a database\n");
            assertThat(leavesFolderAsItWas(this::openIt)).isInstanceOf(DatabaseFileException.class)
                    .hasMessageContaining(db.toString()).hasMessageContaining("not a SQLite database");
        }

        @Test
        void truncated() throws Exception {
            filled();
            byte[] bytes = Files.readAllBytes(db);
            Files.write(db, java.util.Arrays.copyOf(bytes, bytes.length / 2));
            assertThat(leavesFolderAsItWas(this::openAndRead)).isInstanceOf(DatabaseFileException.class)
                    .hasMessageContaining(db.toString());
        }

        @Test
        void corrupted() throws Exception {
            filled();
            byte[] bytes = Files.readAllBytes(db);
            for (int i = 4096; i < bytes.length; i += 7) { // every page after the first one
                bytes[i] = (byte) 0xA5;
            }
            Files.write(db, bytes);
            assertThat(leavesFolderAsItWas(this::openAndRead)).isInstanceOf(DatabaseFileException.class)
                    .hasMessageContaining(db.toString()).hasMessageContaining("corrupt");
        }

        @Test
        void readOnly() throws Exception {
            filled();
            Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("r--r--r--"));
            assumeThat(Files.isWritable(db)).as("running as root: a read-only mode does not stop writes").isFalse();
            try (SessionStore store = open()) {
                assertThat(leavesFolderAsItWas(() -> store.appendTurn("s", "q", "a")))
                        .isInstanceOf(DatabaseFileException.class).hasMessageContaining("read-only");
            } catch (DatabaseFileException refusedAtOpen) {
                assertThat(refusedAtOpen).hasMessageContaining(db.toString());
            }
        }

        @Test
        void anUnknownSchemaVariant() throws Exception {
            try (Connection c = Reliability.plain(db, 1000); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE conversations (id INTEGER PRIMARY KEY, session_name TEXT, owner TEXT)");
                st.execute("CREATE TABLE messages (id INTEGER PRIMARY KEY, body TEXT)");
            }
            assertThat(leavesFolderAsItWas(this::openIt)).isInstanceOf(SchemaException.class)
                    .hasMessageContaining(db.toString());
        }

        @Test
        void aNewerMigrationThanThisBuild() throws Exception {
            filled();
            try (Connection c = Reliability.plain(db, 1000); Statement st = c.createStatement()) {
                st.execute("INSERT INTO aj_sessions_schema_history (installed_rank, version, description, type, script,"
                        + " checksum, installed_by, execution_time, success) VALUES (99, '99', 'from the future', 'SQL',"
                        + " 'V99__from_the_future.sql', 0, 'test', 0, 1)");
            }
            assertThat(leavesFolderAsItWas(this::openIt)).isInstanceOf(SchemaException.class)
                    .hasMessageContaining(db.toString()).hasMessageContaining("99");
        }

        @Test
        void aFileLockedBeyondTheBusyTimeout() throws Exception {
            filled();
            TreeMap<String, String> before = snapshot();
            Throwable thrown;
            try (Connection other = Reliability.plain(db, 0); Statement st = other.createStatement()) {
                st.execute("BEGIN EXCLUSIVE"); // what another process holding a long write looks like
                try {
                    thrown = catching(() -> SessionStore.open(StoreConfig.builder().database(db)
                            .busyTimeout(Duration.ofMillis(300)).build()).close());
                } finally {
                    st.execute("ROLLBACK");
                }
            }
            assertThat(thrown).isInstanceOf(DatabaseLockedException.class).hasMessageContaining(db.toString())
                    .hasMessageContaining("300");
            assertThat(snapshot()).isEqualTo(before);
            // and once open, a write that meets the lock fails cleanly, writing nothing
            try (SessionStore store = SessionStore.open(StoreConfig.builder().database(db)
                    .busyTimeout(Duration.ofMillis(300)).build());
                 Connection other = Reliability.plain(db, 0); Statement st = other.createStatement()) {
                st.execute("BEGIN IMMEDIATE");
                try {
                    assertThat(catching(() -> store.appendTurn("s", "locked q", "locked a")))
                            .isInstanceOf(DatabaseLockedException.class).hasMessageContaining("300");
                } finally {
                    st.execute("ROLLBACK");
                }
                assertThat(store.history("s")).extracting(MessageRecord::content).doesNotContain("locked q");
            }
        }

        private Throwable catching(Executable e) {
            try {
                e.execute();
                return null;
            } catch (Throwable t) {
                return t;
            }
        }

        private void openIt() {
            open().close();
        }

        private void openAndRead() {
            try (SessionStore store = open()) {
                store.history("s");
                store.listSessions();
            }
        }

        private void filled() {
            try (SessionStore store = open()) {
                store.findOrCreateSession("s", Preamble.defaults());
                for (int i = 0; i < 300; i++) {
                    store.appendMessage("s", Role.USER, "row " + i + " " + "x".repeat(200));
                }
            }
        }
    }

    @Test
    void aKnownVariantIsNotTouchedInValidateMode() throws Exception {
        AjDatabases.create(db, SchemaVariant.AJ_INIT);
        assertThat(snapshot()).isNotEmpty();
        TreeMap<String, String> before = snapshot();
        try (SessionStore store = SessionStore.open(StoreConfig.builder().database(db)
                .schemaMode(StoreConfig.SchemaMode.VALIDATE).build())) {
            store.listSessions();
        }
        assertThat(snapshot()).isEqualTo(before);
    }
}
