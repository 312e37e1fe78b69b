package io.github.ajsessions.ai.springai;

import io.github.ajsessions.ai.AjMemory;
import io.github.ajsessions.api.SessionStore;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Spring AI's chat memory on aj's file, when Spring AI is on the class path and the application has a
 * {@link SessionStore} bean (from the aj-sessions Spring Boot auto-configuration, or its own): an
 * {@link AjMemory}, an {@link AjChatMemoryRepository} and an {@link AjChatMemory} (the
 * {@link ChatMemory} that Spring AI's memory advisors use), each unless the application defines its own.
 * Runs before Spring AI's own chat memory auto-configurations, which would otherwise supply an in-memory
 * or JDBC repository.
 *
 * <p>Properties: {@code aj.sessions.chat-memory.enabled} (default {@code true}; {@code false} turns this
 * off), {@code aj.sessions.chat-memory.max-messages} (messages a read returns, default
 * {@value AjMemory#DEFAULT_MAX_MESSAGES}), {@code aj.sessions.chat-memory.allow-delete} (whether clearing a
 * conversation deletes aj's session, default {@code false}: refused).
 */
@AutoConfiguration(afterName = "io.github.ajsessions.spring.AjSessionsAutoConfiguration",
        beforeName = {"org.springframework.ai.model.chat.memory.autoconfigure.ChatMemoryAutoConfiguration",
                "org.springframework.ai.model.chat.memory.repository.jdbc.autoconfigure.JdbcChatMemoryRepositoryAutoConfiguration"})
@ConditionalOnClass({ChatMemory.class, SessionStore.class})
@ConditionalOnBean(SessionStore.class)
@ConditionalOnProperty(prefix = "aj.sessions.chat-memory", name = "enabled", havingValue = "true", matchIfMissing = true)
public class AjChatMemoryAutoConfiguration {

    /** Property prefix of the chat memory settings. */
    public static final String PREFIX = "aj.sessions.chat-memory";

    /** @return the memory rules: window, aj's default preamble, delete policy from the properties */
    @Bean
    @ConditionalOnMissingBean
    public AjMemory ajMemory(SessionStore store, Environment environment) {
        return AjMemory.builder(store)
                .maxMessages(environment.getProperty(PREFIX + ".max-messages", Integer.class, AjMemory.DEFAULT_MAX_MESSAGES))
                .allowDelete(environment.getProperty(PREFIX + ".allow-delete", Boolean.class, false))
                .build();
    }

    /** @return the repository for Spring AI's window memory, appending only */
    @Bean
    @ConditionalOnMissingBean(ChatMemoryRepository.class)
    public AjChatMemoryRepository ajChatMemoryRepository(AjMemory memory) {
        return new AjChatMemoryRepository(memory);
    }

    /** @return the chat memory the advisors use */
    @Bean
    @ConditionalOnMissingBean(ChatMemory.class)
    public AjChatMemory ajChatMemory(AjMemory memory) {
        return new AjChatMemory(memory);
    }
}
