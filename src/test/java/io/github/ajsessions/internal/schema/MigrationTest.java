package io.github.ajsessions.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ajsessions.AjClient;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.core.StoreConfig.JournalMode;
import io.github.ajsessions.core.StoreConfig.SchemaMode;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.testkit.AjDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The migrations, the adoption of aj's variants, the schema modes and the journal-mode policy. */
class MigrationTest {

    @TempDir
    Path dir;

    private static List<String> column(Path file, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    /** Table by table: columns with type, not-null, default, pk; UNIQUE indexes; foreign keys. */
    private static Map<String, List<String>> structure(Path file) throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String table : column(file, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")) {
            List<String> lines = new ArrayList<>();
            lines.addAll(column(file, "SELECT cid, name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('"
                    + table + "')"));
            for (String index : column(file, "SELECT name FROM pragma_index_list('" + table + "') WHERE \"unique\" = 1"
                    + " AND origin = 'u'")) {
                lines.add("UNIQUE " + column(file, "SELECT name FROM pragma_index_info('" + index + "')"));
            }
            lines.addAll(column(file, "SELECT 'FK ' || \"from\" || ' -> ' || \"table\" || '.' || \"to\" || ' ON DELETE '"
                    + " || on_delete FROM pragma_foreign_key_list('" + table + "')"));
            out.put(table, lines);
        }
        return out;
    }

    @Test
    void aMigratedFreshFileIsAjInitPlusCascadeTheDieselTableAndTheIndex() throws Exception {
        Path fresh = dir.resolve("fresh.db");
        SessionStore.open(fresh).close();
        Path ajInit = AjDatabases.create(dir.resolve("aj-init.db"), SchemaVariant.AJ_INIT);

        Map<String, List<String>> ours = structure(fresh);
        Map<String, List<String>> theirs = structure(ajInit);
        // same tables in the same order, apart from the history table and Diesel's bookkeeping
        assertThat(theirs.keySet()).containsExactly("awful_configs", "sqlite_sequence", "conversations", "messages");
        assertThat(ours.keySet()).containsExactly("aj_sessions_schema_history", "awful_configs", "sqlite_sequence",
                "conversations", "messages", "__diesel_schema_migrations");
        for (String table : theirs.keySet()) {
            List<String> expected = new ArrayList<>();
            for (String line : theirs.get(table)) {
                expected.add(line.endsWith("ON DELETE NO ACTION") ? line.replace("NO ACTION", "CASCADE") : line);
            }
            assertThat(ours.get(table)).as(table).containsExactlyElementsOf(expected);
        }
        assertThat(ours.get("messages")).contains("3|dynamic|BOOLEAN|1|true|0", "FK conversation_id -> conversations.id"
                + " ON DELETE CASCADE");
        assertThat(ours.get("conversations")).contains("UNIQUE [session_name]");
        // Diesel's table exactly as the diesel-cli variant has it, with aj's one migration
        Path diesel = AjDatabases.create(dir.resolve("diesel.db"), SchemaVariant.DIESEL_CLI);
        assertThat(ours.get("__diesel_schema_migrations")).isEqualTo(structure(diesel).get("__diesel_schema_migrations"));
        assertThat(column(fresh, "SELECT version FROM __diesel_schema_migrations")).containsExactly("20231017221421");
        // V2's index, and the history under the module's own name
        assertThat(column(fresh, "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                + " AND tbl_name <> 'aj_sessions_schema_history'"))
                .containsExactly("aj_sessions_messages_conversation_id|messages");
        assertThat(column(fresh, "SELECT name FROM pragma_index_info('aj_sessions_messages_conversation_id')"))
                .containsExactly("conversation_id", "id");
        assertThat(column(fresh, "SELECT version, description, success FROM aj_sessions_schema_history"
                + " ORDER BY installed_rank")).containsExactly("1|aj schema|1", "2|messages conversation index|1");
        // aj's history query uses the index
        assertThat(String.join(" ", column(fresh, "EXPLAIN QUERY PLAN SELECT id, role, content, dynamic,"
                + " conversation_id FROM messages WHERE conversation_id = 1")))
                .contains("aj_sessions_messages_conversation_id");
    }

    @Test
    void aHostApplicationsFlywayDoesNotSeeTheModulesMigrations() throws Exception {
        Path file = dir.resolve("aj.db");
        SessionStore.open(file).close();
        Flyway host = Flyway.configure().dataSource("jdbc:sqlite:" + file, null, null).load();
        MigrationInfo[] all = host.info().all();
        assertThat(all).isEmpty();
        assertThat(host.info().current()).isNull();
        // and the module's own configuration does see them
        Flyway ours = Flyway.configure().dataSource("jdbc:sqlite:" + file, null, null)
                .locations(SchemaManager.LOCATION).table(SchemaManager.HISTORY_TABLE).load();
        assertThat(ours.info().applied()).extracting(m -> m.getVersion().getVersion()).containsExactly("1", "2");
        assertThat(column(file, "SELECT count(*) FROM sqlite_master WHERE name = 'flyway_schema_history'"))
                .containsExactly("0");
    }

    @ParameterizedTest
    @EnumSource(value = SchemaVariant.class, names = {"AJ_INIT", "DIESEL_CLI", "DOCS_OPTION_C"})
    void aVariantIsAdoptedAsV1ThenV2WithAjsTablesAndRowsUnchanged(SchemaVariant variant) throws Exception {
        Path file = AjDatabases.create(dir.resolve("aj.db"), variant);
        new AjClient(file).turn("chat", "q", "a");
        String ajTables = "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE tbl_name <> 'aj_sessions_schema_history'"
                + " AND name <> 'aj_sessions_messages_conversation_id'"
                + " ORDER BY rowid";
        List<String> ddlBefore = column(file, ajTables);
        List<String> rowsBefore = rows(file);

        try (SessionStore store = SessionStore.open(file)) {
            assertThat(store.info().variant()).isEqualTo(variant);
            assertThat(store.info().schemaVersion()).isEqualTo(2);
            assertThat(store.info().appliedMigrations()).hasSize(2);
            assertThat(store.info().appliedMigrations().get(0)).startsWith("1 (baseline");
            assertThat(store.info().appliedMigrations().get(1)).isEqualTo("2 messages conversation index");
        }
        assertThat(column(file, ajTables)).isEqualTo(ddlBefore);
        assertThat(rows(file)).isEqualTo(rowsBefore);
        assertThat(column(file, "SELECT version, type FROM aj_sessions_schema_history ORDER BY installed_rank"))
                .containsExactly("1|BASELINE", "2|SQL");
        assertThat(column(file, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages'"))
                .containsExactly("aj_sessions_messages_conversation_id");

        // reopening an up-to-date file is a no-op: not a byte written
        byte[] bytes = Files.readAllBytes(file);
        FileTime modified = Files.getLastModifiedTime(file);
        try (SessionStore store = SessionStore.open(file)) {
            assertThat(store.info().variant()).isEqualTo(variant);
            assertThat(store.info().appliedMigrations()).isEmpty();
            assertThat(store.history("chat")).hasSize(5);
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(modified);
    }

    private static List<String> rows(Path file) throws SQLException {
        List<String> all = new ArrayList<>();
        all.addAll(column(file, "SELECT * FROM conversations ORDER BY id"));
        all.addAll(column(file, "SELECT * FROM messages ORDER BY id"));
        all.addAll(column(file, "SELECT * FROM awful_configs ORDER BY id"));
        all.addAll(column(file, "SELECT * FROM sqlite_sequence ORDER BY name"));
        return all;
    }

    @ParameterizedTest
    @EnumSource(value = SchemaMode.class, names = {"VALIDATE", "READ_ONLY"})
    void validateAndReadOnlyModesWriteNothing(SchemaMode mode) throws Exception {
        for (SchemaVariant variant : List.of(SchemaVariant.AJ_INIT, SchemaVariant.DIESEL_CLI,
                SchemaVariant.DOCS_OPTION_C)) {
            Path file = AjDatabases.create(dir.resolve(mode + "-" + variant + ".db"), variant);
            new AjClient(file).turn("chat", "q", "a");
            byte[] bytes = Files.readAllBytes(file);
            FileTime modified = Files.getLastModifiedTime(file);
            try (SessionStore store = SessionStore.open(StoreConfig.builder().database(file).schemaMode(mode).build())) {
                assertThat(store.info().variant()).isEqualTo(variant);
                assertThat(store.info().schemaVersion()).isZero();
                assertThat(store.info().appliedMigrations()).isEmpty();
                assertThat(store.history("chat")).hasSize(5);
                assertThat(store.listSessions()).hasSize(1);
                assertThat(store.info().journalMode()).isEqualTo("delete");
            }
            assertThat(Files.readAllBytes(file)).as("%s %s", mode, variant).isEqualTo(bytes);
            assertThat(Files.getLastModifiedTime(file)).isEqualTo(modified);
            assertThat(column(file, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'aj_sessions%'"))
                    .containsExactly("0");
            assertThat(Files.list(dir).filter(p -> p.getFileName().toString().startsWith(file.getFileName() + "-")))
                    .isEmpty();
        }
    }

    @Test
    void journalModeKeepLeavesAjsRollbackJournal() throws Exception {
        Path file = AjDatabases.create(dir.resolve("aj.db"), SchemaVariant.AJ_INIT);
        try (SessionStore store = SessionStore.open(file)) {
            assertThat(store.config().journalMode()).isEqualTo(JournalMode.KEEP);
            assertThat(store.info().journalMode()).isEqualTo("delete");
        }
        assertThat(column(file, "PRAGMA journal_mode")).containsExactly("delete");
    }

    @Test
    void journalModeWalSwitchesPersistentlyAndDeleteSwitchesBack() throws Exception {
        Path file = AjDatabases.create(dir.resolve("aj.db"), SchemaVariant.AJ_INIT);
        try (SessionStore store = SessionStore.open(StoreConfig.builder().database(file).journalMode(JournalMode.WAL)
                .build())) {
            assertThat(store.info().journalMode()).isEqualTo("wal");
            store.findOrCreateSession("s");
        }
        assertThat(column(file, "PRAGMA journal_mode")).containsExactly("wal");
        // aj keeps working on the WAL file
        new AjClient(file).turn("aj", "q", "a");
        // KEEP keeps WAL as well
        try (SessionStore store = SessionStore.open(file)) {
            assertThat(store.info().journalMode()).isEqualTo("wal");
        }
        try (SessionStore store = SessionStore.open(StoreConfig.builder().database(file)
                .journalMode(JournalMode.DELETE).build())) {
            assertThat(store.info().journalMode()).isEqualTo("delete");
        }
        assertThat(column(file, "PRAGMA journal_mode")).containsExactly("delete");
        assertThat(dir.resolve("aj.db-wal")).doesNotExist();
    }

    @Test
    void readOnlyNeverChangesTheJournalMode() throws Exception {
        Path file = AjDatabases.create(dir.resolve("aj.db"), SchemaVariant.AJ_INIT);
        assertThatThrownBy(() -> StoreConfig.builder().database(file).schemaMode(SchemaMode.READ_ONLY)
                .journalMode(JournalMode.WAL).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("journalMode WAL changes the file and cannot be combined with schemaMode READ_ONLY");
        try (SessionStore store = SessionStore.open(StoreConfig.builder().database(file)
                .schemaMode(SchemaMode.READ_ONLY).build())) {
            assertThat(store.info().journalMode()).isEqualTo("delete");
        }
        assertThat(column(file, "PRAGMA journal_mode")).containsExactly("delete");
    }
}
