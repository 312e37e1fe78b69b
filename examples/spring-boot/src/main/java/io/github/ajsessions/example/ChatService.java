package io.github.ajsessions.example;

import io.github.ajsessions.model.Conversation;
import io.github.ajsessions.model.Message;
import io.github.ajsessions.model.Role;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Sessions and turns, each call one transaction. */
@Service
public class ChatService {

    /** A session and how many messages it holds. */
    public record SessionLine(String name, long messages) {
    }

    private final ConversationRepository conversations;
    private final MessageRepository messages;

    public ChatService(ConversationRepository conversations, MessageRepository messages) {
        this.conversations = conversations;
        this.messages = messages;
    }

    /** @return every session with its message count */
    @Transactional(readOnly = true)
    public List<SessionLine> listSessions() {
        return conversations.sessionsWithMessageCounts().stream()
                .map(row -> new SessionLine((String) row[0], ((Number) row[1]).longValue())).toList();
    }

    /**
     * Starts a session with aj's preamble (system prompt, the "brain" row, {@code Ok}), so that aj can
     * continue it.
     */
    @Transactional
    public Conversation startSession(String name, String systemPrompt) {
        Conversation conversation = conversations.save(new Conversation(name));
        append(conversation, Role.SYSTEM, systemPrompt);
        append(conversation, Role.USER, "Below is a JSON representation of our conversation leading up to this point."
                + " Please only respond to this message with \"Ok.\"\n{\"memories\":[]}");
        append(conversation, Role.ASSISTANT, "Ok");
        return conversation;
    }

    /** Appends the user's question and the assistant's answer, both or neither. */
    @Transactional
    public List<Message> appendTurn(String session, String question, String answer) {
        Conversation conversation = conversations.findFirstBySessionNameOrderByIdAsc(session)
                .orElseThrow(() -> new IllegalArgumentException("session '" + session + "' not found"));
        return List.of(append(conversation, Role.USER, question), append(conversation, Role.ASSISTANT, answer));
    }

    /** @return the session's messages in order */
    @Transactional(readOnly = true)
    public List<Message> history(String session) {
        return conversations.findFirstBySessionNameOrderByIdAsc(session)
                .map(c -> messages.findByConversation_IdOrderByIdAsc(c.getId())).orElse(List.of());
    }

    private Message append(Conversation conversation, Role role, String content) {
        Message message = new Message(role, content);
        message.setConversation(conversation);
        return messages.save(message);
    }
}
