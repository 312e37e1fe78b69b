package io.github.ajsessions.ai.springai;

import io.github.ajsessions.ai.ChatRow;
import io.github.ajsessions.ai.ToolMarkers;
import java.util.ArrayList;
import java.util.List;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;

/**
 * Spring AI's messages to aj's rows and back. User, system and assistant messages are rows of their
 * role; an assistant message with tool calls and each response of a tool response message are
 * {@code assistant} rows in {@link ToolMarkers}' format. Not kept: metadata, and media (a message with
 * media is refused: aj stores text).
 */
final class SpringAiMessages {

    private SpringAiMessages() {
    }

    /**
     * @return the rows of {@code messages}, in order
     * @throws IllegalArgumentException a null list or message, a message with media, a tool response
     *                                  message without responses, or a message type aj cannot hold
     */
    static List<ChatRow> toRows(List<? extends Message> messages) {
        if (messages == null) {
            throw new IllegalArgumentException("messages must not be null");
        }
        List<ChatRow> rows = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            if (m == null) {
                throw new IllegalArgumentException("message " + i + " must not be null");
            }
            if (m instanceof UserMessage user) {
                requireNoMedia(i, user.getMedia().isEmpty());
                rows.add(ChatRow.user(text(i, user.getText())));
            } else if (m instanceof SystemMessage system) {
                rows.add(ChatRow.system(text(i, system.getText())));
            } else if (m instanceof AssistantMessage assistant) {
                requireNoMedia(i, assistant.getMedia().isEmpty());
                if (assistant.hasToolCalls()) {
                    List<ToolMarkers.ToolCall> calls = new ArrayList<>();
                    for (AssistantMessage.ToolCall call : assistant.getToolCalls()) {
                        calls.add(new ToolMarkers.ToolCall(call.id(), call.type(), call.name(), call.arguments()));
                    }
                    rows.add(ChatRow.assistant(ToolMarkers.toolCalls(new ToolMarkers.ToolCalls(assistant.getText(), calls))));
                } else {
                    rows.add(ChatRow.assistant(ToolMarkers.text(assistant.getText() == null ? "" : assistant.getText())));
                }
            } else if (m instanceof ToolResponseMessage tool) {
                if (tool.getResponses().isEmpty()) {
                    throw new IllegalArgumentException("message " + i + " is a tool response message without responses");
                }
                for (ToolResponseMessage.ToolResponse response : tool.getResponses()) {
                    rows.add(ChatRow.assistant(ToolMarkers.toolResult(new ToolMarkers.ToolResult(response.id(),
                            response.name(), response.responseData() == null ? "" : response.responseData(), null))));
                }
            } else {
                throw new IllegalArgumentException("message " + i + " is of a type aj cannot hold: "
                        + m.getMessageType() + " (" + m.getClass().getName() + "); aj stores user, system and"
                        + " assistant messages, tool calls and tool responses");
            }
        }
        return rows;
    }

    /** @return the messages of {@code rows}; consecutive tool results make one tool response message */
    static List<Message> fromRows(List<ChatRow> rows) {
        List<Message> out = new ArrayList<>(rows.size());
        List<ToolResponseMessage.ToolResponse> responses = new ArrayList<>();
        for (ChatRow row : rows) {
            ToolMarkers.Decoded decoded = switch (row.role()) {
                case ASSISTANT -> ToolMarkers.decode(row.content());
                default -> null;
            };
            if (decoded instanceof ToolMarkers.ToolResult result) {
                responses.add(new ToolResponseMessage.ToolResponse(result.id(), result.name(), result.result()));
                continue;
            }
            flush(responses, out);
            switch (row.role()) {
                case USER -> out.add(new UserMessage(row.content()));
                case SYSTEM -> out.add(new SystemMessage(row.content()));
                case ASSISTANT -> out.add(assistant(decoded));
            }
        }
        flush(responses, out);
        return out;
    }

    private static Message assistant(ToolMarkers.Decoded decoded) {
        if (decoded instanceof ToolMarkers.ToolCalls calls) {
            List<AssistantMessage.ToolCall> toolCalls = new ArrayList<>();
            for (ToolMarkers.ToolCall call : calls.calls()) {
                toolCalls.add(new AssistantMessage.ToolCall(call.id(), call.type() == null ? "function" : call.type(),
                        call.name(), call.arguments()));
            }
            return AssistantMessage.builder().content(calls.text() == null ? "" : calls.text()).toolCalls(toolCalls)
                    .build();
        }
        return new AssistantMessage(((ToolMarkers.Text) decoded).text());
    }

    private static void flush(List<ToolResponseMessage.ToolResponse> responses, List<Message> out) {
        if (!responses.isEmpty()) {
            out.add(ToolResponseMessage.builder().responses(List.copyOf(responses)).build());
            responses.clear();
        }
    }

    private static String text(int i, String text) {
        if (text == null) {
            throw new IllegalArgumentException("message " + i + " has no text (aj's messages.content is NOT NULL)");
        }
        return text;
    }

    private static void requireNoMedia(int i, boolean none) {
        if (!none) {
            throw new IllegalArgumentException("message " + i + " has media: aj's messages hold text only");
        }
    }
}
