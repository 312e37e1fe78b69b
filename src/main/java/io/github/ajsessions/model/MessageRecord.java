package io.github.ajsessions.model;

import java.util.Objects;

/**
 * One row of {@code messages}, as the session API, export, import, inspection and search see it.
 * Only roles aj accepts can be represented: a row holding any other role is refused with an
 * {@code InvalidDataException} that names it, wherever it is read.
 *
 * @param id        the message id (rowid); {@code 0} for a message read from an export that gave none
 * @param sessionId the conversation it belongs to, or {@code null} for a row of no conversation
 *                  ({@code conversation_id} is nullable in every variant of aj's schema)
 * @param role      the role, never {@code null}
 * @param content   the text (for {@link io.github.ajsessions.api.StoreInspection#tail} cut to the length asked for)
 * @param dynamic   the {@code dynamic} flag; aj writes {@code false}, and reads any non-zero number as {@code true}
 */
public record MessageRecord(long id, Long sessionId, Role role, String content, boolean dynamic) {

    /** Validates: role and content are required (both columns are NOT NULL). */
    public MessageRecord {
        Objects.requireNonNull(role, "role must not be null");
        Objects.requireNonNull(content, "content must not be null");
    }

    /** @return a message not written yet: id 0, no session, not dynamic (as aj writes it) */
    public static MessageRecord of(Role role, String content) {
        return new MessageRecord(0, null, role, content, false);
    }

    /** @return this message with id {@code id} ({@code 0}: SQLite chooses it when written), all else the same */
    public MessageRecord withId(long id) {
        return new MessageRecord(id, sessionId, role, content, dynamic);
    }

    /** @return this message in the conversation {@code sessionId} ({@code null}: in none), all else the same */
    public MessageRecord inSession(Long sessionId) {
        return new MessageRecord(id, sessionId, role, content, dynamic);
    }
}
