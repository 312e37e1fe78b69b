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

    /** Runs {@code work} inside a write transaction before any statement of its own. */
    @Transactional
    public <T> T inTransaction(Supplier<T> work) {
        return work.get();
    }
}
