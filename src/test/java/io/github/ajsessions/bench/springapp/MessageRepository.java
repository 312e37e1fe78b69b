package io.github.ajsessions.bench.springapp;

import io.github.ajsessions.model.Message;
import org.springframework.data.jpa.repository.JpaRepository;

/** aj's messages, by Spring Data (as the example application's). */
public interface MessageRepository extends JpaRepository<Message, Long> {
}
