package io.github.ajsessions.spring.app;

import io.github.ajsessions.model.Message;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface MessageRepository extends JpaRepository<Message, Long> {
    List<Message> findByConversation_IdOrderByIdAsc(Long conversationId);

    @Modifying
    @Query(value = "INSERT INTO messages (role, content, dynamic, conversation_id) VALUES ('user', :content, 0,"
            + " :conversation)", nativeQuery = true)
    int insertRaw(@Param("content") String content, @Param("conversation") long conversation);
}
