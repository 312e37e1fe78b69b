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

/**
 * One row of {@code messages}. aj loads a conversation's rows in id order and treats the first
 * {@code 3 + template messages} of them as its preamble.
 *
 * <p>{@code dynamic} is written as the integer {@code 0} or {@code 1}, which is what aj reads
 * (aj itself always writes {@code 0}).
 */
@Entity
@EntityListeners(AjIdLimit.class)
@Table(name = "messages")
public class Message {

    /** Taken when the entity is persisted, so ids follow the order of persisting: aj reads rows by id. */
    @Id
    @AjRowId
    @Column(name = "id", nullable = false)
    private Long id;

    @Convert(converter = RoleConverter.class)
    @Column(name = "role", nullable = false)
    private Role role;

    @Column(name = "content", nullable = false)
    private String content;

    @Column(name = "dynamic", nullable = false)
    private boolean dynamic;

    @ManyToOne(fetch = FetchType.LAZY, cascade = CascadeType.PERSIST)
    @JoinColumn(name = "conversation_id")
    private Conversation conversation;

    /** For JPA. */
    protected Message() {
    }

    /** A new, unsaved, non-dynamic message. */
    public Message(Role role, String content) {
        this.role = role;
        this.content = content;
    }

    /** @return the row id; {@code null} until persisted */
    public Long getId() {
        return id;
    }

    /** @return the role */
    public Role getRole() {
        return role;
    }

    /** Sets the role. */
    public void setRole(Role role) {
        this.role = role;
    }

    /** @return the UTF-8 text, never {@code null} once stored */
    public String getContent() {
        return content;
    }

    /** Sets the text. */
    public void setContent(String content) {
        this.content = content;
    }

    /** @return the {@code dynamic} flag (aj writes {@code false}) */
    public boolean isDynamic() {
        return dynamic;
    }

    /** Sets the {@code dynamic} flag, stored as {@code 0} or {@code 1}. */
    public void setDynamic(boolean dynamic) {
        this.dynamic = dynamic;
    }

    /** @return the owning conversation (lazy), or {@code null} for a row without one */
    public Conversation getConversation() {
        return conversation;
    }

    /** Sets the owning side only; prefer {@link Conversation#addMessage(Message)}. */
    public void setConversation(Conversation conversation) {
        this.conversation = conversation;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof Message)) {
            return false;
        }
        Message that = (Message) other;
        // getId(), not that.id: on an uninitialised Hibernate proxy the field is null, the getter is not
        return id != null && id.equals(that.getId());
    }

    @Override
    public int hashCode() {
        return Message.class.hashCode();
    }

    @Override
    public String toString() {
        return "Message{id=" + id + ", role=" + role + ", dynamic=" + dynamic
                + ", content=" + (content == null ? "null" : content.length() + " chars") + "}";
    }
}
