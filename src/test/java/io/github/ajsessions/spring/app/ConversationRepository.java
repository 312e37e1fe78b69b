package io.github.ajsessions.spring.app;

import io.github.ajsessions.model.Conversation;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

public interface ConversationRepository extends JpaRepository<Conversation, Long> {
    Optional<Conversation> findBySessionName(String sessionName);
}
