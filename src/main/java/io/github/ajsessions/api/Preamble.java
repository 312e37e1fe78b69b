package io.github.ajsessions.api;

import io.github.ajsessions.model.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The first rows aj expects in a non-empty conversation, in this order: the template's
 * {@code system} prompt, a {@code user} row holding aj's JSON "brain" text that asks for "Ok.", the
 * {@code assistant} reply {@code Ok}, then the template's own seed messages. aj skips the first
 * {@code 3 + template messages} rows as this preamble and panics when a non-empty conversation has
 * fewer; a conversation that aj may later continue must therefore start with this layout, or stay
 * empty until aj writes it.
 *
 * <pre>{@code
 * store.findOrCreateSession("research", Preamble.of("You are a careful research assistant."));
 * store.appendTurn("research", "What is WAL?", "Write-ahead logging ...");
 * }</pre>
 */
public final class Preamble {

    /** The system prompt of aj's default template. */
    public static final String DEFAULT_SYSTEM_PROMPT = "You are a helpful assistant.";

    /** The assistant's answer to the brain row, as aj writes it. */
    public static final String ASSISTANT_ACK = "Ok";

    /** A template seed message: a role and its text. */
    public record TemplateMessage(Role role, String content) {
        /** Validates both fields. */
        public TemplateMessage {
            Objects.requireNonNull(role, "template message role must not be null");
            Objects.requireNonNull(content, "template message content must not be null");
        }
    }

    private final String systemPrompt;
    private final List<TemplateMessage> templateMessages;

    private Preamble(String systemPrompt, List<TemplateMessage> templateMessages) {
        this.systemPrompt = Objects.requireNonNull(systemPrompt, "systemPrompt must not be null");
        this.templateMessages = List.copyOf(templateMessages);
    }

    /** @return aj's default template's preamble (no seed messages) */
    public static Preamble defaults() {
        return new Preamble(DEFAULT_SYSTEM_PROMPT, List.of());
    }

    /** @return the preamble of a template with this system prompt and no seed messages */
    public static Preamble of(String systemPrompt) {
        return new Preamble(systemPrompt, List.of());
    }

    /** @return the preamble of a template with this system prompt and these seed messages */
    public static Preamble of(String systemPrompt, List<TemplateMessage> templateMessages) {
        return new Preamble(systemPrompt, templateMessages);
    }

    /** @return how many rows aj treats as the preamble: {@code 3 + template messages} */
    public int length() {
        return 3 + templateMessages.size();
    }

    /** @return the rows to write, in order */
    public List<TemplateMessage> rows() {
        List<TemplateMessage> rows = new ArrayList<>(length());
        rows.add(new TemplateMessage(Role.SYSTEM, systemPrompt));
        rows.add(new TemplateMessage(Role.USER, brainText(systemPrompt)));
        rows.add(new TemplateMessage(Role.ASSISTANT, ASSISTANT_ACK));
        rows.addAll(templateMessages);
        return rows;
    }

    /** aj's "brain": a JSON text of what the model should remember, and the request to answer "Ok.". */
    static String brainText(String systemPrompt) {
        return "Below is a JSON representation of our conversation leading up to this point. "
                + "Please only respond to this message with \"Ok.\"\n"
                + "{\"about\":\"This JSON object is a representation of our conversation leading up to this point."
                + " This object represents your brain.\",\"memories\":[],\"sessionStart\":true}";
    }

    @Override
    public String toString() {
        return "Preamble{rows=" + length() + "}";
    }
}
