package io.github.ajsessions.ai;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The tool rows' format, without a database. */
class ToolMarkersTest {

    @Test
    void toolCallsWriteTheDocumentedFormatAndReadBack() {
        ToolMarkers.ToolCalls calls = new ToolMarkers.ToolCalls(null, List.of(
                new ToolMarkers.ToolCall("call_1", "function", "weather", "{\"city\":\"Paris\"}"),
                new ToolMarkers.ToolCall(null, "custom", "echo", "hi")));
        String row = ToolMarkers.toolCalls(calls);
        assertThat(row).isEqualTo("[aj-sessions:tool-calls] {\"calls\":[{\"id\":\"call_1\",\"name\":\"weather\","
                + "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"},{\"id\":null,\"type\":\"custom\",\"name\":\"echo\","
                + "\"arguments\":\"hi\"}]}");
        assertThat(ToolMarkers.decode(row)).isEqualTo(new ToolMarkers.ToolCalls(null, List.of(
                new ToolMarkers.ToolCall("call_1", null, "weather", "{\"city\":\"Paris\"}"),
                new ToolMarkers.ToolCall(null, "custom", "echo", "hi"))));
        assertThat(ToolMarkers.toolCalls((ToolMarkers.ToolCalls) ToolMarkers.decode(row))).isEqualTo(row);
    }

    @Test
    void aToolResultKeepsItsErrorFlagOnlyWhenGiven() {
        String row = ToolMarkers.toolResult(new ToolMarkers.ToolResult("c", "t", "boom", true));
        assertThat(row).isEqualTo("[aj-sessions:tool-result] {\"id\":\"c\",\"name\":\"t\",\"result\":\"boom\",\"error\":true}");
        assertThat(ToolMarkers.decode(row)).isEqualTo(new ToolMarkers.ToolResult("c", "t", "boom", true));
        assertThat(ToolMarkers.decode(ToolMarkers.toolResult(new ToolMarkers.ToolResult("c", "t", "ok", null))))
                .isEqualTo(new ToolMarkers.ToolResult("c", "t", "ok", null));
    }

    @Test
    void textThatOnlyLooksLikeAMarkerStaysText() {
        assertThat(ToolMarkers.text("plain")).isEqualTo("plain");
        assertThat(ToolMarkers.text("[aj-sessions:tool-calls] {}")).isEqualTo("[aj-sessions:text] [aj-sessions:tool-calls] {}");
        assertThat(ToolMarkers.decode("[aj-sessions:text] [aj-sessions:tool-calls] {}"))
                .isEqualTo(new ToolMarkers.Text("[aj-sessions:tool-calls] {}"));
        // rows a model wrote through aj: not the JSON described, so plain text
        for (String stored : List.of("[aj-sessions:tool-calls] not json", "[aj-sessions:tool-result] {\"id\":\"x\"}",
                "[aj-sessions:tool-calls] {\"calls\":3}", "[aj-sessions:other] x", "[aj-sessions:tool-result]{}")) {
            assertThat(ToolMarkers.decode(stored)).isEqualTo(new ToolMarkers.Text(stored));
        }
    }
}
