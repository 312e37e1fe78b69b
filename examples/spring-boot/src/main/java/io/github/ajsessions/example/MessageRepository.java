package io.github.ajsessions.example;

import io.github.ajsessions.model.Message;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

/** aj's messages, by Spring Data. */
public interface MessageRepository extends JpaRepository<Message, Long> {

    /** A conversation's messages in aj's order (the order they were written). */
    List<Message> findByConversation_IdOrderByIdAsc(Long conversationId);
}
