package io.github.ajsessions.ai;

/**
 * A list of messages given to be saved ({@code ChatMemoryRepository.saveAll},
 * {@code ChatMemoryStore.updateMessages}) is neither the stored history plus new messages nor a window of
 * its newest messages plus new ones: a message in the middle was changed, removed or reordered. aj's
 * history is append-only, so nothing was written.
 */
public class HistoryConflictException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String conversationId;

    /** @param conversationId the conversation (aj session name) the list was given for */
    public HistoryConflictException(String conversationId, String message) {
        super(message);
        this.conversationId = conversationId;
    }

    /** @return the conversation (aj session name) the list was given for */
    public String conversationId() {
        return conversationId;
    }
}
