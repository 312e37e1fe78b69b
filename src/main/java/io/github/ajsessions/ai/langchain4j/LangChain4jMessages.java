package io.github.ajsessions.ai.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import io.github.ajsessions.ai.ChatRow;
import io.github.ajsessions.ai.ToolMarkers;
import java.util.ArrayList;
import java.util.List;

/**
 * LangChain4j's messages to aj's rows and back. User, system and AI messages are rows of their role;
 * an AI message with tool execution requests and a tool execution result are {@code assistant} rows in
 * {@link ToolMarkers}' format. Not kept: a user's name, an AI message's thinking text and attributes, a
 * tool result's attributes; a user message that is not one text (images, several parts) is refused.
 */
final class LangChain4jMessages {

    private LangChain4jMessages() {
    }

    /**
     * @return the rows of {@code messages}, in order
     * @throws IllegalArgumentException a null list or message, a user message that is not one text, or a
     *                                  message type aj cannot hold ({@code CUSTOM})
     */
    static List<ChatRow> toRows(List<? extends ChatMessage> messages) {
        if (messages == null) {
            throw new IllegalArgumentException("messages must not be null");
        }
        List<ChatRow> rows = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            if (m == null) {
                throw new IllegalArgumentException("message " + i + " must not be null");
            }
            if (m instanceof UserMessage user) {
                if (!user.hasSingleText()) {
                    throw new IllegalArgumentException("message " + i + " is a user message with " + user.contents().size()
                            + " parts or a part that is not text: aj's messages hold one text");
                }
                rows.add(ChatRow.user(user.singleText()));
            } else if (m instanceof SystemMessage system) {
                rows.add(ChatRow.system(system.text()));
            } else if (m instanceof AiMessage ai) {
                if (ai.hasToolExecutionRequests()) {
                    List<ToolMarkers.ToolCall> calls = new ArrayList<>();
                    for (ToolExecutionRequest request : ai.toolExecutionRequests()) {
                        calls.add(new ToolMarkers.ToolCall(request.id(), null, request.name(), request.arguments()));
                    }
                    rows.add(ChatRow.assistant(ToolMarkers.toolCalls(new ToolMarkers.ToolCalls(ai.text(), calls))));
                } else {
                    rows.add(ChatRow.assistant(ToolMarkers.text(ai.text() == null ? "" : ai.text())));
                }
            } else if (m instanceof ToolExecutionResultMessage result) {
                rows.add(ChatRow.assistant(ToolMarkers.toolResult(new ToolMarkers.ToolResult(result.id(),
                        result.toolName(), result.text() == null ? "" : result.text(), result.isError()))));
            } else {
                throw new IllegalArgumentException("message " + i + " is of a type aj cannot hold: " + m.type()
                        + " (" + m.getClass().getName() + "); aj stores user, system and AI messages, tool"
                        + " execution requests and results");
            }
        }
        return rows;
    }

    /** @return the messages of {@code rows}, one per row; a blank system row is left out (LangChain4j refuses one) */
    static List<ChatMessage> fromRows(List<ChatRow> rows) {
        List<ChatMessage> out = new ArrayList<>(rows.size());
        for (ChatRow row : rows) {
            switch (row.role()) {
                case USER -> out.add(UserMessage.from(row.content()));
                case SYSTEM -> {
                    if (!row.content().isBlank()) {
                        out.add(SystemMessage.from(row.content()));
                    }
                }
                case ASSISTANT -> out.add(assistant(ToolMarkers.decode(row.content())));
            }
        }
        return out;
    }

    private static ChatMessage assistant(ToolMarkers.Decoded decoded) {
        if (decoded instanceof ToolMarkers.ToolCalls calls) {
            List<ToolExecutionRequest> requests = new ArrayList<>();
            for (ToolMarkers.ToolCall call : calls.calls()) {
                requests.add(ToolExecutionRequest.builder().id(call.id()).name(call.name()).arguments(call.arguments())
                        .build());
            }
            return AiMessage.builder().text(calls.text()).toolExecutionRequests(requests).build();
        }
        if (decoded instanceof ToolMarkers.ToolResult result) {
            return ToolExecutionResultMessage.builder().id(result.id()).toolName(result.name()).text(result.result())
                    .isError(result.error()).build();
        }
        return AiMessage.from(((ToolMarkers.Text) decoded).text());
    }
}
