package io.github.ajsessions.ai.springai;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ajsessions.ai.AiFiles;
import io.github.ajsessions.ai.AjMemory;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.SchemaVariant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.memory.InMemoryChatMemoryRepository;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The auto-configuration: on with a SessionStore bean, off by property, backing off for the application's beans. */
class AjChatMemoryAutoConfigurationTest {

    @TempDir
    static Path dir;

    @Configuration(proxyBeanMethods = false)
    static class StoreConfiguration {
        @Bean(destroyMethod = "close")
        SessionStore sessionStore() throws Exception {
            Path folder = Files.createTempDirectory(dir, "store");
            return AiFiles.open(folder, SchemaVariant.AJ_INIT);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnRepository {
        @Bean
        ChatMemoryRepository chatMemoryRepository() {
            return new InMemoryChatMemoryRepository();
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AjChatMemoryAutoConfiguration.class));

    @Test
    void givesSpringAiAChatMemoryOnAjsFile() {
        runner.withUserConfiguration(StoreConfiguration.class)
                .withPropertyValues("aj.sessions.chat-memory.max-messages=2", "aj.sessions.chat-memory.allow-delete=true")
                .run(context -> {
                    assertThat(context).hasSingleBean(AjChatMemory.class).hasSingleBean(AjChatMemoryRepository.class);
                    ChatMemory memory = context.getBean(ChatMemory.class);
                    memory.add("chat", List.of(new UserMessage("q1"), new UserMessage("q2"), new UserMessage("q3")));
                    assertThat(memory.get("chat")).hasSize(2);
                    SessionStore store = context.getBean(SessionStore.class);
                    assertThat(store.history("chat")).hasSize(3 + 3);
                    AjMemory rules = context.getBean(AjMemory.class);
                    assertThat(rules.maxMessages()).isEqualTo(2);
                    assertThat(rules.allowDelete()).isTrue();
                });
    }

    @Test
    void isRegisteredForSpringBoot() {
        assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()))
                .contains(AjChatMemoryAutoConfiguration.class.getName());
    }

    @Test
    void isOffByProperty() {
        runner.withUserConfiguration(StoreConfiguration.class)
                .withPropertyValues("aj.sessions.chat-memory.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ChatMemory.class)
                        .doesNotHaveBean(ChatMemoryRepository.class));
    }

    @Test
    void needsASessionStoreBean() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ChatMemory.class));
    }

    @Test
    void leavesTheApplicationsOwnBeans() {
        runner.withUserConfiguration(StoreConfiguration.class, OwnRepository.class)
                .run(context -> {
                    assertThat(context.getBean(ChatMemoryRepository.class)).isInstanceOf(InMemoryChatMemoryRepository.class);
                    assertThat(context).hasSingleBean(AjChatMemory.class);
                    assertThat(context.getBean(AjMemory.class).allowDelete()).isFalse();
                });
    }
}
