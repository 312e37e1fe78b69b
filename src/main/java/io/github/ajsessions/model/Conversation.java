package io.github.ajsessions.model;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A chat session: one row of {@code conversations}, looked up by aj by its exact, case-sensitive
 * {@code session_name}.
 *
 * <p>The inverse collections are lazy and ordered by id (aj's implicit rowid order). Removing a
 * conversation through JPA removes its messages and config snapshots first, so it also works on the
 * aj-made files whose foreign keys have no {@code ON DELETE CASCADE}.
 */
@Entity
@EntityListeners(AjIdLimit.class)
@Table(name = "conversations")
public class Conversation {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id", nullable = false)
    private Long id;

    @Column(name = "session_name", nullable = false)
    private String sessionName;

    @OneToMany(mappedBy = "conversation", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("id")
    private List<Message> messages = new ArrayList<>();

    @OneToMany(mappedBy = "conversation", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("id")
    private List<AwfulConfig> configs = new ArrayList<>();

    /** For JPA. */
    protected Conversation() {
    }

    /** A new, unsaved conversation named {@code sessionName}. */
    public Conversation(String sessionName) {
        this.sessionName = sessionName;
    }

    /** @return the row id; {@code null} until persisted */
    public Long getId() {
        return id;
    }

    /** @return the exact session name */
    public String getSessionName() {
        return sessionName;
    }

    /** Renames the session; aj finds it by the new name from then on. */
    public void setSessionName(String sessionName) {
        this.sessionName = sessionName;
    }

    /** @return the messages in id order, read-only; use {@link #addMessage} and {@link #removeMessage} */
    public List<Message> getMessages() {
        return Collections.unmodifiableList(messages);
    }

    /** @return the config snapshots in id order, read-only; use {@link #addConfig} */
    public List<AwfulConfig> getConfigs() {
        return Collections.unmodifiableList(configs);
    }

    /**
     * Adds {@code message} to this conversation, setting both sides of the link. Saved by cascade with
     * the conversation; messages added in one transaction get ascending ids in the order of the calls
     * (aj reads them by id), whether or not the messages were loaded.
     */
    public Conversation addMessage(Message message) {
        messages.add(message);
        message.setConversation(this);
        return this;
    }

    /** Removes {@code message} from this conversation, clearing both sides (the row is deleted). */
    public Conversation removeMessage(Message message) {
        messages.remove(message);
        message.setConversation(null);
        return this;
    }

    /**
     * Adds a config snapshot to this conversation, setting both sides of the link. Saved by cascade
     * with the conversation, with ascending ids in the order of the calls (aj compares the first).
     */
    public Conversation addConfig(AwfulConfig config) {
        configs.add(config);
        config.setConversation(this);
        return this;
    }

    /** Removes a config snapshot from this conversation, clearing both sides (the row is deleted). */
    public Conversation removeConfig(AwfulConfig config) {
        configs.remove(config);
        config.setConversation(null);
        return this;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof Conversation)) {
            return false;
        }
        Conversation that = (Conversation) other;
        // getId(), not that.id: on an uninitialised Hibernate proxy the field is null, the getter is not
        return id != null && id.equals(that.getId());
    }

    @Override
    public int hashCode() {
        // constant per class: the id changes on persist, and an entity must stay findable in a Set
        return Conversation.class.hashCode();
    }

    @Override
    public String toString() {
        return "Conversation{id=" + id + ", sessionName='" + sessionName + "'}";
    }
}
