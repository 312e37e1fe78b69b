package io.github.ajsessions.ai.langchain4j;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.store.memory.chat.ChatMemoryStore;
import io.github.ajsessions.ai.AjMemory;
import io.github.ajsessions.ai.HistoryConflictException;
import io.github.ajsessions.api.SessionStore;
import java.util.List;
import java.util.Objects;

/**
 * LangChain4j's {@link ChatMemoryStore} over aj's sessions, for LangChain4j's window memories
 * ({@code MessageWindowChatMemory}, {@code TokenWindowChatMemory}): the memory id's {@code toString()}
 * is the aj session name, and the whole history stays in aj's file, which aj can continue.
 *
 * <pre>{@code
 * ChatMemoryStore store = new AjChatMemoryStore(AjMemory.builder(sessionStore).maxMessages(20).build());
 * ChatMemory memory = MessageWindowChatMemory.builder().id("research").maxMessages(20)
 *         .chatMemoryStore(store).build();
 * }</pre>
 *
 * <ul>
 *   <li>{@link #updateMessages} follows {@link AjMemory#save}: it appends what is new in the list and
 *       deletes nothing that the window evicted; a list that changes a message in the middle is refused
 *       with {@link HistoryConflictException}, nothing written.</li>
 *   <li>{@link #getMessages} returns the newest {@link AjMemory#maxMessages()} messages after aj's
 *       preamble, read through the index; keep it at least the window memory's {@code maxMessages}.</li>
 *   <li>{@link #deleteMessages} (called by {@code ChatMemory.clear()}) deletes aj's session only when the
 *       memory was built with {@code allowDelete(true)}; otherwise it throws
 *       {@link UnsupportedOperationException}.</li>
 * </ul>
 * Messages map to aj's rows as {@link io.github.ajsessions.ai.ToolMarkers} describes. Thread-safe.
 */
public final class AjChatMemoryStore implements ChatMemoryStore {

    private final AjMemory memory;

    /** A store over {@code store} with the defaults of {@link AjMemory.Builder}. */
    public AjChatMemoryStore(SessionStore store) {
        this(AjMemory.builder(store).build());
    }

    /** A store with {@code memory}'s window, preamble and delete policy. */
    public AjChatMemoryStore(AjMemory memory) {
        this.memory = Objects.requireNonNull(memory, "memory must not be null");
    }

    /** @return the newest messages after aj's preamble, oldest first; empty for an unknown conversation */
    @Override
    public List<ChatMessage> getMessages(Object memoryId) {
        return LangChain4jMessages.fromRows(memory.readForSave(sessionName(memoryId)));
    }

    /**
     * Appends the messages of {@code messages} that the stored history does not end with yet.
     *
     * @throws HistoryConflictException the list changes the history; nothing was written
     * @throws IllegalArgumentException a bad memory id, a null message, a message aj cannot hold, text that
     *                                  is not valid UTF-16; nothing was written
     */
    @Override
    public void updateMessages(Object memoryId, List<ChatMessage> messages) {
        String session = sessionName(memoryId);
        memory.save(session, LangChain4jMessages.toRows(messages));
    }

    /**
     * Deletes the aj session when allowed.
     *
     * @throws UnsupportedOperationException the memory was built without {@code allowDelete(true)}
     */
    @Override
    public void deleteMessages(Object memoryId) {
        memory.delete(sessionName(memoryId));
    }

    /** @return the rules this store applies */
    public AjMemory memory() {
        return memory;
    }

    private static String sessionName(Object memoryId) {
        if (memoryId == null) {
            throw new IllegalArgumentException("memory id must not be null (it is the aj session name)");
        }
        return memoryId.toString();
    }

    @Override
    public String toString() {
        return "AjChatMemoryStore{file=" + memory.store().file() + ", maxMessages=" + memory.maxMessages() + "}";
    }
}
