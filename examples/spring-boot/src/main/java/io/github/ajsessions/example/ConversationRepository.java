package io.github.ajsessions.example;

import io.github.ajsessions.model.Conversation;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** aj's conversations, by Spring Data. */
public interface ConversationRepository extends JpaRepository<Conversation, Long> {

    Optional<Conversation> findFirstBySessionNameOrderByIdAsc(String sessionName);

    /** One row per session: name and message count, in creation order. */
    @Query("select c.sessionName, count(m) from Conversation c left join c.messages m group by c.id, c.sessionName"
            + " order by c.id")
    List<Object[]> sessionsWithMessageCounts();
}
