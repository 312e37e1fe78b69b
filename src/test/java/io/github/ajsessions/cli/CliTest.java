package io.github.ajsessions.cli;

import static io.github.ajsessions.cli.AjFiles.CANARY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ajsessions.AjClient;
import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.testkit.AjDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every command, in-process, against files made as aj makes them. */
class CliTest {

    @TempDir
    Path dir;

    final Cli cli = new Cli();

    Path ajFile() throws Exception {
        return AjFiles.populated(dir.resolve("aj.db"), SchemaVariant.AJ_INIT);
    }

    @Test
    void dbIsAcceptedBeforeOrAfterTheCommandName() throws Exception {
        Path file = ajFile();
        Cli.Result before = cli.run("--db", file.toString(), "where");
        Cli.Result after = cli.run("where", "--db", file.toString());
        assertThat(before.code()).isZero();
        assertThat(before.out()).isEqualTo(after.out()).contains(file.toString()).contains("given with --db");
        assertThat(cli.run("--db", dir.resolve("other.db").toString(), "where", "--db", file.toString()).out())
                .startsWith(file.toString());
    }

    @Test
    void whereFollowsSessionDbUrlOfAjsConfig() throws Exception {
        Path file = ajFile();
        Path config = Files.writeString(dir.resolve("config.yaml"), "api_key: " + CANARY + "\nsession_db_url: \""
                + file + "\"\n");
        Cli.Result r = cli.run("where", "--aj-config", config.toString(), "--json");
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("file").asText()).isEqualTo(file.toString());
        assertThat(json.get("source").asText()).isEqualTo("aj_config");
        assertThat(json.get("exists").asBoolean()).isTrue();
        assertThat(cli.run("sessions", "--aj-config", config.toString()).out()).contains("research");
        assertThat(cli.everything()).doesNotContain(CANARY);
    }

    @Test
    void whereAndDoctorWarnWhenDatabaseUrlNamesAnotherFile() throws Exception {
        Path file = ajFile();
        Path other = dir.resolve("diesel.db");
        java.util.Map<String, String> original = BaseCommand.environment;
        BaseCommand.environment = java.util.Map.of("DATABASE_URL", "sqlite://" + other);
        try {
            Cli.Result where = cli.run("where", "--db", file.toString());
            assertThat(where.out()).contains("warning:  DATABASE_URL names " + other + ", not " + file);
            assertThat(cli.run("doctor", "--db", file.toString()).out())
                    .contains("[warn] DATABASE_URL: names " + other + ", a different file");
            BaseCommand.environment = java.util.Map.of("DATABASE_URL", file.toString());
            assertThat(cli.run("where", "--db", file.toString()).out()).doesNotContain("warning");
        } finally {
            BaseCommand.environment = original;
        }
    }

    @Test
    void tablesListsEveryTableWithItsRowCount() throws Exception {
        Path file = ajFile();
        Cli.Result r = cli.run("--db", file.toString(), "tables");
        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("conversations\\s+2\\n").containsPattern("messages\\s+12\\n")
                .containsPattern("awful_configs\\s+3\\n");
        JsonNode json = new ObjectMapper().readTree(cli.run("--db", file.toString(), "tables", "--json").out());
        // SQLite's own sqlite_sequence is not listed, as sqlite3's .tables does not
        assertThat(json.findValuesAsText("name")).containsExactlyInAnyOrder("conversations", "messages",
                "awful_configs");
    }

    @Test
    void sessionsShowsCountsLastIdAndLatestModel() throws Exception {
        Path file = ajFile();
        Cli.Result r = cli.run("sessions", "--db", file.toString());
        assertThat(r.out().lines().toList()).containsExactly(
                "SESSION    MESSAGES  LAST ID  MODEL",
                "research          7        7  gpt-4o",
                "groceries         5       12  llama");
        new AjClient(file).findOrCreateSession("empty");
        JsonNode json = new ObjectMapper().readTree(cli.run("sessions", "--db", file.toString(), "--json").out());
        assertThat(json.get(0).get("messageCount").asInt()).isEqualTo(7);
        assertThat(json.get(1).get("latestModel").asText()).isEqualTo("llama");
        assertThat(json.get(2).get("name").asText()).isEqualTo("empty");
        assertThat(json.get(2).get("messageCount").asInt()).isZero();
        assertThat(json.get(2).get("lastMessageId").isNull()).isTrue();
        assertThat(json.get(2).get("latestModel").isNull()).isTrue();
    }

    @Test
    void tailShowsTheLatestMessagesAcrossSessionsOldestFirst() throws Exception {
        Path file = ajFile();
        Cli.Result r = cli.run("tail", "-n", "3", "--db", file.toString());
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1)).contains("10").contains("groceries").contains("assistant");
        assertThat(lines.get(3)).contains("12").contains("Noted: milk, eggs, bread.");
        JsonNode json = new ObjectMapper().readTree(cli.run("tail", "--db", file.toString(), "--json").out());
        assertThat(json).hasSize(10);
        assertThat(json.get(9).get("id").asInt()).isEqualTo(12);
        for (JsonNode n : json) {
            assertThat(n.get("content").asText().length()).isLessThanOrEqualTo(TailCommand.SNIPPET);
        }
    }

    @Test
    void showPrintsTheConversationInEachFormat() throws Exception {
        Path file = ajFile();
        Cli.Result text = cli.run("show", "research", "--db", file.toString());
        assertThat(text.out()).contains("session research (7 messages)").contains("user      What is WAL?");
        Cli.Result last = cli.run("show", "research", "--last", "2", "--format", "json", "--db", file.toString());
        JsonNode json = new ObjectMapper().readTree(last.out());
        assertThat(json.get("messages")).hasSize(2);
        assertThat(json.get("messages").get(0).get("content").asText()).isEqualTo("And a rollback journal?");
        Cli.Result md = cli.run("show", "research", "--format", "markdown", "--db", file.toString());
        assertThat(md.out()).startsWith("# Session `research`").contains("### Assistant · message 5");
        Cli.Result missing = cli.run("show", "nope", "--db", file.toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.err()).isEqualTo("aj-sessions: session 'nope' not found in " + file + "\n");
    }

    @Test
    void readOnlyCommandsLeaveTheFileByteIdentical() throws Exception {
        Path file = ajFile();
        byte[] before = Files.readAllBytes(file);
        String db = file.toString();
        for (String[] args : List.of(new String[] {"where"}, new String[] {"tables"}, new String[] {"sessions"},
                new String[] {"tail"}, new String[] {"show", "research"}, new String[] {"export"},
                new String[] {"check"}, new String[] {"doctor"}, new String[] {"backup", dir.resolve("b.db").toString()},
                new String[] {"export", "groceries", "--format", "markdown"})) {
            List<String> withDb = new ArrayList<>(List.of(args));
            withDb.add("--db");
            withDb.add(db);
            assertThat(cli.run(withDb.toArray(String[]::new)).code()).as(String.join(" ", args)).isZero();
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("aj.db", "b.db");
        }
    }

    @Test
    void readOnlyCommandsWorkOnAWalFileAndStillRefuseWrites() throws Exception {
        Path file = ajFile();
        try (Connection c = new AjClient(file).connect(); Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode = WAL");
        }
        // the last connection closed: no -wal or -shm file, which a read-only connection cannot create
        assertThat(Files.exists(dir.resolve("aj.db-shm"))).isFalse();
        String db = file.toString();
        assertThat(cli.run("tail", "--db", db).out()).contains("Noted: milk, eggs, bread.");
        assertThat(cli.run("show", "research", "--db", db).code()).isZero();
        assertThat(cli.run("check", "--db", db).code()).isZero();
        try (io.github.ajsessions.api.SessionStore store = io.github.ajsessions.api.SessionStore.open(
                io.github.ajsessions.core.StoreConfig.builder().database(file)
                        .schemaMode(io.github.ajsessions.core.StoreConfig.SchemaMode.READ_ONLY).build());
             Connection c = store.dataSource().getConnection(); Statement st = c.createStatement()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> st.execute("INSERT INTO conversations (session_name) VALUES ('sneaky')"))
                    .hasMessageContaining("readonly");
            try (ResultSet rs = st.executeQuery("PRAGMA foreign_keys")) {
                rs.next();
                assertThat(rs.getInt(1)).isOne();
            }
        }
        assertThat(AjFiles.rows(file)).noneMatch(r -> r.contains("sneaky"));
    }

    @Test
    void theApiKeyNeverAppearsWithoutIncludeSecrets() throws Exception {
        Path file = ajFile();
        String db = file.toString();
        cli.run("where", "--db", db);
        cli.run("tables", "--db", db);
        cli.run("sessions", "--db", db, "--json");
        cli.run("tail", "--db", db, "-n", "100", "--json");
        cli.run("show", "research", "--db", db, "--format", "json");
        cli.run("show", "research", "--db", db, "--format", "markdown");
        cli.run("export", "--db", db);
        cli.run("export", "research", "--db", db, "--format", "markdown");
        cli.run("export", "-o", dir.resolve("e.json").toString(), "--db", db);
        cli.run("doctor", "--db", db, "--json");
        cli.run("doctor", "--db", db);
        cli.run("check", "--db", db);
        cli.run("search", "WAL", "--db", db, "--json");
        cli.run("backup", dir.resolve("b.db").toString(), "--db", db);
        cli.run("import", dir.resolve("e.json").toString(), "--db", db);
        cli.run("--verbose", "show", "nope", "--db", db);
        assertThat(cli.everything()).doesNotContain(CANARY);
        assertThat(Files.readString(dir.resolve("e.json"))).doesNotContain(CANARY).doesNotContain("api_key");

        Cli.Result secret = cli.run("export", "--include-secrets", "--db", db);
        assertThat(secret.out()).contains("\"api_key\" : \"" + CANARY + "\"");
    }

    @Nested
    class ExportAndImport {

        @ParameterizedTest
        @EnumSource(value = SchemaVariant.class, names = {"AJ_INIT", "DIESEL_CLI", "DOCS_OPTION_C"})
        void exportImportIntoAnEmptyFileExportGivesTheSameJson(SchemaVariant variant) throws Exception {
            Path file = AjFiles.populated(dir.resolve("aj.db"), variant);
            // a message of no conversation, which aj's docs' raw sqlite3 users can leave behind
            try (Connection c = new AjClient(file).connect(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO messages (role, content, dynamic, conversation_id) VALUES ('user', 'stray ünï 🎉', 1, NULL)");
            }
            for (boolean secrets : new boolean[] {false, true}) {
                String flag = secrets ? "--include-secrets" : "--verbose";
                Path json = dir.resolve("export-" + secrets + ".json");
                assertThat(cli.run("export", flag, "-o", json.toString(), "--db", file.toString()).code()).isZero();
                Path copy = dir.resolve("copy-" + secrets + ".db");
                Cli.Result imported = cli.run("--db", copy.toString(), "import", json.toString());
                assertThat(imported.code()).as(imported.err()).isZero();
                assertThat(imported.out()).contains("imported 2 session(s), 13 message(s), 3 config snapshot(s) with"
                        + " their ids");
                assertThat(Files.readString(json, StandardCharsets.UTF_8)).contains("stray ünï 🎉");
                Cli.Result again = cli.run("export", flag, "--db", copy.toString());
                assertThat(again.out()).isEqualTo(Files.readString(json, StandardCharsets.UTF_8));
                if (secrets) {
                    assertThat(AjFiles.rows(copy)).isEqualTo(AjFiles.rows(file));
                }
            }
        }

        @Test
        void anExistingSessionNameIsRefusedUnlessAPolicyIsChosen() throws Exception {
            Path file = ajFile();
            Path json = dir.resolve("e.json");
            cli.run("export", "research", "-o", json.toString(), "--db", file.toString());
            List<String> rowsBefore = AjFiles.rows(file);

            Cli.Result refused = cli.run("import", json.toString(), "--db", file.toString());
            assertThat(refused.code()).isEqualTo(ExitCodes.REFUSED);
            assertThat(refused.err()).contains("session(s) 'research' exist already in " + file);
            assertThat(AjFiles.rows(file)).isEqualTo(rowsBefore);

            assertThat(cli.run("import", json.toString(), "--on-existing", "skip", "--db", file.toString()).out())
                    .contains("imported 0 session(s)").contains("skipped existing session 'research'");
            Cli.Result renamed = cli.run("import", json.toString(), "--on-existing", "rename", "--db", file.toString());
            assertThat(renamed.out()).contains("imported 'research' as 'research (imported)'").contains("under new ids");
            Cli.Result show = cli.run("show", "research (imported)", "--format", "json", "--db", file.toString());
            assertThat(new ObjectMapper().readTree(show.out()).get("messages")).hasSize(7);
            assertThat(cli.run("check", "--db", file.toString()).code()).isZero();
        }

        @Test
        void anExportThatIsNotOursOrHasAnUnknownRoleImportsNothing() throws Exception {
            Path file = ajFile();
            Path bad = Files.writeString(dir.resolve("bad.json"), "{\"format\":\"aj-sessions-export\",\"version\":1,"
                    + "\"sessions\":[{\"id\":9,\"name\":\"x\",\"messages\":[{\"id\":99,\"role\":\"tool\",\"content\":\"c\","
                    + "\"dynamic\":false}],\"configs\":[]}]}");
            Cli.Result r = cli.run("import", bad.toString(), "--db", file.toString());
            assertThat(r.code()).isEqualTo(ExitCodes.FILE);
            assertThat(r.err()).contains("  session 'x' (id 9), message #1 (id 99): \"role\" is 'tool', not one of system,"
                    + " user, assistant (aj panics on it)\n");
            Path other = Files.writeString(dir.resolve("other.json"), "{\"hello\": 1}");
            assertThat(cli.run("import", other.toString(), "--db", file.toString()).err())
                    .contains("not an aj-sessions export");
            assertThat(cli.run("sessions", "--db", file.toString(), "--json").out()).doesNotContain("\"x\"");
        }
    }

    @Nested
    class Backup {

        @Test
        void theBackupHoldsTheSameRowsAndPassesTheIntegrityCheck() throws Exception {
            Path file = ajFile();
            Path dest = dir.resolve("backup.db");
            Cli.Result r = cli.run("backup", dest.toString(), "--db", file.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("to " + dest).contains("integrity_check ok");
            assertThat(AjFiles.rows(dest)).isEqualTo(AjFiles.rows(file)).hasSize(17);
            assertThat(cli.run("check", "--db", dest.toString()).code()).isZero();
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dest)))
                    .isEqualTo("rw-------");

            Cli.Result exists = cli.run("backup", dest.toString(), "--db", file.toString());
            assertThat(exists.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(exists.err()).contains("backup destination " + dest + " exists already");
            assertThat(cli.run("backup", dest.toString(), "--force", "--db", file.toString()).code()).isZero();
        }

        @Test
        void aBackupTakenWhileAnotherProcessWritesIsCompleteAndConsistent() throws Exception {
            Path file = ajFile();
            Path stop = dir.resolve("stop");
            Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), LiveWriterChild.class.getName(), file.toString(),
                    stop.toString(), "20").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String report;
            try (java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(
                    writer.getInputStream(), StandardCharsets.UTF_8))) {
                assertThat(lines.readLine()).isEqualTo("started");
                for (int i = 0; i < 3; i++) {
                    Path dest = dir.resolve("live-" + i + ".db");
                    Cli.Result r = cli.run("backup", dest.toString(), "--db", file.toString());
                    assertThat(r.code()).as(r.err()).isZero();
                    assertThat(cli.run("check", "--db", dest.toString()).code()).isZero();
                }
                Files.createFile(stop);
                report = lines.readLine();
            } finally {
                if (!writer.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    writer.destroyForcibly();
                }
            }
            assertThat(report).startsWith("written ");
            // the writer was at work before the first backup: every copy holds more than the 17 rows of the start
            assertThat(AjFiles.rows(dir.resolve("live-0.db"))).hasSizeGreaterThan(17 + 40);
            // aj only appends: each backup is a snapshot, so its rows are exactly the source's rows up to some
            // point (aj's own turn is two statements, so a snapshot may hold a user row without its reply yet)
            List<String> source = AjFiles.rows(file);
            for (int i = 0; i < 3; i++) {
                List<String> copy = AjFiles.rows(dir.resolve("live-" + i + ".db"));
                List<String> messages = copy.stream().filter(r -> r.startsWith("messag")).toList();
                assertThat(source).containsAll(copy);
                assertThat(source.stream().filter(r -> r.startsWith("messag")).toList())
                        .startsWith(messages.toArray(String[]::new));
            }
        }
    }

    @Test
    void checkExitsOneOnAForeignKeyViolation() throws Exception {
        Path file = ajFile();
        assertThat(cli.run("check", "--db", file.toString()).out()).isEqualTo(
                "integrity_check:   ok\nforeign_key_check: ok\n");
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = c.createStatement()) {
            st.execute("INSERT INTO messages (role, content, dynamic, conversation_id) VALUES ('user', 'orphan', 0, 77)");
        }
        Cli.Result r = cli.run("check", "--db", file.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(r.out()).contains("foreign_key_check: 1 violation(s)").contains("messages row 13 points to a missing"
                + " conversations row");
    }

    @Nested
    class Doctor {

        @Test
        void aHealthyAjFileHasNoProblems() throws Exception {
            Path file = ajFile();
            Cli.Result r = cli.run("doctor", "--db", file.toString());
            assertThat(r.code()).as(r.out()).isZero();
            assertThat(r.out()).contains("[ok  ] schema variant: aj-init").contains("entities validate")
                    .contains("migrations: schema version 0").contains("no problems found");
        }

        @Test
        void aFileWithoutAjsTablesNamesWhereAjLooks() throws Exception {
            Path file = dir.resolve("other.db");
            try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                 Statement st = c.createStatement()) {
                st.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)");
            }
            Cli.Result r = cli.run("doctor", "--db", file.toString());
            assertThat(r.code()).isEqualTo(ExitCodes.PROBLEMS);
            assertThat(r.out()).contains("[FAIL] aj's tables: no aj tables").contains("fix: point --db");
        }

        @Test
        void aConversationShorterThanThePreambleAndAnUnknownRoleAreNamed() throws Exception {
            Path file = ajFile();
            try (Connection c = new AjClient(file).connect(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO conversations (session_name) VALUES ('short')");
                st.execute("INSERT INTO messages (role, content, dynamic, conversation_id) VALUES ('user', 'hi', 0, 3)");
                st.execute("INSERT INTO messages (role, content, dynamic, conversation_id) VALUES ('tool', 'x', 0, 1)");
            }
            // as aj leaves it: created with the umask, readable by everyone
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            Cli.Result r = cli.run("doctor", "--db", file.toString());
            assertThat(r.code()).isEqualTo(ExitCodes.PROBLEMS);
            assertThat(r.out()).contains("session 'short' (conversation 3) has 1 message(s), fewer than aj's 3")
                    .contains("message 14 of session 'research' has role 'tool'")
                    .contains("[FAIL] file permissions: readable by other users while 3 config snapshot(s) hold an"
                            + " API key").contains("fix: chmod 600 " + file);
        }

        @Test
        void aDriftedSchemaIsNamedByTableAndColumn() throws Exception {
            Path file = ajFile();
            try (Connection c = new AjClient(file).connect(); Statement st = c.createStatement()) {
                st.execute("ALTER TABLE messages ADD COLUMN tokens INTEGER");
            }
            Cli.Result r = cli.run("doctor", "--db", file.toString());
            assertThat(r.code()).isEqualTo(ExitCodes.PROBLEMS);
            assertThat(r.out()).contains("[FAIL] schema variant: the tables drifted").contains("messages.tokens");
            assertThat(cli.run("tail", "--db", file.toString()).code()).isEqualTo(ExitCodes.FILE);
        }

        @Test
        void aMissingFileFailsWithTheFix() {
            Cli.Result r = cli.run("doctor", "--db", dir.resolve("nope.db").toString());
            assertThat(r.code()).isEqualTo(ExitCodes.PROBLEMS);
            assertThat(r.out()).contains("[FAIL] file exists:").contains("aj init");
        }
    }

    @Nested
    class Search {

        @Test
        void findsRankedHitsAndKeepsTheIndexUpToDateWithoutTriggers() throws Exception {
            Path file = ajFile();
            Cli.Result r = cli.run("search", "journal", "--db", file.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out().lines().skip(1).toList()).hasSize(1).first().asString().contains("research")
                    .contains("And a rollback journal?");
            new AjClient(file).turn("groceries", "journal for the shop", "ok");
            JsonNode hits = new ObjectMapper().readTree(cli.run("search", "journal", "--json", "--db",
                    file.toString()).out());
            assertThat(hits).hasSize(2);
            assertThat(hits.findValuesAsText("session")).containsExactlyInAnyOrder("research", "groceries");
            assertThat(cli.run("delete", "groceries", "--db", file.toString()).code()).isZero();
            assertThat(new ObjectMapper().readTree(cli.run("search", "journal", "--json", "--db", file.toString())
                    .out())).hasSize(1);
            assertThat(cli.run("search", "\"unbalanced", "OR", "--db", file.toString()).code()).isZero();
            try (Connection c = new AjClient(file).connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
            // aj still writes, and the store still opens and validates, with the index beside its tables
            new AjClient(file).turn("research", "still fine?", "yes");
            assertThat(cli.run("doctor", "--db", file.toString()).code()).isZero();
        }
    }

    @Test
    void resetEmptiesTheFileKeepsTheVariantAndBacksUpFirst() throws Exception {
        Path file = ajFile();
        List<String> rows = AjFiles.rows(file);
        Cli.Result unconfirmed = cli.run("reset", "--db", file.toString());
        assertThat(unconfirmed.code()).isEqualTo(ExitCodes.REFUSED);
        assertThat(unconfirmed.err()).contains("pass --yes");
        Cli.Result r = cli.run("reset", "--yes", "--db", file.toString());
        assertThat(r.code()).as(r.err()).isZero();
        Path backup;
        try (Stream<Path> files = Files.list(dir)) {
            backup = files.filter(p -> p.getFileName().toString().startsWith("aj.db.before-reset-")).findFirst()
                    .orElseThrow();
        }
        assertThat(AjFiles.rows(backup)).isEqualTo(rows);
        assertThat(AjFiles.rows(file)).isEmpty();
        assertThat(r.out()).contains("schema aj-init");
        new AjClient(file).turn("fresh", "hello", "hi");
        assertThat(cli.run("doctor", "--db", file.toString()).code()).isZero();
        assertThat(cli.run("reset", "--yes", "--no-backup", "--db", file.toString()).out()).doesNotContain("backed up");
    }

    @Test
    void deleteRemovesASessionWithItsRows() throws Exception {
        Path file = ajFile();
        Cli.Result r = cli.run("delete", "research", "--db", file.toString());
        assertThat(r.out()).isEqualTo("deleted session 'research' (7 messages) from " + file + "\n");
        assertThat(AjFiles.rows(file)).noneMatch(row -> row.contains("conversation_id=1|"));
        assertThat(cli.run("delete", "research", "--db", file.toString()).code()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void vacuumReportsTheSizes() throws Exception {
        Path file = ajFile();
        cli.run("delete", "research", "--db", file.toString());
        Cli.Result r = cli.run("vacuum", "--db", file.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("vacuumed .*aj.db: .* -> .* \\(\\d+ -> \\d+ bytes\\)");
    }

    @Test
    void initCreatesAndMigratesIdempotently() throws Exception {
        Path file = AjDatabases.create(dir.resolve("aj.db"), SchemaVariant.AJ_INIT);
        Cli.Result first = cli.run("migrate", "--db", file.toString());
        assertThat(first.out()).contains("applied 1 (baseline").contains("applied 2");
        assertThat(cli.run("migrate", "--db", file.toString()).out()).contains("up to date: nothing applied");
        Cli.Result created = cli.run("init", "--db", dir.resolve("new.db").toString());
        assertThat(created.out()).startsWith("created ");
        assertThat(cli.run("migrate", "--db", dir.resolve("none.db").toString()).code()).isEqualTo(ExitCodes.FILE);
    }

    @Test
    void demoWritesASampleFileAndShowsIt() throws Exception {
        Path file = dir.resolve("sample.db");
        Cli.Result r = cli.run("--db", file.toString(), "demo");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("sample database: " + file).contains("user      Hi").contains("qwen2.5")
                .doesNotContain("sk-demo");
        assertThat(cli.run("check", "--db", file.toString()).code()).isZero();
        assertThat(cli.run("--db", file.toString(), "demo").code()).isEqualTo(ExitCodes.REFUSED);
    }

    @Test
    void errorsAreOneLineWithExitCodes() throws Exception {
        Cli.Result missing = cli.run("tail", "--db", dir.resolve("nope.db").toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.FILE);
        assertThat(missing.err()).isEqualTo("aj-sessions: database " + dir.resolve("nope.db")
                + " does not exist (schema mode READ_ONLY does not create it)\n");
        Path junk = Files.writeString(dir.resolve("junk.db"), "not a database at all, clearly");
        Cli.Result notDb = cli.run("sessions", "--db", junk.toString());
        assertThat(notDb.code()).isEqualTo(ExitCodes.FILE);
        assertThat(notDb.err().lines()).hasSize(1);
        assertThat(cli.run("tail", "--bogus").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.run("tail", "-n", "-1", "--db", junk.toString()).code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void aLockHeldByAnotherWriterGivesExitCodeFour() throws Exception {
        Path file = ajFile();
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = c.createStatement()) {
            st.execute("BEGIN EXCLUSIVE");
            Cli.Result r = cli.run("delete", "research", "--busy-timeout", "100", "--db", file.toString());
            assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.LOCKED);
            assertThat(r.err()).contains("is locked by another process");
            st.execute("ROLLBACK");
        }
    }

    @Test
    void everyCommandHasHelpWithAnExample() {
        for (String command : List.of("where", "init", "migrate", "doctor", "tables", "sessions", "show", "tail",
                "search", "export", "import", "backup", "vacuum", "check", "reset", "delete", "demo", "sync", "pull")) {
            Cli.Result r = cli.run(command, "--help");
            assertThat(r.code()).as(command).isZero();
            assertThat(r.out()).as(command).contains("Usage: aj-sessions " + command).contains("Example:")
                    .contains("--db=PATH");
        }
        assertThat(cli.run("--help").out()).contains("Exit codes:");
    }
}
