package io.github.ajsessions.example;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/** Prints the sessions when started with {@code --list}. */
@Component
public class SessionsRunner implements ApplicationRunner {

    private final ChatService chat;

    public SessionsRunner(ChatService chat) {
        this.chat = chat;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (args.containsOption("list")) {
            chat.listSessions().forEach(s -> System.out.println(s.name() + "\t" + s.messages()));
        }
    }
}
