package io.github.ajsessions.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ajsessions.core.ImportProblem;
import io.github.ajsessions.core.InvalidExportException;
import io.github.ajsessions.internal.tables.AjTables;
import io.github.ajsessions.model.MessageRecord;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.testkit.AjSessionsExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The export's message fields come from the table home: every column of messages but conversation_id. */
@ExtendWith(AjSessionsExtension.class)
class ExportFieldsTest {

    @Test
    void theExportCarriesEveryColumnOfMessagesButTheConversation(SessionStore store) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Connection c = store.dataSource().getConnection();
             ResultSet rs = c.createStatement().executeQuery("PRAGMA table_info(messages)")) {
            while (rs.next()) {
                columns.add(rs.getString("name"));
            }
        }
        columns.remove("conversation_id");
        assertThat(AjTables.MESSAGE_EXPORT_FIELDS).extracting(AjTables.ExportField::name)
                .containsExactlyElementsOf(columns);
    }

    @Test
    void aMessageIsWrittenWithEveryFieldAndReadBackEqual(SessionStore store) throws Exception {
        String json = "{\"format\":\"aj-sessions-export\",\"version\":1,\"secrets\":false,\"sessions\":[{\"id\":5,"
                + "\"name\":\"s\",\"messages\":[{\"id\":6,\"role\":\"system\",\"content\":\"p\",\"dynamic\":false},"
                + "{\"id\":7,\"role\":\"user\",\"content\":\"hi\",\"dynamic\":true,"
                + "\"later\":{\"x\":1}},{\"role\":\"assistant\",\"content\":\"yo\"}],\"configs\":[]}]}";
        // a field the build does not know, a missing id or dynamic: refused by default, named, and read as
        // an import allowing warnings would write them
        assertThatThrownBy(() -> store.transfer().readJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(InvalidExportException.class);
        SessionTransfer.CheckedExport checked = SessionTransfer.readAndCheck(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        assertThat(checked.problems()).extracting(ImportProblem::describeWithRemedy).containsExactly(
                "session 's' (id 5), message #2 (id 7): unknown field \"later\"; field ignored",
                "session 's' (id 5), message #3: \"id\" is missing; imported under a new id",
                "session 's' (id 5), message #3: \"dynamic\" is missing; stored as false, as aj writes it");
        assertThat(checked.data().sessions().get(0).messages()).containsExactly(
                new MessageRecord(6, null, Role.SYSTEM, "p", false),
                new MessageRecord(7, null, Role.USER, "hi", true),
                new MessageRecord(0, null, Role.ASSISTANT, "yo", false));

        store.findOrCreateSession("t", Preamble.defaults());
        store.appendTurn("t", "q", "a");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.transfer().exportJson(List.of("t"), false, out, Progress.NONE);
        JsonNode message = new ObjectMapper().readTree(out.toByteArray()).get("sessions").get(0).get("messages")
                .get(3);
        List<String> names = new ArrayList<>();
        message.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("id", "role", "content", "dynamic");
        assertThat(message.get("role").asText()).isEqualTo("user");
        assertThat(message.get("content").asText()).isEqualTo("q");
        assertThat(message.get("dynamic").isBoolean()).isTrue();
        assertThat(message.get("dynamic").asBoolean()).isFalse();
    }
}
