package io.github.ajsessions.bench.springapp;

import io.github.ajsessions.model.Conversation;
import io.github.ajsessions.model.Message;
import io.github.ajsessions.model.Role;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A turn appended as the example application's {@code ChatService} appends it: one transaction. */
@Service
public class ChatService {

    private final ConversationRepository conversations;
    private final MessageRepository messages;

    public ChatService(ConversationRepository conversations, MessageRepository messages) {
        this.conversations = conversations;
        this.messages = messages;
    }

    /** Loads the session by name and appends the user's question and the assistant's answer, both or neither. */
    @Transactional
    public List<Message> appendTurn(String session, String question, String answer) {
        Conversation conversation = conversations.findFirstBySessionNameOrderByIdAsc(session)
                .orElseThrow(() -> new IllegalArgumentException("session '" + session + "' not found"));
        return List.of(append(conversation, Role.USER, question), append(conversation, Role.ASSISTANT, answer));
    }

    private Message append(Conversation conversation, Role role, String content) {
        Message message = new Message(role, content);
        message.setConversation(conversation);
        return messages.save(message);
    }
}
