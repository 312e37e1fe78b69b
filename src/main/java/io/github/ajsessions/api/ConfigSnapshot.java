package io.github.ajsessions.api;

import java.util.List;
import java.util.Objects;

/**
 * The settings a conversation runs with, as aj records them in {@code awful_configs}. {@link #toString()}
 * masks the API key.
 *
 * @param apiBase                       the server's base URL
 * @param apiKey                        the API key (aj stores it in plain text)
 * @param model                         the model name
 * @param contextMaxTokens              {@code context_max_tokens}
 * @param assistantMinimumContextTokens {@code assistant_minimum_context_tokens}
 * @param stopWords                     stop words, stored joined with "," as aj does
 */
public record ConfigSnapshot(String apiBase, String apiKey, String model, int contextMaxTokens,
                             int assistantMinimumContextTokens, List<String> stopWords) {

    /** Validates: every text is required (the columns are NOT NULL); stop words may be empty. */
    public ConfigSnapshot {
        Objects.requireNonNull(apiBase, "apiBase must not be null");
        Objects.requireNonNull(apiKey, "apiKey must not be null (use \"\" for none)");
        Objects.requireNonNull(model, "model must not be null");
        stopWords = stopWords == null ? List.of() : List.copyOf(stopWords);
    }

    @Override
    public String toString() {
        return "ConfigSnapshot{apiBase='" + apiBase + "', apiKey=****, model='" + model + "', contextMaxTokens="
                + contextMaxTokens + ", assistantMinimumContextTokens=" + assistantMinimumContextTokens
                + ", stopWords=" + stopWords + "}";
    }
}
