package io.github.ajsessions.ai.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.CustomMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import io.github.ajsessions.AjClient;
import io.github.ajsessions.ai.AiFiles;
import io.github.ajsessions.ai.AjMemory;
import io.github.ajsessions.ai.HistoryConflictException;
import io.github.ajsessions.ai.springai.AjChatMemory;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.SchemaVariant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** LangChain4j's ChatMemoryStore over aj's file, behind LangChain4j's own window memory. */
class AjChatMemoryStoreTest {

    @TempDir
    Path dir;

    private static final AiMessage TOOL_REQUEST = AiMessage.from(ToolExecutionRequest.builder().id("call_1")
            .name("weather").arguments("{\"city\":\"Paris\"}").build());
    private static final ToolExecutionResultMessage TOOL_RESULT = ToolExecutionResultMessage.builder().id("call_1")
            .toolName("weather").text("18 °C").isError(false).build();

    private static ChatMemory window(SessionStore store, String id, int max) {
        return MessageWindowChatMemory.builder().id(id).maxMessages(max)
                .chatMemoryStore(new AjChatMemoryStore(AjMemory.builder(store).maxMessages(max).build())).build();
    }

    @ParameterizedTest
    @MethodSource("io.github.ajsessions.ai.AiFiles#variants")
    void theWindowMemoryAppendsOnlyAndEvictionDeletesNothing(SchemaVariant variant) {
        try (SessionStore store = AiFiles.open(dir, variant)) {
            ChatMemory memory = window(store, "chat", 4);
            memory.add(SystemMessage.from("Be brief."));
            for (int i = 0; i < 6; i++) {
                memory.add(UserMessage.from("q" + i));
                memory.add(AiMessage.from("a" + i));
            }
            // LangChain4j keeps its system message in the window; the file keeps every turn, nothing evicted
            assertThat(memory.messages()).contains(SystemMessage.from("Be brief.")).endsWith(UserMessage.from("q5"),
                    AiMessage.from("a5"));
            List<String> rows = AiFiles.rows(store, "chat");
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                expected.add("user: q" + i);
                expected.add("assistant: a" + i);
            }
            assertThat(rows.subList(3, rows.size())).filteredOn(r -> !r.startsWith("system: "))
                    .containsExactlyElementsOf(expected);
            assertThat(rows.get(3)).isEqualTo("system: Be brief.");
        }
    }

    @Test
    void theSystemMessageIsRewrittenOnlyWhenItLeftTheReadWindow() {
        try (SessionStore store = AiFiles.open(dir, SchemaVariant.AJ_SESSIONS)) {
            ChatMemory memory = window(store, "chat", 10);
            for (int i = 0; i < 12; i++) {
                memory.add(SystemMessage.from("Be brief."));   // as an AI service does before every question
                assertThat(memory.messages()).contains(SystemMessage.from("Be brief."));
                memory.add(UserMessage.from("q" + i));
                memory.add(AiMessage.from("a" + i));
            }
            List<String> rows = AiFiles.rows(store, "chat");
            rows = rows.subList(3, rows.size());
            // 24 turn rows and the system row at most once per window of 10
            assertThat(rows).filteredOn(r -> r.startsWith("system: ")).hasSizeBetween(3, 4);
            assertThat(rows).filteredOn(r -> !r.startsWith("system: ")).hasSize(24);
        }
    }

    @Test
    void toolRequestsAndResultsAreAssistantRowsThatReadBack() throws Exception {
        try (SessionStore store = AiFiles.open(dir, SchemaVariant.DIESEL_CLI)) {
            AjChatMemoryStore chatStore = new AjChatMemoryStore(store);
            List<ChatMessage> turn = List.of(UserMessage.from("Weather in Paris?"), TOOL_REQUEST, TOOL_RESULT,
                    AiMessage.from("18 °C."));
            chatStore.updateMessages("tools", turn);

            assertThat(AiFiles.rows(store, "tools").subList(3, 7)).containsExactly(
                    "user: Weather in Paris?",
                    "assistant: [aj-sessions:tool-calls] {\"calls\":[{\"id\":\"call_1\",\"name\":\"weather\","
                            + "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}]}",
                    "assistant: [aj-sessions:tool-result] {\"id\":\"call_1\",\"name\":\"weather\",\"result\":\"18 °C\","
                            + "\"error\":false}",
                    "assistant: 18 °C.");
            assertThat(chatStore.getMessages("tools")).containsExactlyElementsOf(turn);
            // the same list again is recognised, tool rows included: nothing appended
            chatStore.updateMessages("tools", chatStore.getMessages("tools"));
            assertThat(store.history("tools")).hasSize(3 + 4);

            List<AjClient.Row> aj = new AjClient(store.file()).turn("tools", "and tomorrow?", "rain");
            assertThat(aj).hasSize(3 + 4 + 2).extracting(AjClient.Row::role).containsOnly("system", "user", "assistant");
        }
    }

    @Test
    void aSessionWrittenThroughSpringAiReadsBackInLangChain4j() {
        try (SessionStore store = AiFiles.open(dir, SchemaVariant.AJ_SESSIONS)) {
            new AjChatMemory(store).add("shared", List.of(
                    new org.springframework.ai.chat.messages.UserMessage("Weather?"),
                    org.springframework.ai.chat.messages.AssistantMessage.builder().content("")
                            .toolCalls(List.of(new org.springframework.ai.chat.messages.AssistantMessage.ToolCall("call_1",
                                    "function", "weather", "{\"city\":\"Paris\"}"))).build(),
                    org.springframework.ai.chat.messages.ToolResponseMessage.builder().responses(List.of(
                            new org.springframework.ai.chat.messages.ToolResponseMessage.ToolResponse("call_1", "weather",
                                    "18 °C"))).build()));
            assertThat(new AjChatMemoryStore(store).getMessages("shared")).containsExactly(UserMessage.from("Weather?"),
                    TOOL_REQUEST, ToolExecutionResultMessage.from("call_1", "weather", "18 °C"));
        }
    }

    @Test
    void ajsSessionIsContinuedAndAjContinuesIt() throws Exception {
        try (SessionStore store = AiFiles.open(dir, SchemaVariant.AJ_INIT)) {
            AjClient aj = new AjClient(store.file());
            aj.turn("research", "aj's question", "aj's answer");
            ChatMemory memory = window(store, "research", 20);
            assertThat(memory.messages()).containsExactly(UserMessage.from("aj's question"), AiMessage.from("aj's answer"));
            memory.add(UserMessage.from("app's question"));
            memory.add(AiMessage.from("app's answer"));
            assertThat(aj.turn("research", "aj again", "sure")).extracting(AjClient.Row::content)
                    .endsWith("aj's answer", "app's question", "app's answer", "aj again", "sure");
        }
    }

    @Test
    void anEditInTheMiddleIsRefusedAndNothingIsWritten() {
        try (SessionStore store = AiFiles.open(dir, SchemaVariant.AJ_SESSIONS)) {
            AjChatMemoryStore chatStore = new AjChatMemoryStore(store);
            chatStore.updateMessages("chat", List.of(UserMessage.from("q1"), AiMessage.from("a1"), UserMessage.from("q2")));
            Map<String, String> before = AiFiles.hashes(dir);
            assertThatThrownBy(() -> chatStore.updateMessages("chat", List.of(UserMessage.from("q1"),
                    AiMessage.from("a1, edited"), UserMessage.from("q2"), AiMessage.from("a2"))))
                    .isInstanceOf(HistoryConflictException.class)
                    .extracting(e -> ((HistoryConflictException) e).conversationId()).isEqualTo("chat");
            assertThat(AiFiles.hashes(dir)).isEqualTo(before);
        }
    }

    @Test
    void deleteMessagesIsRefusedUnlessAllowed() {
        try (SessionStore store = AiFiles.open(dir, SchemaVariant.DOCS_OPTION_C)) {
            ChatMemory memory = window(store, "chat", 10);
            memory.add(UserMessage.from("q"));
            assertThatThrownBy(memory::clear).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("allowDelete(true)");
            assertThat(store.history("chat")).hasSize(4);
            new AjChatMemoryStore(AjMemory.builder(store).allowDelete(true).build()).deleteMessages("chat");
            assertThat(store.findSession("chat")).isEmpty();
        }
    }

    @Test
    void fourThreadsThroughLangChain4jsWindowMemoryLoseNothing() throws Exception {
        try (SessionStore store = AiFiles.open(dir, SchemaVariant.AJ_INIT)) {
            ChatMemory memory = window(store, 42L + "", 20);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < 25; i++) {
                            memory.add(UserMessage.from("t" + thread + " m" + i));
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            List<String> rows = AiFiles.rows(store, "42");
            assertThat(rows).hasSize(3 + 100);
            assertThat(rows.subList(3, 103)).doesNotHaveDuplicates();
        }
    }

    @Nested
    class BadInput {

        @Test
        void isRefusedBeforeAnythingIsWritten() {
            try (SessionStore store = AiFiles.open(dir, SchemaVariant.AJ_INIT)) {
                AjChatMemoryStore chatStore = new AjChatMemoryStore(store);
                chatStore.updateMessages("chat", List.of(UserMessage.from("q")));
                Map<String, String> before = AiFiles.hashes(dir);
                List<ChatMessage> one = List.of(UserMessage.from("q"), AiMessage.from("a"));

                assertThatThrownBy(() -> chatStore.updateMessages(null, one))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("memory id must not be null (it is the aj session name)");
                assertThatThrownBy(() -> chatStore.updateMessages("", one))
                        .isInstanceOf(IllegalArgumentException.class).hasMessage("session name must not be empty");
                assertThatThrownBy(() -> chatStore.updateMessages("x\uD83D", one))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("session name has an unpaired surrogate U+D83D at index 1: it cannot be stored as UTF-8");
                assertThatThrownBy(() -> chatStore.getMessages("\uDE00"))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogate U+DE00");
                assertThatThrownBy(() -> chatStore.updateMessages("new", List.of(UserMessage.from("q \uD800"))))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("content of message 0 has an unpaired surrogate U+D800 at index 2: it cannot be stored as UTF-8");
                assertThatThrownBy(() -> chatStore.updateMessages("chat", List.of(UserMessage.from("q"),
                        ToolExecutionResultMessage.from("id", "tool", "\uDBFF"))))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogate U+DBFF");
                assertThatThrownBy(() -> chatStore.updateMessages("new", Arrays.asList(UserMessage.from("q"), null)))
                        .isInstanceOf(IllegalArgumentException.class).hasMessage("message 1 must not be null");
                assertThatThrownBy(() -> chatStore.updateMessages("new", List.of(CustomMessage.from(Map.of("k", "v")))))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("message 0 is of a type aj cannot hold: CUSTOM (");
                assertThatThrownBy(() -> chatStore.updateMessages("new", List.of(UserMessage.from(
                        TextContent.from("see"), ImageContent.from("https://example.invalid/a.png")))))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("message 0 is a user message with 2 parts or a part that is not text: aj's messages hold one text");

                assertThat(AiFiles.hashes(dir)).isEqualTo(before);
                assertThat(store.findSession("new")).isEmpty();
            }
        }
    }
}
