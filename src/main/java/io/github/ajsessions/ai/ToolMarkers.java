package io.github.ajsessions.ai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How tool calls and tool results are kept in aj's file, which knows only {@code system}, {@code user}
 * and {@code assistant} (aj panics on any other role). Both are folded into an {@code assistant} row whose
 * text is a marker and one line of JSON, which the adapters read back into the framework's own type; aj
 * itself sends such a row to its model as the assistant's text, so the model still sees what was called
 * and what came back. Exact format (keys in this order; a JSON {@code null} for a missing id or name):
 *
 * <pre>
 * [aj-sessions:tool-calls] {"text":"Let me look.","calls":[{"id":"call_1","name":"weather","arguments":"{\"city\":\"Paris\"}"}]}
 * [aj-sessions:tool-result] {"id":"call_1","name":"weather","result":"18 °C"}
 * </pre>
 *
 * <ul>
 *   <li>{@value #TOOL_CALLS}: an assistant message that asks for tool calls. {@code "text"} is present
 *       only when the message has non-empty text; a call's {@code "type"} only when it is not
 *       {@code function}.</li>
 *   <li>{@value #TOOL_RESULT}: one tool result. {@code "error"} is present only when the framework
 *       says whether the tool failed (LangChain4j). A Spring AI tool response message with several
 *       results is one row per result.</li>
 *   <li>{@value #TEXT}: prefixed to a plain assistant text that itself starts with {@value #PREFIX},
 *       so that it reads back as that text and not as a tool row.</li>
 * </ul>
 * A row that starts with a marker but does not hold the JSON described (for example a model's reply
 * stored by aj) reads back as plain assistant text.
 */
public final class ToolMarkers {

    /** What every marker starts with. */
    public static final String PREFIX = "[aj-sessions:";
    /** The marker of an assistant row holding tool calls, followed by a space and the JSON. */
    public static final String TOOL_CALLS = "[aj-sessions:tool-calls]";
    /** The marker of an assistant row holding one tool result, followed by a space and the JSON. */
    public static final String TOOL_RESULT = "[aj-sessions:tool-result]";
    /** The marker of a plain assistant text that starts with {@link #PREFIX}, followed by a space and the text. */
    public static final String TEXT = "[aj-sessions:text]";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A tool call as the model asked for it.
     *
     * @param id        the call's id (may be null)
     * @param type      the call's type, {@code null} for {@code function}
     * @param name      the tool's name
     * @param arguments the arguments, usually a JSON text
     */
    public record ToolCall(String id, String type, String name, String arguments) {
    }

    /**
     * An assistant message that asks for tool calls.
     *
     * @param text  its text, {@code null} when it has none
     * @param calls the calls, in order
     */
    public record ToolCalls(String text, List<ToolCall> calls) implements Decoded {
        /** Copies the list. */
        public ToolCalls {
            calls = List.copyOf(calls);
        }
    }

    /**
     * One tool result.
     *
     * @param id     the id of the call it answers (may be null)
     * @param name   the tool's name (may be null)
     * @param result the result text
     * @param error  whether the tool failed, {@code null} when the framework does not say
     */
    public record ToolResult(String id, String name, String result, Boolean error) implements Decoded {
    }

    /**
     * Plain assistant text.
     *
     * @param text the text
     */
    public record Text(String text) implements Decoded {
    }

    /** What an assistant row holds. */
    public sealed interface Decoded permits Text, ToolCalls, ToolResult {
    }

    private ToolMarkers() {
    }

    /** @return the assistant row's text for a plain assistant text: the text, escaped when it starts with {@link #PREFIX} */
    public static String text(String text) {
        Objects.requireNonNull(text, "text must not be null");
        return text.startsWith(PREFIX) ? TEXT + " " + text : text;
    }

    /** @return the assistant row's text for an assistant message with tool calls */
    public static String toolCalls(ToolCalls calls) {
        ObjectNode node = JSON.createObjectNode();
        if (calls.text() != null && !calls.text().isEmpty()) {
            node.put("text", calls.text());
        }
        ArrayNode array = node.putArray("calls");
        for (ToolCall call : calls.calls()) {
            ObjectNode c = array.addObject();
            c.put("id", call.id());
            if (call.type() != null && !call.type().equals("function")) {
                c.put("type", call.type());
            }
            c.put("name", call.name());
            c.put("arguments", call.arguments());
        }
        return TOOL_CALLS + " " + write(node);
    }

    /** @return the assistant row's text for one tool result */
    public static String toolResult(ToolResult result) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", result.id());
        node.put("name", result.name());
        node.put("result", result.result());
        if (result.error() != null) {
            node.put("error", result.error().booleanValue());
        }
        return TOOL_RESULT + " " + write(node);
    }

    /** @return what an assistant row's text holds: tool calls, a tool result, or plain text */
    public static Decoded decode(String content) {
        if (!content.startsWith(PREFIX)) {
            return new Text(content);
        }
        try {
            if (content.startsWith(TOOL_CALLS + " ")) {
                JsonNode node = JSON.readTree(content.substring(TOOL_CALLS.length() + 1));
                JsonNode array = node.get("calls");
                if (node.isObject() && array != null && array.isArray()) {
                    List<ToolCall> calls = new ArrayList<>(array.size());
                    for (JsonNode c : array) {
                        calls.add(new ToolCall(string(c, "id"), string(c, "type"), string(c, "name"),
                                string(c, "arguments")));
                    }
                    return new ToolCalls(string(node, "text"), calls);
                }
            } else if (content.startsWith(TOOL_RESULT + " ")) {
                JsonNode node = JSON.readTree(content.substring(TOOL_RESULT.length() + 1));
                if (node.isObject() && node.has("result")) {
                    JsonNode error = node.get("error");
                    return new ToolResult(string(node, "id"), string(node, "name"), string(node, "result"),
                            error == null || !error.isBoolean() ? null : error.booleanValue());
                }
            } else if (content.startsWith(TEXT + " ")) {
                return new Text(content.substring(TEXT.length() + 1));
            }
        } catch (JsonProcessingException | RuntimeException e) {
            // not a row written here (aj stores a model's reply as it came): plain text
        }
        return new Text(content);
    }

    private static String string(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a tool row as JSON", e);
        }
    }
}
