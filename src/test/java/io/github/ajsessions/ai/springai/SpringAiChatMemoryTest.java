package io.github.ajsessions.ai.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ajsessions.AjClient;
import io.github.ajsessions.ai.AiFiles;
import io.github.ajsessions.ai.AjMemory;
import io.github.ajsessions.ai.HistoryConflictException;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.SchemaVariant;
import java.net.URI;
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
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.MessageType;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.content.Media;
import org.springframework.util.MimeTypeUtils;

/** Spring AI's ChatMemory and ChatMemoryRepository over aj's file. */
class SpringAiChatMemoryTest {

    @TempDir
    Path dir;

    private static final AssistantMessage TOOL_CALLS = AssistantMessage.builder().content("Let me look.")
            .toolCalls(List.of(new AssistantMessage.ToolCall("call_1", "function", "weather", "{\"city\":\"Paris\"}"),
                    new AssistantMessage.ToolCall("call_2", "function", "time", "{}")))
            .build();
    private static final ToolResponseMessage TOOL_RESPONSES = ToolResponseMessage.builder()
            .responses(List.of(new ToolResponseMessage.ToolResponse("call_1", "weather", "18 °C"),
                    new ToolResponseMessage.ToolResponse("call_2", "time", "12:00")))
            .build();

    @ParameterizedTest
    @MethodSource("io.github.ajsessions.ai.AiFiles#variants")
    void addAppendsAndGetReturnsTheNewestMessages(SchemaVariant variant) {
        try (SessionStore store = AiFiles.open(dir, variant)) {
            ChatMemory memory = new AjChatMemory(AjMemory.builder(store).maxMessages(3).build());
            memory.add("chat", new UserMessage("q1"));
            memory.add("chat", List.of(new AssistantMessage("a1"), new UserMessage("q2"), new AssistantMessage("a2")));

            assertThat(memory.get("chat")).extracting(Message::getMessageType, Message::getText).containsExactly(
                    tuple(MessageType.ASSISTANT, "a1"), tuple(MessageType.USER, "q2"), tuple(MessageType.ASSISTANT, "a2"));
            assertThat(store.history("chat")).hasSize(3 + 4);
            assertThat(memory.get("unknown")).isEmpty();
        }
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }

    @Test
    void toolCallsAndResponsesAreAssistantRowsThatReadBack() throws Exception {
        try (SessionStore store = AiFiles.open(dir, SchemaVariant.AJ_INIT)) {
            ChatMemory memory = new AjChatMemory(store);
            List<Message> turn = List.of(new UserMessage("Weather in Paris?"), TOOL_CALLS, TOOL_RESPONSES,
                    new AssistantMessage("18 °C at noon."));
            memory.add("tools", turn);

            assertThat(AiFiles.rows(store, "tools").subList(3, 8)).containsExactly(
                    "user: Weather in Paris?",
                    "assistant: [aj-sessions:tool-calls] {\"text\":\"Let me look.\",\"calls\":[{\"id\":\"call_1\","
                            + "\"name\":\"weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"},{\"id\":\"call_2\","
                            + "\"name\":\"time\",\"arguments\":\"{}\"}]}",
                    "assistant: [aj-sessions:tool-result] {\"id\":\"call_1\",\"name\":\"weather\",\"result\":\"18 °C\"}",
                    "assistant: [aj-sessions:tool-result] {\"id\":\"call_2\",\"name\":\"time\",\"result\":\"12:00\"}",
                    "assistant: 18 °C at noon.");
            List<Message> back = memory.get("tools");
            assertThat(back).hasSize(4);
            assertThat(back.get(1)).isInstanceOf(AssistantMessage.class);
            assertThat(((AssistantMessage) back.get(1)).getToolCalls()).isEqualTo(TOOL_CALLS.getToolCalls());
            assertThat(back.get(1).getText()).isEqualTo("Let me look.");
            assertThat(((ToolResponseMessage) back.get(2)).getResponses()).isEqualTo(TOOL_RESPONSES.getResponses());
            assertThat(back.get(3).getText()).isEqualTo("18 °C at noon.");

            // aj continues it: every role is one it knows
            List<AjClient.Row> aj = new AjClient(store.file()).turn("tools", "and tomorrow?", "rain");
            assertThat(aj).hasSize(3 + 5 + 2).extracting(AjClient.Row::role).containsOnly("system", "user", "assistant");
        }
    }

    @Test
    void anAssistantTextThatLooksLikeAMarkerReadsBackAsText() {
        try (SessionStore store = AiFiles.open(dir, SchemaVariant.AJ_SESSIONS)) {
            ChatMemory memory = new AjChatMemory(store);
            String text = "[aj-sessions:tool-result] {\"id\":\"x\",\"name\":\"y\",\"result\":\"z\"}";
            memory.add("chat", List.of(new UserMessage("q"), new AssistantMessage(text)));
            assertThat(AiFiles.rows(store, "chat").get(4)).isEqualTo("assistant: [aj-sessions:text] " + text);
            assertThat(memory.get("chat").get(1)).isInstanceOf(AssistantMessage.class)
                    .extracting(Message::getText).isEqualTo(text);
        }
    }

    @Test
    void aWindowDoesNotStartWithOrphanToolResponses() {
        try (SessionStore store = AiFiles.open(dir, SchemaVariant.AJ_SESSIONS)) {
            ChatMemory memory = new AjChatMemory(AjMemory.builder(store).maxMessages(3).build());
            memory.add("chat", List.of(new UserMessage("q"), TOOL_CALLS, TOOL_RESPONSES, new AssistantMessage("done")));
            // the newest 3 rows are two tool results and "done": the results' call is outside the window
            assertThat(memory.get("chat")).extracting(Message::getText).containsExactly("done");
        }
    }

    @Test
    void clearIsRefusedUnlessAllowed() {
        try (SessionStore store = AiFiles.open(dir, SchemaVariant.AJ_SESSIONS)) {
            new AjChatMemory(store).add("chat", new UserMessage("q"));
            assertThatThrownBy(() -> new AjChatMemory(store).clear("chat"))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("allowDelete(true)");
            assertThat(store.history("chat")).hasSize(4);
            new AjChatMemory(AjMemory.builder(store).allowDelete(true).build()).clear("chat");
            assertThat(store.findSession("chat")).isEmpty();
        }
    }

    @Nested
    class Repository {

        @ParameterizedTest
        @MethodSource("io.github.ajsessions.ai.AiFiles#variants")
        void springAisWindowMemoryAppendsOnlyAndDeletesNothing(SchemaVariant variant) {
            try (SessionStore store = AiFiles.open(dir, variant)) {
                AjChatMemoryRepository repository = new AjChatMemoryRepository(AjMemory.builder(store).maxMessages(4).build());
                ChatMemory memory = MessageWindowChatMemory.builder().chatMemoryRepository(repository).maxMessages(4).build();
                for (int i = 0; i < 6; i++) {
                    memory.add("chat", List.of(new UserMessage("q" + i), new AssistantMessage("a" + i)));
                }
                assertThat(memory.get("chat")).extracting(Message::getText).containsExactly("q4", "a4", "q5", "a5");
                assertThat(store.history("chat")).hasSize(3 + 12);
                assertThat(repository.findConversationIds()).containsExactly("chat");
            }
        }

        @Test
        void saveAllComparesWithWhatIsStored() {
            try (SessionStore store = AiFiles.open(dir, SchemaVariant.AJ_SESSIONS)) {
                AjChatMemoryRepository repository = new AjChatMemoryRepository(store);
                List<Message> history = List.of(new UserMessage("q1"), TOOL_CALLS, TOOL_RESPONSES, new AssistantMessage("a1"));
                repository.saveAll("chat", history);
                // Spring AI reads the two tool responses back as one message, as they were given
                assertThat(repository.findByConversationId("chat")).hasSize(4);
                List<Message> more = new ArrayList<>(repository.findByConversationId("chat"));
                more.add(new UserMessage("q2"));
                repository.saveAll("chat", more);
                repository.saveAll("chat", more.subList(2, 5));   // a window: nothing new, nothing deleted
                assertThat(store.history("chat")).hasSize(3 + 6);

                Map<String, String> before = AiFiles.hashes(dir);
                List<Message> edited = new ArrayList<>(more);
                edited.set(0, new UserMessage("q1, edited"));
                edited.add(new AssistantMessage("a2"));
                assertThatThrownBy(() -> repository.saveAll("chat", edited)).isInstanceOf(HistoryConflictException.class);
                assertThat(AiFiles.hashes(dir)).isEqualTo(before);
            }
        }

        @Test
        void fourThreadsThroughSpringAisWindowMemoryLoseNothing() throws Exception {
            try (SessionStore store = AiFiles.open(dir, SchemaVariant.AJ_INIT)) {
                ChatMemory memory = MessageWindowChatMemory.builder()
                        .chatMemoryRepository(new AjChatMemoryRepository(store)).maxMessages(20).build();
                ExecutorService pool = Executors.newFixedThreadPool(4);
                try {
                    List<Future<?>> done = new ArrayList<>();
                    for (int t = 0; t < 4; t++) {
                        int thread = t;
                        done.add(pool.submit(() -> {
                            for (int i = 0; i < 25; i++) {
                                memory.add("shared", new UserMessage("t" + thread + " m" + i));
                            }
                        }));
                    }
                    for (Future<?> f : done) {
                        f.get();
                    }
                } finally {
                    pool.shutdownNow();
                }
                List<String> rows = AiFiles.rows(store, "shared");
                assertThat(rows).hasSize(3 + 100);
                assertThat(rows.subList(3, 103)).doesNotHaveDuplicates();
            }
        }
    }

    @Nested
    class BadInput {

        @Test
        void isRefusedBeforeAnythingIsWritten() {
            try (SessionStore store = AiFiles.open(dir, SchemaVariant.AJ_INIT)) {
                AjChatMemory memory = new AjChatMemory(store);
                AjChatMemoryRepository repository = new AjChatMemoryRepository(store);
                memory.add("chat", new UserMessage("q"));
                Map<String, String> before = AiFiles.hashes(dir);

                assertThatThrownBy(() -> memory.add(null, List.of(new UserMessage("q"))))
                        .isInstanceOf(IllegalArgumentException.class).hasMessage("session name must not be null");
                assertThatThrownBy(() -> memory.add("", List.of(new UserMessage("q"))))
                        .isInstanceOf(IllegalArgumentException.class).hasMessage("session name must not be empty");
                assertThatThrownBy(() -> memory.add("bad\uD800", List.of(new UserMessage("q"))))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("session name has an unpaired surrogate U+D800 at index 3: it cannot be stored as UTF-8");
                assertThatThrownBy(() -> repository.saveAll("new\uDC00", List.of(new UserMessage("q"))))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogate U+DC00");
                assertThatThrownBy(() -> memory.add("new", List.of(new UserMessage("fine"), new UserMessage("bad \uD800 text"))))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("content of message 1 has an unpaired surrogate U+D800 at index 4: it cannot be stored as UTF-8");
                assertThatThrownBy(() -> repository.saveAll("chat", List.of(new UserMessage("q"), new AssistantMessage("\uDFFF"))))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogate U+DFFF");
                assertThatThrownBy(() -> memory.add("new", Arrays.asList(new UserMessage("q"), null)))
                        .isInstanceOf(IllegalArgumentException.class).hasMessage("message 1 must not be null");
                Message custom = new Message() {
                    @Override
                    public MessageType getMessageType() {
                        return MessageType.TOOL;
                    }

                    @Override
                    public String getText() {
                        return "not a tool response message";
                    }

                    @Override
                    public Map<String, Object> getMetadata() {
                        return Map.of();
                    }
                };
                assertThatThrownBy(() -> memory.add("new", List.of(custom)))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("message 0 is of a type aj cannot hold: TOOL (");
                Media image = Media.builder().mimeType(MimeTypeUtils.IMAGE_PNG).data(URI.create("https://example.invalid/a.png")).build();
                assertThatThrownBy(() -> memory.add("new", List.of(UserMessage.builder().text("see").media(image).build())))
                        .isInstanceOf(IllegalArgumentException.class).hasMessage("message 0 has media: aj's messages hold text only");

                assertThat(AiFiles.hashes(dir)).isEqualTo(before);
                assertThat(store.findSession("new")).isEmpty();
            }
        }
    }
}
