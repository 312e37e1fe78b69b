package io.github.ajsessions.model;

/**
 * One row of {@code conversations}: a session, as the session API, export and import see it.
 *
 * @param id   the conversation id; {@code 0} for a session read from an export that gave none
 * @param name the exact, case-sensitive session name aj looks it up by
 */
public record SessionRecord(long id, String name) {
}
