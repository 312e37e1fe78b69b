package io.github.ajsessions.model;

import java.util.List;

/**
 * One row of {@code awful_configs}: the config a session ran with, as aj records it. {@link #toString()}
 * masks the API key.
 *
 * @param id                            the snapshot id; {@code 0} for one read from an export that gave none
 * @param sessionId                     its conversation, or {@code null} for a row of no conversation
 * @param apiBase                       the server's base URL
 * @param apiKey                        the API key as stored (aj stores it in plain text); {@code null} when an
 *                                      export left secrets out
 * @param model                         the model name
 * @param contextMaxTokens              {@code context_max_tokens}
 * @param assistantMinimumContextTokens {@code assistant_minimum_context_tokens}
 * @param stopWords                     the stop words, stored joined with {@code ","} as aj does
 */
public record SnapshotRecord(long id, Long sessionId, String apiBase, String apiKey, String model, int contextMaxTokens,
                             int assistantMinimumContextTokens, List<String> stopWords) {

    /** Copies the stop words; {@code null} reads as none. */
    public SnapshotRecord {
        stopWords = stopWords == null ? List.of() : List.copyOf(stopWords);
    }

    /** @return this snapshot in the conversation {@code sessionId} ({@code null}: in none), all else the same */
    public SnapshotRecord inSession(Long sessionId) {
        return new SnapshotRecord(id, sessionId, apiBase, apiKey, model, contextMaxTokens, assistantMinimumContextTokens,
                stopWords);
    }

    @Override
    public String toString() {
        return "SnapshotRecord{id=" + id + ", sessionId=" + sessionId + ", apiBase='" + apiBase + "', apiKey=****"
                + ", model='" + model + "', contextMaxTokens=" + contextMaxTokens + ", assistantMinimumContextTokens="
                + assistantMinimumContextTokens + ", stopWords=" + stopWords + "}";
    }
}
