package io.github.ajsessions.model;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.util.List;
import org.hibernate.annotations.JavaType;

/**
 * One config snapshot: a row of {@code awful_configs}, aj's append-only audit log of the settings a
 * conversation ran with. aj never reads these rows for behaviour; before each turn it compares the
 * conversation's <em>first</em> snapshot with its current config on five fields (api_base, api_key,
 * model, context_max_tokens, assistant_minimum_context_tokens; not stop_words) and appends a new one
 * when they differ.
 *
 * <p>{@code api_key} is stored in plain text by aj. {@link #toString()} never prints it.
 */
@Entity
@EntityListeners(AjIdLimit.class)
@Table(name = "awful_configs")
public class AwfulConfig {

    /** Taken when the entity is persisted, so ids follow the order of persisting: aj reads rows by id. */
    @Id
    @AjRowId
    @Column(name = "id", nullable = false)
    private Long id;

    @Column(name = "api_base", nullable = false)
    private String apiBase;

    /** Masked in Hibernate's own logs (entity state at DEBUG, bound values at TRACE) too. */
    @JavaType(SecretStringJavaType.class)
    @Column(name = "api_key", nullable = false)
    private String apiKey;

    @Column(name = "model", nullable = false)
    private String model;

    @Column(name = "context_max_tokens", nullable = false)
    private int contextMaxTokens;

    @Column(name = "assistant_minimum_context_tokens", nullable = false)
    private int assistantMinimumContextTokens;

    /** aj's format: joined with ",", no escaping; see {@link StopWordsConverter} for what that loses. */
    @Convert(converter = StopWordsConverter.class)
    @Column(name = "stop_words", nullable = false)
    private List<String> stopWords = List.of();

    @ManyToOne(fetch = FetchType.LAZY, cascade = CascadeType.PERSIST)
    @JoinColumn(name = "conversation_id")
    private Conversation conversation;

    /** For JPA. */
    protected AwfulConfig() {
    }

    /** A new, unsaved snapshot. */
    public AwfulConfig(String apiBase, String apiKey, String model, int contextMaxTokens,
                       int assistantMinimumContextTokens, List<String> stopWords) {
        this.apiBase = apiBase;
        this.apiKey = apiKey;
        this.model = model;
        this.contextMaxTokens = contextMaxTokens;
        this.assistantMinimumContextTokens = assistantMinimumContextTokens;
        this.stopWords = stopWords == null ? List.of() : List.copyOf(stopWords);
    }

    /** @return the row id; {@code null} until persisted */
    public Long getId() {
        return id;
    }

    /** @return the API base URL */
    public String getApiBase() {
        return apiBase;
    }

    /** @return the API key in plain text, as aj stores it; never log it */
    public String getApiKey() {
        return apiKey;
    }

    /** @return the model name */
    public String getModel() {
        return model;
    }

    /** @return {@code context_max_tokens} */
    public int getContextMaxTokens() {
        return contextMaxTokens;
    }

    /** @return {@code assistant_minimum_context_tokens} */
    public int getAssistantMinimumContextTokens() {
        return assistantMinimumContextTokens;
    }

    /** @return the stop words, read back from aj's comma-joined text */
    public List<String> getStopWords() {
        return stopWords;
    }

    /** @return the owning conversation (lazy), or {@code null} */
    public Conversation getConversation() {
        return conversation;
    }

    /** Sets the owning side only; prefer {@link Conversation#addConfig(AwfulConfig)}. */
    public void setConversation(Conversation conversation) {
        this.conversation = conversation;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof AwfulConfig)) {
            return false;
        }
        AwfulConfig that = (AwfulConfig) other;
        // getId(), not that.id: on an uninitialised Hibernate proxy the field is null, the getter is not
        return id != null && id.equals(that.getId());
    }

    @Override
    public int hashCode() {
        return AwfulConfig.class.hashCode();
    }

    @Override
    public String toString() {
        return "AwfulConfig{id=" + id + ", apiBase='" + apiBase + "', apiKey=****, model='" + model
                + "', contextMaxTokens=" + contextMaxTokens
                + ", assistantMinimumContextTokens=" + assistantMinimumContextTokens
                + ", stopWords=" + stopWords + "}";
    }
}
