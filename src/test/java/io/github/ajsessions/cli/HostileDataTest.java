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
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows written by hand or by other tools with foreign keys off: rows of a missing conversation, content
 * stored as a BLOB, a number or bytes that are not UTF-8, {@code dynamic} = 2, ids aj cannot read.
 * {@code doctor} names each one; export keeps orphans and refuses (or, asked to, converts) what it
 * cannot write exactly; a message larger than Jackson's default limit goes out and back.
 */
class HostileDataTest {

    @TempDir
    Path dir;

    final Cli cli = new Cli();

    /** Statements on the file as another tool runs them: foreign keys off (sqlite-jdbc's default). */
    static void sql(Path file, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    /** A file as aj makes it: session 's' (conversation 1, messages 1-5, snapshot 1 holding the canary key). */
    Path ajFile() throws Exception {
        Path file = dir.resolve("aj.db");
        AjDatabases.create(file, SchemaVariant.AJ_INIT);
        AjClient aj = new AjClient(file);
        aj.turn("s", "hi", "hello");
        sql(file, "UPDATE awful_configs SET api_key = '" + CANARY + "'");
        // owner-only, as a careful user keeps it (doctor fails a readable file that holds API keys)
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Nested
    class Orphans {

        /** The file of the report: rows whose conversation_id points to no conversation, and one of none. */
        Path orphaned() throws Exception {
            Path file = ajFile();
            sql(file, "INSERT INTO messages (id, role, content, dynamic, conversation_id) VALUES"
                            + " (6, 'user', 'orphan one', 0, 42), (7, 'assistant', 'orphan two', 1, 42),"
                            + " (8, 'user', 'of none', 0, NULL)",
                    "INSERT INTO awful_configs (id, api_base, api_key, model, context_max_tokens,"
                            + " assistant_minimum_context_tokens, stop_words, conversation_id) VALUES"
                            + " (2, 'http://x/v1', '" + CANARY + "', 'm', 1, 2, '', 42)");
            return file;
        }

        @Test
        void aFullExportKeepsThemWithTheirConversationId() throws Exception {
            Path file = orphaned();
            Cli.Result r = cli.run("export", "--db", file.toString());
            assertThat(r.code()).as(r.err()).isZero();
            JsonNode json = new ObjectMapper().readTree(r.out());
            assertThat(json.get("version").asInt()).isEqualTo(2);
            JsonNode messages = json.get("unattached").get("messages");
            assertThat(messages).hasSize(3);
            assertThat(messages.get(0).get("id").asLong()).isEqualTo(6);
            assertThat(messages.get(0).get("conversation_id").asLong()).isEqualTo(42);
            assertThat(messages.get(1).get("dynamic").asBoolean()).isTrue();
            assertThat(messages.get(2).get("conversation_id").isNull()).isTrue();
            JsonNode configs = json.get("unattached").get("configs");
            assertThat(configs).hasSize(1);
            assertThat(configs.get(0).get("conversation_id").asLong()).isEqualTo(42);
            assertThat(configs.get(0).has("api_key")).isFalse();
            // every row of the file is in it: 8 messages, 2 snapshots
            assertThat(json.get("sessions").get(0).get("messages")).hasSize(5);
            assertThat(json.get("sessions").get(0).get("configs")).hasSize(1);
            assertThat(cli.everything()).doesNotContain(CANARY);
        }

        @Test
        void anImportRefusesThemByDefaultAndDetachesThemWhenAllowed() throws Exception {
            Path file = orphaned();
            Path export = dir.resolve("e.json");
            assertThat(cli.run("export", "--include-secrets", "-o", export.toString(), "--db", file.toString()).code())
                    .isZero();
            Path copy = dir.resolve("copy.db");
            Cli.Result refused = cli.run("--db", copy.toString(), "import", export.toString());
            assertThat(refused.code()).isEqualTo(ExitCodes.FILE);
            String why = ": \"conversation_id\" is 42, a conversation that is not in the export (the row was orphaned"
                    + " in the exported file; foreign keys refuse it)";
            assertThat(refused.err()).isEqualTo("aj-sessions: cannot import " + export + String.format(
                    HostileImportTest.HEADLINE, 3) + "\n"
                    + "  unattached message #1 (id 6)" + why + "\n"
                    + "  unattached message #2 (id 7)" + why + "\n"
                    + "  unattached config snapshot #1 (id 2)" + why + "\n");
            assertThat(copy).doesNotExist();

            Cli.Result allowed = cli.run("--db", copy.toString(), "import", "--allow-warnings", export.toString());
            assertThat(allowed.code()).as(allowed.err()).isZero();
            assertThat(allowed.err()).contains("warning: unattached message #1 (id 6)" + why
                    + "; imported with no conversation\n");
            assertThat(allowed.out()).isEqualTo("imported 1 session(s), 8 message(s), 2 config snapshot(s) with their"
                    + " ids\n");
            List<String> rows = AjFiles.rows(copy);
            assertThat(rows).contains("messag:id=6|role=user|content=orphan one|dynamic=0|conversation_id=null|",
                    "messag:id=7|role=assistant|content=orphan two|dynamic=1|conversation_id=null|");
            assertThat(cli.run("check", "--db", copy.toString()).code()).isZero();
        }

        @Test
        void doctorNamesThemAsWarningsAndForeignKeyCheckFails() throws Exception {
            Path file = orphaned();
            Cli.Result r = cli.run("doctor", "--db", file.toString());
            assertThat(r.code()).isEqualTo(ExitCodes.PROBLEMS);
            assertThat(r.out()).contains("[FAIL] foreign_key_check: 3 violation(s)")
                    .contains("[ok  ] rows aj would fail on: none\n")
                    .contains("[warn] odd rows aj tolerates: messages row 6: conversation_id 42 names no conversation"
                            + " (aj never loads the row; an export keeps it with its conversation_id)\n")
                    .contains("[warn] odd rows aj tolerates: messages row 7: conversation_id 42")
                    .contains("[warn] odd rows aj tolerates: awful_configs row 2: conversation_id 42")
                    .doesNotContain("row 8:");
            assertThat(cli.everything()).doesNotContain(CANARY);
        }
    }

    @Nested
    class RowsAjCannotReadOrTolerates {

        Path odd(boolean withFatal) throws Exception {
            Path file = ajFile();
            sql(file, "INSERT INTO messages (id, role, content, dynamic, conversation_id) VALUES"
                    + " (6, 'user', X'68656c6c6f', 0, 1), (7, 'assistant', 12345, 0, 1), (8, 'user', 'two', 2, 1)");
            if (withFatal) {
                sql(file, "INSERT INTO messages (id, role, content, dynamic, conversation_id) VALUES"
                        + " (9, 'assistant', CAST(X'6869C328' AS TEXT), 0, 1), (10, 'tool', 't', 0, 1),"
                        + " (2147483648, 'user', 'big', 0, 1)",
                        "UPDATE awful_configs SET api_key = CAST(X'736BC328' AS TEXT)");
            }
            return file;
        }

        @Test
        void doctorNamesEachRowTableIdAndProblem() throws Exception {
            Path file = odd(true);
            Cli.Result r = cli.run("doctor", "--db", file.toString());
            assertThat(r.code()).isEqualTo(ExitCodes.PROBLEMS);
            List<String> lines = r.out().lines().filter(l -> l.contains("rows aj")).toList();
            assertThat(lines).containsExactly(
                    "[FAIL] rows aj would fail on: message 10 of session 's' has role 'tool'; aj accepts only system,"
                            + " user, assistant and panics on it",
                    "[FAIL] rows aj would fail on: messages row 2147483648: id above 2,147,483,647 (aj reads ids as"
                            + " 32-bit integers and fails on it)",
                    "[FAIL] rows aj would fail on: messages row 9: content is not valid UTF-8 (byte 2 of 4): aj fails"
                            + " to read it",
                    "[FAIL] rows aj would fail on: awful_configs row 1: api_key is not valid UTF-8 (byte 2 of 4): aj"
                            + " fails to read it",
                    "[warn] odd rows aj tolerates: messages row 6: content is a BLOB of 5 bytes (aj reads the bytes as"
                            + " text)",
                    "[warn] odd rows aj tolerates: messages row 8: dynamic is 2, not 0 or 1 (aj reads any non-zero"
                            + " number as true)");
            assertThat(r.out()).contains("4 problem(s) found");
            JsonNode json = new ObjectMapper().readTree(cli.run("doctor", "--json", "--db", file.toString()).out());
            assertThat(json.toString()).contains("messages row 9: content is not valid UTF-8");
        }

        @Test
        void toleratedAnomaliesAloneAreWarningsAndDoctorPasses() throws Exception {
            Path file = odd(false);
            Cli.Result r = cli.run("doctor", "--db", file.toString());
            assertThat(r.code()).as(r.out()).isZero();
            assertThat(r.out()).contains("[ok  ] rows aj would fail on: none\n")
                    .contains("[warn] odd rows aj tolerates: messages row 8: dynamic is 2")
                    .contains("fix: aj reads it; `export` refuses it unless --convert");
        }

        @Test
        void exportRefusesThemNamingEachBeforeWritingAnything() throws Exception {
            Path file = odd(false);
            String refused = "aj-sessions: cannot export " + file + " exactly: messages row 6: content is a BLOB of 5"
                    + " bytes (aj reads the bytes as text); messages row 8: dynamic is 2, not 0 or 1 (aj reads any non-zero number as true)"
                    + " (aj-sessions doctor lists every such row; export --convert writes them converted); nothing was"
                    + " exported\n";
            Cli.Result r = cli.run("export", "--db", file.toString());
            assertThat(r.code()).isEqualTo(ExitCodes.FILE);
            assertThat(r.err()).isEqualTo(refused);
            assertThat(r.out()).isEmpty();
            Path out = dir.resolve("e.json");
            Cli.Result toFile = cli.run("export", "s", "-o", out.toString(), "--db", file.toString());
            assertThat(toFile.err()).isEqualTo(refused);
            assertThat(out).doesNotExist();
        }

        @Test
        void contentThatIsNotUtf8RefusesTheExportAtItsRowAndLeavesNoFile() throws Exception {
            Path file = ajFile();
            sql(file, "INSERT INTO messages (id, role, content, dynamic, conversation_id) VALUES"
                    + " (9, 'assistant', CAST(X'6869C328' AS TEXT), 0, 1)");
            Path out = dir.resolve("e.json");
            Cli.Result r = cli.run("export", "-o", out.toString(), "--db", file.toString());
            assertThat(r.code()).isEqualTo(ExitCodes.FILE);
            assertThat(r.err()).isEqualTo("aj-sessions: cannot export " + file + " exactly: messages row 9: content is"
                    + " not valid UTF-8 (byte 2 of 4; aj fails to read it); the export is incomplete (aj-sessions doctor"
                    + " lists every such row; export --convert writes them converted)\n");
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly("aj.db");
            }
        }

        @Test
        void convertWritesThemAsTextAndTrueNamingEach() throws Exception {
            Path file = ajFile();
            sql(file, "INSERT INTO messages (id, role, content, dynamic, conversation_id) VALUES"
                    + " (6, 'user', X'68656c6c6f', 0, 1), (7, 'assistant', 12345, 0, 1), (8, 'user', 'two', 2, 1),"
                    + " (9, 'assistant', CAST(X'6869C328' AS TEXT), 0, 1)");
            Cli.Result r = cli.run("export", "--convert", "--db", file.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.err().lines().toList()).containsExactly(
                    "warning: converted messages row 6: content is a BLOB of 5 bytes (aj reads the bytes as text)",
                    "warning: converted messages row 8: dynamic is 2, not 0 or 1 (aj reads any non-zero number as"
                            + " true)",
                    "warning: converted messages row 9: content is not valid UTF-8 (byte 2 of 4), invalid bytes written"
                            + " as U+FFFD");
            JsonNode m = new ObjectMapper().readTree(r.out()).get("sessions").get(0).get("messages");
            assertThat(m.get(5).get("content").asText()).isEqualTo("hello");
            // a number given for content is stored as its text by the column's TEXT affinity: exact as it is
            assertThat(m.get(6).get("content").asText()).isEqualTo("12345");
            assertThat(m.get(7).get("dynamic").asBoolean()).isTrue();
            assertThat(m.get(8).get("content").asText()).isEqualTo("hi\uFFFD(");
        }

        @Test
        void tailShowsARowWithARoleAjDoesNotKnowFlaggedAndSearchNamesIt() throws Exception {
            Path file = ajFile();
            sql(file, "INSERT INTO messages (id, role, content, dynamic, conversation_id) VALUES"
                    + " (10, 'tool', 'toolish output', 0, 1), (11, 'Tool\u001b[2J', 'x', 0, 1)");
            Cli.Result tail = cli.run("tail", "-n", "3", "--db", file.toString());
            assertThat(tail.code()).as(tail.err()).isZero();
            assertThat(tail.out().lines().toList()).containsExactly(
                    "ID  SESSION  ROLE        CONTENT",
                    " 5  s        assistant   hello",
                    "10  s        !tool       toolish output",
                    "11  s        !Tool\\e[2J  x");
            String why = "; aj accepts only system, user, assistant and panics on it (aj-sessions doctor lists every"
                    + " such row)\n";
            assertThat(tail.err()).isEqualTo("warning: message 10 has role 'tool'" + why
                    + "warning: message 11 has role 'Tool\\e[2J'" + why);
            JsonNode json = new ObjectMapper().readTree(cli.run("tail", "-n", "2", "--json", "--db", file.toString())
                    .out());
            assertThat(json.get(0).get("role").asText()).isEqualTo("tool");
            assertThat(json.get(0).get("roleAjAccepts").asBoolean(true)).isFalse();

            Cli.Result search = cli.run("search", "toolish", "--db", file.toString());
            assertThat(search.code()).isEqualTo(ExitCodes.FILE);
            assertThat(search.err()).isEqualTo("aj-sessions: message 10 in " + file + " has role 'tool'; aj accepts"
                    + " only system, user, assistant and panics on it (aj-sessions doctor lists every such row)\n");
        }
    }

    @Nested
    class LargeMessages {

        @Test
        void aMessageAbove20MillionCharactersGoesOutAndBack() throws Exception {
            Path file = ajFile();
            StringBuilder big = new StringBuilder(21_000_010);
            big.append("ünï 🎉 ");
            while (big.length() < 21_000_000) {
                big.append("abcdefghij");
            }
            String content = big.toString();
            try (Connection c = new AjClient(file).connect();
                 PreparedStatement ps = c.prepareStatement("INSERT INTO messages (role, content, dynamic,"
                         + " conversation_id) VALUES ('user', ?, 0, 1)")) {
                ps.setString(1, content);
                ps.executeUpdate();
            }
            big = null;
            Path export = dir.resolve("big.json");
            assertThat(cli.run("export", "-o", export.toString(), "--db", file.toString()).code()).isZero();
            Path copy = dir.resolve("copy.db");
            Cli.Result imported = cli.run("--db", copy.toString(), "import", export.toString());
            assertThat(imported.code()).as(imported.err()).isZero();
            assertThat(imported.out()).startsWith("imported 1 session(s), 6 message(s)");
            try (Connection c = new AjClient(copy).connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT length(content), CAST(content AS BLOB) FROM messages"
                         + " WHERE id = 6")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(content.codePointCount(0, content.length()));
                assertThat(sha256(rs.getBytes(2))).isEqualTo(sha256(content.getBytes(StandardCharsets.UTF_8)));
            }
        }
    }
}
