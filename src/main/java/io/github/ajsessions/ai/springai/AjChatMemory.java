package io.github.ajsessions.ai.springai;

import io.github.ajsessions.ai.AjMemory;
import io.github.ajsessions.api.SessionStore;
import java.util.List;
import java.util.Objects;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.messages.Message;

/**
 * Spring AI's {@link ChatMemory} over aj's sessions: the conversation id is the aj session name, and
 * the whole history stays in aj's file, which aj can continue.
 *
 * <pre>{@code
 * ChatMemory memory = new AjChatMemory(AjMemory.builder(store).maxMessages(20).build());
 * ChatClient chat = ChatClient.builder(chatModel)
 *         .defaultAdvisors(MessageChatMemoryAdvisor.builder(memory).build()).build();
 * }</pre>
 *
 * <ul>
 *   <li>{@link #add} appends exactly the messages given, in one {@code BEGIN IMMEDIATE} transaction (a new
 *       conversation first gets aj's preamble, so that aj can continue it). Nothing is read or rewritten:
 *       the cost does not grow with the history.</li>
 *   <li>{@link #get} returns the newest {@link AjMemory#maxMessages()} messages after aj's preamble (which
 *       is never returned), read through the index; a window that would start with tool responses whose
 *       call lies before it starts after them.</li>
 *   <li>{@link #clear} deletes aj's session with its rows and config snapshots only when the memory was
 *       built with {@code allowDelete(true)}; otherwise it throws {@link UnsupportedOperationException}.</li>
 * </ul>
 * Messages map to aj's rows as {@link io.github.ajsessions.ai.ToolMarkers} describes. Thread-safe.
 */
public final class AjChatMemory implements ChatMemory {

    private final AjMemory memory;

    /** A memory over {@code store} with the defaults of {@link AjMemory.Builder}. */
    public AjChatMemory(SessionStore store) {
        this(AjMemory.builder(store).build());
    }

    /** A memory with {@code memory}'s window, preamble and delete policy. */
    public AjChatMemory(AjMemory memory) {
        this.memory = Objects.requireNonNull(memory, "memory must not be null");
    }

    /**
     * Appends {@code messages} to the conversation, all or none.
     *
     * @throws IllegalArgumentException a bad conversation id, a null message, a message with media or of
     *                                  a type aj cannot hold, text that is not valid UTF-16; nothing is written
     */
    @Override
    public void add(String conversationId, List<Message> messages) {
        memory.append(conversationId, SpringAiMessages.toRows(messages));
    }

    /** @return the newest messages after aj's preamble, oldest first; empty for an unknown conversation */
    @Override
    public List<Message> get(String conversationId) {
        return SpringAiMessages.fromRows(memory.read(conversationId));
    }

    /**
     * Deletes the aj session when allowed.
     *
     * @throws UnsupportedOperationException the memory was built without {@code allowDelete(true)}
     */
    @Override
    public void clear(String conversationId) {
        memory.delete(conversationId);
    }

    /** @return the rules this memory applies */
    public AjMemory memory() {
        return memory;
    }

    @Override
    public String toString() {
        return "AjChatMemory{file=" + memory.store().file() + ", maxMessages=" + memory.maxMessages() + "}";
    }
}
