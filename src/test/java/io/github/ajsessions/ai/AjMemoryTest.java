package io.github.ajsessions.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ajsessions.AjClient;
import io.github.ajsessions.api.Preamble;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.SchemaVariant;
import java.nio.file.Path;
import java.util.ArrayList;
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

/** The framework-neutral rules: append, window on read, save appending only what is new, delete policy. */
class AjMemoryTest {

    private static final String PREAMBLE_SYSTEM = "system: " + Preamble.DEFAULT_SYSTEM_PROMPT;

    @TempDir
    Path dir;

    private static List<ChatRow> turns(int from, int to) {
        List<ChatRow> rows = new ArrayList<>();
        for (int i = from; i < to; i++) {
            rows.add(i % 2 == 0 ? ChatRow.user("question " + i) : ChatRow.assistant("answer " + i));
        }
        return rows;
    }

    @ParameterizedTest
    @MethodSource("io.github.ajsessions.ai.AiFiles#variants")
    void aNewConversationStartsWithAjsPreambleAndReadsHideIt(SchemaVariant variant) {
        try (SessionStore store = AiFiles.open(dir, variant)) {
            AjMemory memory = AjMemory.builder(store).build();
            memory.append("chat", List.of(ChatRow.user("hi"), ChatRow.assistant("hello")));

            List<String> rows = AiFiles.rows(store, "chat");
            assertThat(rows).hasSize(5);
            assertThat(rows.get(0)).isEqualTo(PREAMBLE_SYSTEM);
            assertThat(rows.get(1)).startsWith("user: Below is a JSON representation");
            assertThat(rows.subList(2, 5)).containsExactly("assistant: Ok", "user: hi", "assistant: hello");
            assertThat(memory.read("chat")).containsExactly(ChatRow.user("hi"), ChatRow.assistant("hello"));
        }
    }

    @ParameterizedTest
    @MethodSource("io.github.ajsessions.ai.AiFiles#variants")
    void readsTheNewestRowsAndWindowingDeletesNothing(SchemaVariant variant) {
        try (SessionStore store = AiFiles.open(dir, variant)) {
            AjMemory memory = AjMemory.builder(store).maxMessages(4).build();
            memory.append("chat", turns(0, 10));

            assertThat(memory.read("chat")).containsExactlyElementsOf(turns(6, 10));
            // a window memory saves its window plus the new rows: appended, nothing deleted
            List<ChatRow> window = new ArrayList<>(memory.readForSave("chat"));
            window.remove(0);
            window.addAll(turns(10, 12));
            assertThat(memory.save("chat", window)).isEqualTo(2);
            assertThat(store.history("chat")).hasSize(3 + 12);
            assertThat(memory.read("chat")).containsExactlyElementsOf(turns(8, 12));
        }
    }

    @Test
    void readsOfAShortConversationSkipOnlyThePreamble() {
        try (SessionStore store = AiFiles.open(dir, SchemaVariant.AJ_SESSIONS)) {
            AjMemory memory = AjMemory.builder(store).maxMessages(20).build();
            assertThat(memory.read("missing")).isEmpty();
            store.findOrCreateSession("preamble-only", Preamble.defaults());
            assertThat(memory.read("preamble-only")).isEmpty();
            memory.append("chat", turns(0, 1));
            assertThat(memory.read("chat")).containsExactly(ChatRow.user("question 0"));
        }
    }

    @Test
    void aLongerPreambleIsSkippedWhole() {
        try (SessionStore store = AiFiles.open(dir, SchemaVariant.AJ_SESSIONS)) {
            Preamble preamble = Preamble.of("You answer in French.",
                    List.of(new Preamble.TemplateMessage(io.github.ajsessions.model.Role.USER, "seed")));
            AjMemory memory = AjMemory.builder(store).preamble(preamble).maxMessages(3).build();
            memory.append("chat", turns(0, 2));
            assertThat(AiFiles.rows(store, "chat")).hasSize(6).first().isEqualTo("system: You answer in French.");
            assertThat(memory.read("chat")).containsExactlyElementsOf(turns(0, 2));
        }
    }

    @Nested
    class Save {

        @Test
        void appendsTheNewTailOfTheWholeHistory() {
            try (SessionStore store = AiFiles.open(dir, SchemaVariant.AJ_SESSIONS)) {
                AjMemory memory = AjMemory.builder(store).build();
                assertThat(memory.save("chat", turns(0, 2))).isEqualTo(2);
                assertThat(memory.save("chat", turns(0, 5))).isEqualTo(3);
                assertThat(memory.save("chat", turns(0, 5))).isZero();
                assertThat(memory.save("chat", List.of())).isZero();
                assertThat(memory.read("chat")).containsExactlyElementsOf(turns(0, 5));
                assertThat(store.history("chat")).hasSize(3 + 5);
            }
        }

        @Test
        void aWindowWithoutNewRowsAppendsNothingAndDeletesNothing() {
            try (SessionStore store = AiFiles.open(dir, SchemaVariant.AJ_SESSIONS)) {
                AjMemory memory = AjMemory.builder(store).build();
                memory.save("chat", turns(0, 8));
                assertThat(memory.save("chat", turns(5, 8))).isZero();
                assertThat(memory.save("chat", turns(7, 8))).isZero();
                assertThat(memory.read("chat")).containsExactlyElementsOf(turns(0, 8));
            }
        }

        @Test
        void anEditInTheMiddleIsRefusedAndNothingIsWritten() {
            try (SessionStore store = AiFiles.open(dir, SchemaVariant.AJ_SESSIONS)) {
                AjMemory memory = AjMemory.builder(store).build();
                memory.save("chat", turns(0, 4));
                Map<String, String> before = AiFiles.hashes(dir);

                List<ChatRow> edited = new ArrayList<>(turns(0, 6));
                edited.set(1, ChatRow.assistant("a different answer"));
                assertThatThrownBy(() -> memory.save("chat", edited))
                        .isInstanceOf(HistoryConflictException.class)
                        .hasMessageStartingWith("the 6 messages given for conversation 'chat' in " + store.file())
                        .hasMessageEndingWith("aj's history is append-only, nothing was written");
                List<ChatRow> removed = new ArrayList<>(turns(0, 5));
                removed.remove(2);
                assertThatThrownBy(() -> memory.save("chat", removed)).isInstanceOf(HistoryConflictException.class);

                assertThat(AiFiles.hashes(dir)).isEqualTo(before);
                assertThat(memory.read("chat")).containsExactlyElementsOf(turns(0, 4));
            }
        }

        @Test
        void systemMessagesAreLeftOutOfTheComparisonAndStoredOnce() {
            try (SessionStore store = AiFiles.open(dir, SchemaVariant.AJ_SESSIONS)) {
                AjMemory memory = AjMemory.builder(store).build();
                ChatRow system = ChatRow.system("Be brief.");
                memory.save("chat", List.of(system, ChatRow.user("q1")));
                // the window keeps the system message first; the frameworks re-send it
                memory.save("chat", List.of(system, ChatRow.user("q1"), ChatRow.assistant("a1")));
                memory.save("chat", List.of(ChatRow.user("q1"), ChatRow.assistant("a1"), system));
                // a new system message is stored where it stands
                memory.save("chat", List.of(ChatRow.user("q1"), ChatRow.assistant("a1"), ChatRow.system("Be verbose."),
                        ChatRow.user("q2")));

                assertThat(memory.read("chat")).containsExactly(system, ChatRow.user("q1"), ChatRow.assistant("a1"),
                        ChatRow.system("Be verbose."), ChatRow.user("q2"));
            }
        }

        @Test
        void anotherWritersRowsSinceThisThreadsReadAreNotAnEdit() {
            try (SessionStore store = AiFiles.open(dir, SchemaVariant.AJ_SESSIONS)) {
                AjMemory memory = AjMemory.builder(store).build();
                memory.save("chat", turns(0, 2));
                List<ChatRow> seen = new ArrayList<>(memory.readForSave("chat"));
                memory.append("chat", List.of(ChatRow.user("from another thread")));   // after this thread's read
                seen.add(ChatRow.user("mine"));

                assertThat(memory.save("chat", seen)).isEqualTo(1);
                assertThat(memory.read("chat")).containsExactly(ChatRow.user("question 0"), ChatRow.assistant("answer 1"),
                        ChatRow.user("from another thread"), ChatRow.user("mine"));
                // without a read in this thread, the same list is an edit
                List<ChatRow> stale = List.of(ChatRow.user("question 0"), ChatRow.assistant("answer 1"), ChatRow.user("x"));
                assertThatThrownBy(() -> memory.save("chat", stale)).isInstanceOf(HistoryConflictException.class);
            }
        }
    }

    @Test
    void deletingIsRefusedUnlessAllowed() {
        try (SessionStore store = AiFiles.open(dir, SchemaVariant.AJ_INIT)) {
            AjMemory memory = AjMemory.builder(store).build();
            memory.append("chat", turns(0, 2));
            assertThatThrownBy(() -> memory.delete("chat"))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessage("conversation 'chat' in " + store.file() + " was not deleted: aj's history is"
                            + " append-only and this memory was built without allowDelete(true)"
                            + " (aj.sessions.chat-memory.allow-delete=true with Spring Boot)");
            assertThat(store.history("chat")).hasSize(5);

            AjMemory deleting = AjMemory.builder(store).allowDelete(true).build();
            assertThat(deleting.delete("chat")).isTrue();
            assertThat(store.findSession("chat")).isEmpty();
            assertThat(deleting.delete("chat")).isFalse();
        }
    }

    @Test
    void listsAjsSessionNames() {
        try (SessionStore store = AiFiles.open(dir, SchemaVariant.AJ_SESSIONS)) {
            AjMemory memory = AjMemory.builder(store).build();
            memory.append("b", turns(0, 1));
            memory.append("a", turns(0, 1));
            assertThat(memory.conversationIds()).containsExactly("b", "a");
        }
    }

    @Test
    void rejectsAWindowBelowOne() {
        try (SessionStore store = AiFiles.open(dir, SchemaVariant.AJ_SESSIONS)) {
            assertThatThrownBy(() -> AjMemory.builder(store).maxMessages(0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("maxMessages must be >= 1, was 0");
        }
    }

    @ParameterizedTest
    @MethodSource("io.github.ajsessions.ai.AiFiles#variants")
    void ajAndTheMemoryContinueEachOthersSessions(SchemaVariant variant) throws Exception {
        try (SessionStore store = AiFiles.open(dir, variant)) {
            AjMemory memory = AjMemory.builder(store).build();
            AjClient aj = new AjClient(store.file());
            aj.turn("research", "aj's question", "aj's answer");
            assertThat(memory.read("research")).containsExactly(ChatRow.user("aj's question"),
                    ChatRow.assistant("aj's answer"));

            memory.save("research", List.of(ChatRow.user("aj's question"), ChatRow.assistant("aj's answer"),
                    ChatRow.user("app's question"), ChatRow.assistant("app's answer")));
            List<AjClient.Row> seen = aj.turn("research", "aj again", "sure");
            assertThat(seen).extracting(AjClient.Row::content).endsWith("aj's answer", "app's question",
                    "app's answer", "aj again", "sure");

            memory.append("fresh", turns(0, 2));
            assertThat(aj.turn("fresh", "aj's turn", "ok")).hasSize(3 + 2 + 2);
        }
    }

    @Test
    void fourThreadsAppendingToOneConversationLoseNothing() throws Exception {
        try (SessionStore store = AiFiles.open(dir, SchemaVariant.AJ_INIT)) {
            AjMemory memory = AjMemory.builder(store).build();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < 25; i++) {
                            memory.append("shared", List.of(ChatRow.user("t" + thread + " m" + i)));
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
            assertThat(rows.subList(3, 103)).doesNotHaveDuplicates().allMatch(r -> r.startsWith("user: t"));
        }
    }
}
