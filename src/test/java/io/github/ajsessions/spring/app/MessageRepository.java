package io.github.ajsessions.spring.app;

import io.github.ajsessions.model.Message;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface MessageRepository extends JpaRepository<Message, Long> {
    List<Message> findByConversation_IdOrderByIdAsc(Long conversationId);
}
