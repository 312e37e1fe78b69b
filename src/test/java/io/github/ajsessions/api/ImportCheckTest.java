package io.github.ajsessions.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ajsessions.api.SessionTransfer.CheckedExport;
import io.github.ajsessions.api.SessionTransfer.ExportData;
import io.github.ajsessions.api.SessionTransfer.ExportSession;
import io.github.ajsessions.api.SessionTransfer.ImportResult;
import io.github.ajsessions.api.SessionTransfer.OnExisting;
import io.github.ajsessions.core.ImportProblem;
import io.github.ajsessions.core.InvalidDataException;
import io.github.ajsessions.core.InvalidExportException;
import io.github.ajsessions.model.MessageRecord;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.model.SessionRecord;
import io.github.ajsessions.model.SessionSummary;
import io.github.ajsessions.testkit.AjSessionsExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The library's side of import and export checks: the same rules as the CLI, reached through
 * {@link SessionTransfer#readAndCheck}, {@link SessionTransfer#importJson}, {@link SessionTransfer#importData}
 * with records built in code, and {@link SessionTransfer.Anomalies} on export.
 */
@ExtendWith(AjSessionsExtension.class)
class ImportCheckTest {

    static final String KEY = "sk-IMPORT-CHECK-5e1d";

    static InputStream json(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    static MessageRecord m(long id, Role role) {
        return new MessageRecord(id, null, role, role.dbValue() + " text", false);
    }

    static ExportSession session(long id, String name, MessageRecord... messages) {
        return new ExportSession(new SessionRecord(id, name), List.of(messages), List.of());
    }

    static ExportSession preamble(long id, String name, long first) {
        return session(id, name, m(first, Role.SYSTEM), m(first + 1, Role.USER), m(first + 2, Role.ASSISTANT));
    }

    @Test
    void readAndCheckNeedsNoDatabaseAndListsEveryProblem() {
        CheckedExport checked = SessionTransfer.readAndCheck(json("{\"format\":\"aj-sessions-export\",\"version\":1,"
                + "\"sessions\":[{\"id\":1,\"name\":\"a\",\"messages\":[{\"id\":1,\"role\":\"system\",\"content\":\"s\","
                + "\"dynamic\":\"yes\"}],\"configs\":[]}]}"));
        assertThat(checked.problems()).extracting(ImportProblem::describeWithRemedy).containsExactly(
                "session 'a' (id 1), message #1 (id 1): \"dynamic\" is a string, not true or false; stored as false,"
                        + " as aj writes it",
                "session 'a' (id 1): has 1 message(s), fewer than aj's 3 preamble rows (aj panics when it loads it; 0"
                        + " is fine); session skipped");
        assertThat(checked.data().sessions()).isEmpty();
    }

    @Test
    void importJsonRefusesTheWholeInputAndWritesNothing(SessionStore store, Path file) {
        store.findOrCreateSession("kept", Preamble.defaults());
        String input = "{\"format\":\"aj-sessions-export\",\"version\":2,\"sessions\":["
                + "{\"id\":5,\"name\":\"fine\",\"messages\":[],\"configs\":[]},"
                + "{\"id\":6,\"name\":\"bad\",\"messages\":[],\"configs\":[{\"id\":9,\"api_base\":\"b\",\"api_key\":\""
                + KEY + "\",\"model\":\"m\",\"context_max_tokens\":1099511627776,"
                + "\"assistant_minimum_context_tokens\":1,\"stop_words\":\"\"}]}]}";
        assertThatThrownBy(() -> store.transfer().importJson(json(input), OnExisting.REFUSE, null))
                .isInstanceOfSatisfying(InvalidExportException.class, e -> {
                    assertThat(e.problems()).hasSize(1);
                    assertThat(e.database()).isEqualTo(file);
                })
                .hasMessage("the export has 1 problem(s) aj cannot live with; nothing was imported (an import allowing"
                        + " warnings imports what aj can use and skips or repairs the rest): session 'bad' (id 6),"
                        + " config snapshot #1 (id 9): \"context_max_tokens\" is 1099511627776, outside aj's range"
                        + " -2147483648 to 2147483647 (a 32-bit integer)")
                .message().doesNotContain(KEY);
        assertThat(store.listSessions()).extracting(SessionSummary::name).containsExactly("kept");

        ImportResult r = store.transfer().importJson(json(input), OnExisting.REFUSE, true, null);
        assertThat(r.sessions()).isEqualTo(2);
        assertThat(r.configs()).isZero();
        assertThat(r.warnings()).containsExactly("session 'bad' (id 6), config snapshot #1 (id 9):"
                + " \"context_max_tokens\" is 1099511627776, outside aj's range -2147483648 to 2147483647 (a 32-bit"
                + " integer); row skipped");
    }

    @Test
    void importDataChecksRecordsBuiltInCode(SessionStore store) {
        ExportData twoRows = new ExportData(List.of(session(1, "two", m(1, Role.SYSTEM), m(2, Role.USER))), List.of(),
                List.of());
        assertThatThrownBy(() -> store.transfer().importData(twoRows, OnExisting.REFUSE, null))
                .isInstanceOf(InvalidExportException.class)
                .hasMessageEndingWith(": session 'two' (id 1): has 2 message(s), fewer than aj's 3 preamble rows (aj"
                        + " panics when it loads it; 0 is fine)");
        ExportData bigIds = new ExportData(List.of(preamble(1, "big", 2_147_483_646L)), List.of(), List.of());
        assertThatThrownBy(() -> store.transfer().importData(bigIds, OnExisting.REFUSE, null))
                .isInstanceOfSatisfying(InvalidExportException.class, e -> assertThat(e.problems())
                        .extracting(ImportProblem::describe).containsExactly(
                                "session 'big' (id 1), message #3 (id 2147483648): \"id\" is 2147483648, above aj's"
                                        + " largest id 2147483647 (aj reads ids as 32-bit integers)"));
        ExportData lone = new ExportData(List.of(preamble(1, "x", 1)), List.of(new MessageRecord(9, 77L, Role.USER,
                "a\uD800b", false)), List.of());
        CheckedExport checked = SessionTransfer.check(lone);
        assertThat(checked.problems()).extracting(ImportProblem::describe).containsExactly(
                "unattached message #1 (id 9): \"content\" has a lone surrogate at character 2 of 3 (not UTF-8 text)",
                "unattached message #1 (id 9): \"conversation_id\" is 77, a conversation that is not in the export (the"
                        + " row was orphaned in the exported file; foreign keys refuse it)");
        assertThat(store.listSessions()).isEmpty();

        ImportResult r = store.transfer().importChecked(checked, OnExisting.REFUSE, true, null);
        assertThat(r.messages()).isEqualTo(4);
        assertThat(r.warnings()).hasSize(2);
        assertThat(store.history("x")).extracting(MessageRecord::role)
                .containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT);
    }

    @Test
    void readJsonRefusesAnInputWithProblemsAndQuotesNoToken(SessionStore store, Path file) {
        assertThatThrownBy(() -> store.transfer().readJson(json("{\"format\":\"aj-sessions-export\",\"x\":" + KEY)))
                .isInstanceOf(InvalidExportException.class)
                .hasMessage("malformed export at line 1, column 36: unexpected text (a value must be a string in double"
                        + " quotes, a number, true, false or null); nothing was imported");
    }

    @Test
    void exportRefusesOrConvertsRowsItCannotHoldExactly(SessionStore store, Path file) throws Exception {
        store.findOrCreateSession("s", Preamble.defaults());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute("INSERT INTO messages (id, role, content, dynamic, conversation_id) VALUES"
                    + " (10, 'user', X'6869', 3, 1)");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> store.transfer().exportJson(List.of("s"), false, out, null))
                .isInstanceOf(InvalidDataException.class)
                .hasMessage("cannot export " + file + " exactly: messages row 10: content is a BLOB of 2 bytes (aj reads"
                        + " the bytes as text), dynamic is 3, not 0 or 1 (aj reads any non-zero number as true)"
                        + " (aj-sessions doctor lists every such row; export --convert writes them converted); nothing"
                        + " was exported");
        assertThat(out.size()).isZero();
        List<String> converted = store.transfer().exportJson(List.of("s"), false, SessionTransfer.Anomalies.CONVERT,
                out, null);
        assertThat(converted).containsExactly("messages row 10: content is a BLOB of 2 bytes (aj reads the bytes as"
                + " text), dynamic is 3, not 0 or 1 (aj reads any non-zero number as true)");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"id\" : 10,\n          \"role\" : \"user\",\n"
                + "          \"content\" : \"hi\",\n          \"dynamic\" : true");
    }
}
