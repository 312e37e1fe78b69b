package io.github.ajsessions.example;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Lists aj's sessions: {@code java -jar ... --list --aj.sessions.database=/path/to/aj.db} (or no database: the
 * file aj uses); its {@code AssistantService} asks a chat model with a session's history. No DataSource, entity
 * scan, dialect or chat memory here: aj-sessions' auto-configuration supplies them.
 */
@SpringBootApplication
public class ExampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(ExampleApplication.class, args);
    }
}
