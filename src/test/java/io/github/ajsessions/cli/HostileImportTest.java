package io.github.ajsessions.cli;

import static io.github.ajsessions.cli.AjFiles.CANARY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ajsessions.AjClient;
import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.testkit.AjDatabases;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Import accepts only what aj can live with: each hostile input is refused whole with every problem
 * named, before the file is opened, leaving a file the tool never opened byte-identical (SHA-256) and
 * no side file behind; {@code --allow-warnings} imports what aj can use. Parse errors give a line and a
 * column and never the input's text.
 */
class HostileImportTest {

    static final String HEADLINE = ": %d problem(s) aj cannot live with; nothing was imported"
            + " (--allow-warnings imports what aj can use and skips or repairs the rest)";

    @TempDir
    Path dir;

    final Cli cli = new Cli();
    final ObjectMapper json = new ObjectMapper();

    /** A file as aj makes it (two sessions), never opened by this tool. */
    Path ajFile() throws Exception {
        Path file = dir.resolve("aj.db");
        if (Files.exists(file)) {
            return file; // a refusal before left it as it was
        }
        AjDatabases.create(file, SchemaVariant.AJ_INIT);
        AjClient aj = new AjClient(file);
        aj.turn("research", "What is WAL?", "Write-ahead logging.");
        aj.turn("groceries", "Milk", "Noted.");
        return file;
    }

    // ---------------------------------------------------------------------------------------------
    // building exports

    ObjectNode export(ObjectNode... sessions) {
        ObjectNode root = json.createObjectNode().put("format", "aj-sessions-export").put("version", 2)
                .put("secrets", false);
        ArrayNode list = root.putArray("sessions");
        Stream.of(sessions).forEach(list::add);
        ObjectNode unattached = root.putObject("unattached");
        unattached.putArray("messages");
        unattached.putArray("configs");
        return root;
    }

    ObjectNode session(long id, String name, ObjectNode... messages) {
        ObjectNode s = json.createObjectNode().put("id", id).put("name", name);
        ArrayNode list = s.putArray("messages");
        Stream.of(messages).forEach(list::add);
        s.putArray("configs");
        return s;
    }

    ObjectNode msg(long id, String role, String content) {
        return json.createObjectNode().put("id", id).put("role", role).put("content", content).put("dynamic", false);
    }

    /** A session aj can continue: its preamble, then one turn; message ids from {@code first}. */
    ObjectNode good(long id, String name, long first) {
        return session(id, name, msg(first, "system", "You are helpful."), msg(first + 1, "user", "{\"brain\":1}"),
                msg(first + 2, "assistant", "Ok"), msg(first + 3, "user", "hi"), msg(first + 4, "assistant", "hello"));
    }

    ObjectNode config(long id) {
        return json.createObjectNode().put("id", id).put("api_base", "http://localhost/v1").put("model", "llama")
                .put("context_max_tokens", 8192).put("assistant_minimum_context_tokens", 1024)
                .put("stop_words", "</s>");
    }

    Path write(String text) throws Exception {
        return Files.writeString(dir.resolve("in.json"), text);
    }

    Path write(ObjectNode export) throws Exception {
        return write(json.writerWithDefaultPrettyPrinter().writeValueAsString(export));
    }

    /** A snapshot of the folder: each file with its SHA-256. */
    List<String> folder() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> !f.getFileName().toString().equals("in.json")).sorted()
                    .map(f -> {
                        try {
                            return f.getFileName() + "=" + HostileFilesTest.sha256(f);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }).toList();
        }
    }

    /** Imports {@code input} into a file the tool never opened; asserts exit 3, exactly these lines, file unchanged. */
    void refused(Path input, String... problems) throws Exception {
        Path file = ajFile();
        List<String> before = folder();
        Cli.Result r = cli.run("--db", file.toString(), "import", input.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.FILE);
        StringBuilder expected = new StringBuilder("aj-sessions: cannot import " + input
                + String.format(HEADLINE, problems.length) + "\n");
        for (String p : problems) {
            expected.append("  ").append(p).append('\n');
        }
        assertThat(r.err()).isEqualTo(expected.toString());
        assertThat(r.out()).isEmpty();
        assertThat(folder()).isEqualTo(before);
    }

    /** As {@link #refused}, for an input refused by a one-line error. */
    void refusedWith(Path input, String error) throws Exception {
        Path file = ajFile();
        List<String> before = folder();
        Cli.Result r = cli.run("--db", file.toString(), "import", input.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.FILE);
        assertThat(r.err()).isEqualTo("aj-sessions: cannot import " + input + ": " + error + "\n");
        assertThat(folder()).isEqualTo(before);
    }

    @Nested
    class SessionsAjPanicsOn {

        @Test
        void aSessionOfOneMessage() throws Exception {
            refused(write(export(good(1, "ok", 1), session(2, "short", msg(6, "system", "s")))),
                    "session 'short' (id 2): has 1 message(s), fewer than aj's 3 preamble rows (aj panics when it"
                            + " loads it; 0 is fine)");
        }

        @Test
        void aSessionOfTwoMessages() throws Exception {
            refused(write(export(session(1, "two", msg(1, "system", "s"), msg(2, "user", "u")))),
                    "session 'two' (id 1): has 2 message(s), fewer than aj's 3 preamble rows (aj panics when it"
                            + " loads it; 0 is fine)");
        }

        @Test
        void aSessionWhoseFirstRolesAreNotThePreamble() throws Exception {
            refused(write(export(session(1, "swapped", msg(1, "user", "u"), msg(2, "system", "s"),
                            msg(3, "assistant", "Ok")))),
                    "session 'swapped' (id 1): starts with roles [user, system, assistant], not aj's preamble"
                            + " [system, user, assistant] (aj panics when it loads it)");
        }

        @Test
        void aRoleAjDoesNotKnowAndAMissingRole() throws Exception {
            ObjectNode noRole = msg(9, "user", "c");
            noRole.remove("role");
            ObjectNode s = good(1, "tools", 1);
            ((ArrayNode) s.get("messages")).add(msg(6, "tool", "c")).add(noRole);
            refused(write(export(s)),
                    "session 'tools' (id 1), message #6 (id 6): \"role\" is 'tool', not one of system, user,"
                            + " assistant (aj panics on it)",
                    "session 'tools' (id 1), message #7 (id 9): \"role\" is missing");
        }

        @Test
        void anEmptySessionIsFine() throws Exception {
            Path file = ajFile();
            Cli.Result r = cli.run("--db", file.toString(), "import", write(export(session(7, "empty"))).toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo("imported 1 session(s), 0 message(s), 0 config snapshot(s) with their ids\n");
        }
    }

    @Nested
    class IdsAjCannotRead {

        @Test
        void idsFrom2Pow31AndBelow1() throws Exception {
            ObjectNode s = good(2147483648L, "big", 2147483647L);
            ObjectNode c = config(-5);
            ((ArrayNode) s.get("configs")).add(c);
            ObjectNode zero = good(3, "zero", 100);
            ((ObjectNode) zero.get("messages").get(0)).put("id", 0);
            refused(write(export(s, zero)),
                    "session 'big' (id 2147483648), config snapshot #1: \"id\" is -5, not a positive id",
                    "session 'zero' (id 3), message #1: \"id\" is 0, not a positive id",
                    "session 'big' (id 2147483648): \"id\" is 2147483648, above aj's largest id 2147483647 (aj reads"
                            + " ids as 32-bit integers)",
                    "session 'big' (id 2147483648), message #2 (id 2147483648): \"id\" is 2147483648, above aj's"
                            + " largest id 2147483647 (aj reads ids as 32-bit integers)",
                    "session 'big' (id 2147483648), message #3 (id 2147483649): \"id\" is 2147483649, above aj's"
                            + " largest id 2147483647 (aj reads ids as 32-bit integers)",
                    "session 'big' (id 2147483648), message #4 (id 2147483650): \"id\" is 2147483650, above aj's"
                            + " largest id 2147483647 (aj reads ids as 32-bit integers)",
                    "session 'big' (id 2147483648), message #5 (id 2147483651): \"id\" is 2147483651, above aj's"
                            + " largest id 2147483647 (aj reads ids as 32-bit integers)");
        }

        @Test
        void anIdTooLargeForAnyIntegerAndOneThatIsNotANumber() throws Exception {
            String text = json.writeValueAsString(export(good(1, "s", 1))).replace("\"id\":1,\"role\"",
                    "\"id\":99999999999999999999999,\"role\"").replace("\"id\":2,", "\"id\":\"two\",");
            refused(write(text),
                    "session 's' (id 1), message #1: \"id\" is 99999999999999999999999, above aj's largest id"
                            + " 2147483647",
                    "session 's' (id 1), message #2: \"id\" is a string, not an integer");
        }

        @Test
        void duplicateIdsAndDuplicateSessionNames() throws Exception {
            refused(write(export(good(1, "a", 1), good(2, "b", 5), good(3, "a", 20))),
                    "session 'b' (id 2), message #1 (id 5): \"id\" 5 repeats an earlier row of the same table",
                    "session 'a' (id 3): \"name\" repeats an earlier session of the export");
        }
    }

    @Nested
    class ValuesAjWouldStoreWrong {

        @Test
        void dynamicThatIsNotABoolean() throws Exception {
            ObjectNode s = good(1, "d", 1);
            ((ObjectNode) s.get("messages").get(3)).put("dynamic", "yes");
            ((ObjectNode) s.get("messages").get(4)).put("dynamic", 1);
            refused(write(export(s)),
                    "session 'd' (id 1), message #4 (id 4): \"dynamic\" is a string, not true or false",
                    "session 'd' (id 1), message #5 (id 5): \"dynamic\" is a number, not true or false");
        }

        @Test
        void loneSurrogatesInContentNameAndKey() throws Exception {
            ObjectNode s = good(1, "LONE-NAME", 1);
            ((ObjectNode) s.get("messages").get(3)).put("content", "abcLONE-HIGH");
            ObjectNode c = config(1).put("api_key", "sk-LONE-LOW");
            ObjectNode t = good(2, "t", 10);
            ((ArrayNode) t.get("configs")).add(c);
            String text = json.writeValueAsString(export(s, t)).replace("LONE-NAME", "n\\udc00")
                    .replace("LONE-HIGH", "\\ud83d").replace("LONE-LOW", "\\udc00" + CANARY);
            refused(write(text),
                    "session 'n\\udc00' (id 1): \"name\" has a lone surrogate at character 2 (not UTF-8 text)",
                    "session 't' (id 2), config snapshot #1 (id 1): \"api_key\" has a lone surrogate at character 4"
                            + " (not UTF-8 text)");
            assertThat(cli.everything()).doesNotContain(CANARY);
            // the content's surrogate, once the name is fine
            refused(write(text.replace("n\\udc00", "n")),
                    "session 'n' (id 1), message #4 (id 4): \"content\" has a lone surrogate at character 4 of 4 (not"
                            + " UTF-8 text)",
                    "session 't' (id 2), config snapshot #1 (id 1): \"api_key\" has a lone surrogate at character 4"
                            + " (not UTF-8 text)");
        }

        @Test
        void tokenCountsOutsideAjsThirtyTwoBits() throws Exception {
            ObjectNode s = good(1, "c", 1);
            ((ArrayNode) s.get("configs")).add(config(1).put("context_max_tokens", 1L << 40))
                    .add(config(2).put("assistant_minimum_context_tokens", -2147483649L))
                    .add(config(3).put("context_max_tokens", 1.5));
            refused(write(export(s)),
                    "session 'c' (id 1), config snapshot #1 (id 1): \"context_max_tokens\" is 1099511627776, outside"
                            + " aj's range -2147483648 to 2147483647 (a 32-bit integer)",
                    "session 'c' (id 1), config snapshot #2 (id 2): \"assistant_minimum_context_tokens\" is"
                            + " -2147483649, outside aj's range -2147483648 to 2147483647 (a 32-bit integer)",
                    "session 'c' (id 1), config snapshot #3 (id 3): \"context_max_tokens\" is a number, not an"
                            + " integer");
        }

        @Test
        void missingAndWronglyTypedRequiredFields() throws Exception {
            ObjectNode s = good(1, "m", 1);
            ((ObjectNode) s.get("messages").get(4)).remove("content");
            ObjectNode t = good(2, "k", 10);
            ((ArrayNode) t.get("configs")).add(config(1).put("model", 7)).add(config(2).without("api_base"));
            ((ObjectNode) t.get("configs").get(0)).putObject("api_key").put("nested", CANARY);
            ObjectNode noName = good(3, "x", 20);
            noName.remove("name");
            refused(write(export(s, t, noName)),
                    "session 'm' (id 1), message #5 (id 5): \"content\" is missing",
                    "session 'k' (id 2), config snapshot #1 (id 1): \"model\" is a number, not a string",
                    "session 'k' (id 2), config snapshot #1 (id 1): \"api_key\" is an object, not a string",
                    "session 'k' (id 2), config snapshot #2 (id 2): \"api_base\" is missing",
                    "session #3 (id 3): \"name\" is missing");
            assertThat(cli.everything()).doesNotContain(CANARY);
        }

        @Test
        void unknownFieldsAreRefusedWithoutEchoingAnOddName() throws Exception {
            ObjectNode s = good(1, "u", 1);
            ((ObjectNode) s.get("messages").get(0)).put("dynamc", true);
            ObjectNode c = config(1);
            c.put(CANARY + "-and-more-text", 1);
            ((ArrayNode) s.get("configs")).add(c);
            ObjectNode root = export(s);
            root.put("comment", "made by hand");
            refused(write(root),
                    "session 'u' (id 1), message #1 (id 1): unknown field \"dynamc\"",
                    "session 'u' (id 1), config snapshot #1 (id 1): an unknown field (a name of 30 characters)",
                    "the export: unknown field \"comment\"");
            assertThat(cli.everything()).doesNotContain(CANARY);
        }

        @Test
        void aKeyInTheRoleFieldIsNotEchoed() throws Exception {
            ObjectNode s = good(1, "r", 1);
            ((ObjectNode) s.get("messages").get(3)).put("role", CANARY + "0123456789abcdef");
            refused(write(export(s)), "session 'r' (id 1), message #4 (id 4): \"role\" is a text of 32 characters,"
                    + " not one of system, user, assistant (aj panics on it)");
            assertThat(cli.everything()).doesNotContain(CANARY);
        }
    }

    @Nested
    class MalformedInput {

        @Test
        void aTruncatedExportGivesLineAndColumn() throws Exception {
            refusedWith(write("{\"format\":\"aj-sessions-export\",\"version\":2,\"sessions\":["),
                    "malformed export at line 1, column 56: unexpected end of input (expected ']'); nothing was"
                            + " imported");
            refusedWith(write("{\"format\":\"aj-sessions-export\",\n\"sessions\":[{\"name\":"),
                    "malformed export at line 2, column 21: unexpected end of input (expected '}'); nothing was"
                            + " imported");
        }

        @Test
        void anUnquotedTokenThatMayBeAKeyIsNeverEchoed() throws Exception {
            refusedWith(write("{\"format\":\"aj-sessions-export\",\"version\":2,\"sessions\":[{\"configs\":[{\"api_key\":"
                            + CANARY + "}]}]}"),
                    "malformed export at line 1, column 79: unexpected text (a value must be a string in double"
                            + " quotes, a number, true, false or null); nothing was imported");
            refusedWith(write("{\"format\":\"aj-sessions-export\",\"" + CANARY + "\":1,\"" + CANARY + "\":2}"),
                    "malformed export at line 1, column 71: a field given twice in one object; nothing was imported");
            assertThat(cli.everything()).doesNotContain(CANARY).doesNotContain("sk-");
        }

        @Test
        void textThatIsNotUtf8AndTrailingText() throws Exception {
            Path bytes = dir.resolve("latin1.json");
            Files.write(bytes, "{\"format\":\"aj-sessions-export\",\"x\":\"\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
            refusedWith(bytes, "malformed export at line 1, column 39: the text is not UTF-8; nothing was imported");
            refusedWith(write("{\"format\":\"aj-sessions-export\",\"version\":2} {}"),
                    "text after the end of the export (line 1, column 45); nothing was imported");
        }

        @Test
        void notAnExportAVersionTooNewAnEmptyInput() throws Exception {
            refusedWith(write("{\"hello\": 1}"), "the input is not an aj-sessions export (its \"format\" is missing,"
                    + " expected 'aj-sessions-export'); nothing was imported");
            refusedWith(write("{\"format\":\"aj-sessions-export\",\"version\":3}"),
                    "the export has version 3; this build reads versions 1 to 2; nothing was imported");
            refusedWith(write(""), "the export is empty; nothing was imported");
            refusedWith(write("[1]"), "an export is a JSON object, this input starts with an array (line 1, column 1);"
                    + " nothing was imported");
        }

        @Test
        void standardInputIsReadTheSameWay() throws Exception {
            Path file = ajFile();
            List<String> before = folder();
            InputStream saved = System.in;
            try {
                System.setIn(new ByteArrayInputStream("{\"format\":\"aj-sessions-export\",\"sessions\":[{\"id\":"
                        .getBytes(StandardCharsets.UTF_8)));
                Cli.Result r = cli.run("--db", file.toString(), "import", "-");
                assertThat(r.code()).isEqualTo(ExitCodes.FILE);
                assertThat(r.err()).isEqualTo("aj-sessions: cannot import standard input: malformed export at line 1,"
                        + " column 50: unexpected end of input (expected '}'); nothing was imported\n");
                System.setIn(new ByteArrayInputStream(json.writeValueAsBytes(export(session(1, "one",
                        msg(1, "system", "s"))))));
                r = cli.run("--db", file.toString(), "import", "-");
                assertThat(r.err()).startsWith("aj-sessions: cannot import standard input: 1 problem(s)");
            } finally {
                System.setIn(saved);
            }
            assertThat(folder()).isEqualTo(before);
        }
    }

    @Nested
    class RefusedBeforeTheFileIsOpened {

        @Test
        void anExistingSessionIntoAFileNeverOpenedLeavesItByteIdentical() throws Exception {
            Path file = ajFile();
            List<String> before = folder();
            Cli.Result r = cli.run("--db", file.toString(), "import", write(export(good(50, "research", 100))).toString());
            assertThat(r.code()).isEqualTo(ExitCodes.REFUSED);
            assertThat(r.err()).isEqualTo("aj-sessions: session(s) 'research' exist already in " + file
                    + "; nothing was imported (choose a policy: skip them or import them under new names)\n");
            assertThat(folder()).isEqualTo(before);
        }

        @Test
        void aValidImportIntoTheSameFileThenWorksAndAjCanContinueIt() throws Exception {
            Path file = ajFile();
            Cli.Result r = cli.run("--db", file.toString(), "import", write(export(good(50, "new", 100))).toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.err()).isEmpty();
            AjClient aj = new AjClient(file);
            aj.turn("new", "more?", "yes");
            assertThat(aj.loadMessages(50)).extracting(AjClient.Row::role)
                    .containsExactly("system", "user", "assistant", "user", "assistant", "user", "assistant");
        }
    }

    @Nested
    class AllowWarnings {

        @Test
        void importsWhatAjCanUseAndNamesEverythingElse() throws Exception {
            ObjectNode shortOne = session(2, "short", msg(20, "system", "s"));
            ObjectNode repaired = good(3, "repaired", 30);
            ((ObjectNode) repaired.get("messages").get(3)).put("dynamic", "yes").put("id", 3000000000L);
            ((ArrayNode) repaired.get("configs")).add(config(7).put("context_max_tokens", 1L << 40)).add(config(8));
            ObjectNode root = export(good(1, "fine", 1), shortOne, repaired);
            Path input = write(json.writeValueAsString(root).replace("\"content\":\"hello\"", "\"content\":\"he\\ud800\""));
            Path file = ajFile();
            Cli.Result r = cli.run("--db", file.toString(), "import", "--allow-warnings", input.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.err().lines().toList()).containsExactly(
                    "warning: session 'repaired' (id 3), message #4 (id 3000000000): \"dynamic\" is a string, not true"
                            + " or false; stored as false, as aj writes it",
                    "warning: session 'repaired' (id 3), config snapshot #1 (id 7): \"context_max_tokens\" is"
                            + " 1099511627776, outside aj's range -2147483648 to 2147483647 (a 32-bit integer); row"
                            + " skipped",
                    "warning: session 'fine' (id 1), message #5 (id 5): \"content\" has a lone surrogate at character 3"
                            + " of 3 (not UTF-8 text); each one stored as U+FFFD",
                    "warning: session 'short' (id 2): has 1 message(s), fewer than aj's 3 preamble rows (aj panics"
                            + " when it loads it; 0 is fine); session skipped",
                    "warning: session 'repaired' (id 3), message #4 (id 3000000000): \"id\" is 3000000000, above aj's largest id"
                            + " 2147483647 (aj reads ids as 32-bit integers); imported under a new id",
                    "warning: session 'repaired' (id 3), message #5 (id 34): \"content\" has a lone surrogate at"
                            + " character 3 of 3 (not UTF-8 text); each one stored as U+FFFD");
            assertThat(r.out()).isEqualTo("imported 2 session(s), 10 message(s), 1 config snapshot(s) under new ids\n");
            AjClient aj = new AjClient(file);
            // every session aj loads starts with its preamble, in order; the repaired rows as aj writes them
            for (String name : List.of("fine", "repaired")) {
                int id = aj.findOrCreateSession(name);
                List<AjClient.Row> rows = aj.loadMessages(id);
                assertThat(rows).extracting(AjClient.Row::role)
                        .containsExactly("system", "user", "assistant", "user", "assistant");
                assertThat(rows.get(4).content()).isEqualTo("he\uFFFD");
                assertThat(rows.get(3).dynamic()).isFalse();
            }
            assertThat(cli.run("doctor", "--db", file.toString()).out()).contains("[ok  ] rows aj would fail on: none");
            assertThat(cli.run("sessions", "--db", file.toString(), "--json").out()).doesNotContain("\"short\"");
        }
    }
}
