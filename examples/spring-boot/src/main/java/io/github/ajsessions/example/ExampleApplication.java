package io.github.ajsessions.example;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Lists aj's sessions: {@code java -jar ... --aj.sessions.database=/path/to/aj.db} (or nothing: the file
 * aj uses). No DataSource, entity scan or dialect here: aj-sessions' auto-configuration supplies them.
 */
@SpringBootApplication
public class ExampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(ExampleApplication.class, args);
    }
}
