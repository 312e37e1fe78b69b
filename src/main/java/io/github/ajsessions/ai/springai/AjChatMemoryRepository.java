package io.github.ajsessions.ai.springai;

import io.github.ajsessions.ai.AjMemory;
import io.github.ajsessions.ai.HistoryConflictException;
import io.github.ajsessions.api.SessionStore;
import java.util.List;
import java.util.Objects;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.messages.Message;

/**
 * Spring AI's {@link ChatMemoryRepository} over aj's sessions, for Spring AI's
 * {@code MessageWindowChatMemory}: {@link #saveAll} appends what is new in the list and deletes
 * nothing, so the window applies to reading only and aj keeps the whole history.
 *
 * <pre>{@code
 * ChatMemory memory = MessageWindowChatMemory.builder()
 *         .chatMemoryRepository(new AjChatMemoryRepository(store)).maxMessages(20).build();
 * }</pre>
 *
 * {@link #saveAll} follows {@link AjMemory#save}: a list that is the stored history, or a window of
 * its newest messages, followed by new messages appends the new ones; any other list (a message in the
 * middle changed, removed or reordered) is refused with {@link HistoryConflictException} and nothing
 * is written. {@link #findByConversationId} returns the newest {@link AjMemory#maxMessages()} messages
 * after aj's preamble; keep it at least the window memory's {@code maxMessages}. Deleting follows
 * {@link AjMemory#delete}. Thread-safe.
 */
public final class AjChatMemoryRepository implements ChatMemoryRepository {

    private final AjMemory memory;

    /** A repository over {@code store} with the defaults of {@link AjMemory.Builder}. */
    public AjChatMemoryRepository(SessionStore store) {
        this(AjMemory.builder(store).build());
    }

    /** A repository with {@code memory}'s window, preamble and delete policy. */
    public AjChatMemoryRepository(AjMemory memory) {
        this.memory = Objects.requireNonNull(memory, "memory must not be null");
    }

    /** @return aj's session names */
    @Override
    public List<String> findConversationIds() {
        return memory.conversationIds();
    }

    /** @return the newest messages after aj's preamble, oldest first; empty for an unknown conversation */
    @Override
    public List<Message> findByConversationId(String conversationId) {
        return SpringAiMessages.fromRows(memory.readForSave(conversationId));
    }

    /**
     * Appends the messages of {@code messages} that the stored history does not end with yet.
     *
     * @throws HistoryConflictException the list changes the history; nothing was written
     * @throws IllegalArgumentException a bad conversation id or message (see {@link AjChatMemory#add}); nothing written
     */
    @Override
    public void saveAll(String conversationId, List<Message> messages) {
        memory.save(conversationId, SpringAiMessages.toRows(messages));
    }

    /**
     * Deletes the aj session when allowed.
     *
     * @throws UnsupportedOperationException the memory was built without {@code allowDelete(true)}
     */
    @Override
    public void deleteByConversationId(String conversationId) {
        memory.delete(conversationId);
    }

    /** @return the rules this repository applies */
    public AjMemory memory() {
        return memory;
    }

    @Override
    public String toString() {
        return "AjChatMemoryRepository{file=" + memory.store().file() + ", maxMessages=" + memory.maxMessages() + "}";
    }
}
