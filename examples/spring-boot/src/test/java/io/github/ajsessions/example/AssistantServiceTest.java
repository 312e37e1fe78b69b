package io.github.ajsessions.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import io.github.ajsessions.ai.springai.AjChatMemory;
import io.github.ajsessions.api.Preamble;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.example.assistant.AssistantService;
import io.github.ajsessions.spring.test.AjSessionsTestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.MessageType;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The assistant's ChatClient with a fake model (no network) on a file as {@code aj init} makes it: aj continues
 * the session the application wrote, and the application continues the session aj wrote.
 */
@SpringBootTest
@AjSessionsTestDatabase(variant = SchemaVariant.AJ_INIT)
class AssistantServiceTest {

    /** Answers "answer N" and keeps each prompt it was sent; fails the next call when told to. */
    static final class FakeChatModel implements ChatModel {
        final List<List<Message>> prompts = new ArrayList<>();
        boolean failNext;

        @Override
        public ChatResponse call(Prompt prompt) {
            prompts.add(prompt.getInstructions());
            if (failNext) {
                failNext = false;
                throw new IllegalStateException("the model server is down");
            }
            return new ChatResponse(List.of(new Generation(new AssistantMessage("answer " + prompts.size()))));
        }
    }

    @TestConfiguration
    static class FakeModelConfiguration {
        @Bean
        FakeChatModel chatModel() {
            return new FakeChatModel();
        }
    }

    @Autowired
    AssistantService assistant;
    @Autowired
    FakeChatModel model;
    @Autowired
    ChatMemory memory;
    @Autowired
    SessionStore store;

    AjLikeClient aj;

    @BeforeEach
    void setUp() {
        model.prompts.clear();
        model.failNext = false;
        aj = new AjLikeClient(store.file());
    }

    private static List<String> preamble() {
        return Preamble.defaults().rows().stream().map(Preamble.TemplateMessage::content).toList();
    }

    @Test
    void theMemoryIsAjSessionsChatMemoryOnTheStoresFile() {
        assertThat(memory).isInstanceOf(AjChatMemory.class);
        assertThat(((AjChatMemory) memory).memory().store()).isSameAs(store);
    }

    @Test
    void ajContinuesTheSessionTheApplicationWrote() throws Exception {
        assertThat(assistant.ask("app-first", "What is WAL?")).isEqualTo("answer 1");
        assertThat(assistant.ask("app-first", "And the journal?")).isEqualTo("answer 2");
        // the second prompt: the first exchange from aj's file, not the preamble, then the new question
        assertThat(model.prompts.get(1)).extracting(Message::getText)
                .containsExactly("What is WAL?", "answer 1", "And the journal?");

        List<AjLikeClient.Row> rows = aj.turn("app-first", "from aj?", "yes, aj");

        assertThat(rows).extracting(AjLikeClient.Row::role).containsExactly("system", "user", "assistant",
                "user", "assistant", "user", "assistant", "user", "assistant");
        List<String> expected = new ArrayList<>(preamble());
        expected.addAll(List.of("What is WAL?", "answer 1", "And the journal?", "answer 2", "from aj?", "yes, aj"));
        assertThat(rows).extracting(AjLikeClient.Row::content).containsExactlyElementsOf(expected);
        assertThat(rows).extracting(AjLikeClient.Row::id).doesNotHaveDuplicates().isSorted();

        // and back: the application's next prompt ends with aj's turn
        assertThat(assistant.ask("app-first", "Did aj answer?")).isEqualTo("answer 3");
        assertThat(model.prompts.get(2)).extracting(Message::getText)
                .endsWith("answer 2", "from aj?", "yes, aj", "Did aj answer?");
    }

    @Test
    void theApplicationContinuesTheSessionAjWrote() throws Exception {
        List<AjLikeClient.Row> ajRows = aj.turn("aj-first", "aj's question", "aj's answer");
        assertThat(ajRows).extracting(AjLikeClient.Row::content)
                .containsExactly("You are aj.", AjLikeClient.BRAIN, "Ok", "aj's question", "aj's answer");

        assertThat(assistant.ask("aj-first", "The application's question")).isEqualTo("answer 1");

        // the model received aj's earlier turn (not aj's preamble), then the new question
        assertThat(model.prompts).hasSize(1);
        assertThat(model.prompts.get(0)).extracting(Message::getMessageType, Message::getText).containsExactly(
                tuple(MessageType.USER, "aj's question"),
                tuple(MessageType.ASSISTANT, "aj's answer"),
                tuple(MessageType.USER, "The application's question"));
        // the new rows follow aj's, which are unchanged; still one session of that name
        List<AjLikeClient.Row> rows = aj.load("aj-first");
        assertThat(rows).startsWith(ajRows.toArray(AjLikeClient.Row[]::new)).hasSize(7);
        assertThat(rows.subList(5, 7)).extracting(AjLikeClient.Row::role, AjLikeClient.Row::content).containsExactly(
                tuple("user", "The application's question"),
                tuple("assistant", "answer 1"));
        assertThat(rows).extracting(AjLikeClient.Row::id).doesNotHaveDuplicates().isSorted();
        assertThat(store.listSessions()).filteredOn(s -> s.name().equals("aj-first")).hasSize(1);
    }

    @Test
    void aSessionNameAjCannotUseIsRefusedBeforeTheModelIsAskedOrAnythingWritten() throws Exception {
        Throwable failure = catchThrowable(() -> assistant.ask("bad\uD800", "hi"));
        assertThat(failure).isInstanceOf(IllegalArgumentException.class).hasMessage("session name has an unpaired surrogate U+D800 at index 3: it cannot be stored as UTF-8");
        assertThat(model.prompts).isEmpty();
        assertThat(aj.load("bad\uD800")).isEmpty();
    }

    @Test
    void aFailedModelCallLeavesTheQuestionWithoutAnAnswerAsAjDoesAndAjStillContinues() throws Exception {
        model.failNext = true;
        Throwable failure = catchThrowable(() -> assistant.ask("down", "Anyone there?"));
        assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessage("the model server is down");

        List<AjLikeClient.Row> rows = aj.turn("down", "from aj?", "yes, aj");
        List<String> expected = new ArrayList<>(preamble());
        expected.addAll(List.of("Anyone there?", "from aj?", "yes, aj"));
        assertThat(rows).extracting(AjLikeClient.Row::content).containsExactlyElementsOf(expected);
        assertThat(rows).extracting(AjLikeClient.Row::role)
                .containsExactly("system", "user", "assistant", "user", "user", "assistant");
    }
}
