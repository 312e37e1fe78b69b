package io.github.ajsessions.model;

/**
 * One line of {@link io.github.ajsessions.api.SessionStore#listSessions()}.
 *
 * @param id            the conversation id
 * @param name          the exact session name
 * @param messageCount  how many messages it has
 * @param lastMessageId the id of its newest message, or {@code null} when it has none
 * @param latestModel   the model of its newest config snapshot, or {@code null} when it has none
 */
public record SessionSummary(long id, String name, long messageCount, Long lastMessageId, String latestModel) {
}
