package io.github.ajsessions.bench.springapp;

import io.github.ajsessions.model.Conversation;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

/** aj's conversations, by Spring Data (as the example application's). */
public interface ConversationRepository extends JpaRepository<Conversation, Long> {

    Optional<Conversation> findFirstBySessionNameOrderByIdAsc(String sessionName);
}
