package io.github.ajsessions.spring.app;

import io.github.ajsessions.model.Conversation;
import io.github.ajsessions.model.Message;
import io.github.ajsessions.model.Role;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Appends through Spring Data in @Transactional methods, the usual Spring way. */
@Service
public class TurnService {

    private final ConversationRepository conversations;
    private final MessageRepository messages;

    public TurnService(ConversationRepository conversations, MessageRepository messages) {
        this.conversations = conversations;
        this.messages = messages;
    }

    @Transactional
    public Message append(String session, Role role, String content) {
        Conversation conversation = conversations.findBySessionName(session)
                .orElseThrow(() -> new IllegalArgumentException("no session " + session));
        Message message = new Message(role, content);
        message.setConversation(conversation);
        return messages.save(message);
    }

    /** Appends a user message and the assistant's reply in one transaction. */
    @Transactional
    public void appendTurn(String session, String user, String assistant) {
        Conversation conversation = conversations.findBySessionName(session)
                .orElseThrow(() -> new IllegalArgumentException("no session " + session));
        Message question = new Message(Role.USER, user);
        question.setConversation(conversation);
        messages.save(question);
        Message reply = new Message(Role.ASSISTANT, assistant);
        reply.setConversation(conversation);
        messages.save(reply);
    }

    /** Runs {@code work} inside a write transaction before any statement of its own. */
    @Transactional
    public <T> T inTransaction(Supplier<T> work) {
        return work.get();
    }
}
