package io.github.ajsessions.ai;

import io.github.ajsessions.model.Role;
import java.util.Objects;

/**
 * A chat message in the form aj stores it: one of aj's three roles and UTF-8 text. The adapters turn
 * their framework's messages into rows (tool calls and results folded into {@code assistant} rows, see
 * {@link ToolMarkers}) and rows back into messages.
 *
 * @param role    {@code system}, {@code user} or {@code assistant}
 * @param content the row's text
 */
public record ChatRow(Role role, String content) {

    /** Rejects a null role or content. */
    public ChatRow {
        Objects.requireNonNull(role, "role must not be null");
        Objects.requireNonNull(content, "content must not be null");
    }

    /** @return a {@code user} row */
    public static ChatRow user(String content) {
        return new ChatRow(Role.USER, content);
    }

    /** @return an {@code assistant} row */
    public static ChatRow assistant(String content) {
        return new ChatRow(Role.ASSISTANT, content);
    }

    /** @return a {@code system} row */
    public static ChatRow system(String content) {
        return new ChatRow(Role.SYSTEM, content);
    }

    @Override
    public String toString() {
        // the text may be private: its length only, as Message#toString does
        return "ChatRow{role=" + role + ", content=" + content.length() + " chars}";
    }
}
