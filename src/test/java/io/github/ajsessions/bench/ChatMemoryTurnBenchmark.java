package io.github.ajsessions.bench;

import io.github.ajsessions.ai.AjMemory;
import io.github.ajsessions.ai.springai.AjChatMemory;
import io.github.ajsessions.ai.springai.AjChatMemoryRepository;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.model.MessageRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.UserMessage;

/**
 * Adding one turn (user + assistant) through a Spring AI {@link ChatMemory} to a conversation of
 * {@code length} stored messages, on an aj file in its own journal mode (rollback journal, synchronous FULL):
 *
 * <ul>
 *   <li>{@code jdbc}: the limit, {@link AppendTurnBenchmark}'s plain JDBC (two inserts in one
 *       {@code BEGIN IMMEDIATE} transaction, the conversation id known);</li>
 *   <li>{@code aj-chat-memory}: {@link AjChatMemory#add}, what Spring AI's memory advisors call: one
 *       transaction appending the two rows;</li>
 *   <li>{@code aj-repository}: Spring AI's {@link MessageWindowChatMemory} (20 messages) over
 *       {@link AjChatMemoryRepository}: it reads the window, then {@code saveAll} compares and appends;</li>
 *   <li>{@code spring-ai}: {@link MessageWindowChatMemory} over Spring AI's {@code JdbcChatMemoryRepository}
 *       with a window of {@code length}, as {@link AppendTurnBenchmark} runs it: it reads the conversation,
 *       then deletes and rewrites it.</li>
 * </ul>
 * The module's conversations grow by one turn per operation; reading through the index keeps that
 * irrelevant. Targets: flat in {@code length}, {@code aj-chat-memory} at most 1.3 times {@code jdbc},
 * at least 5 times faster than {@code spring-ai} at 1,000 messages.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ChatMemoryTurnBenchmark {

    @Param({"10", "1000", "10000"})
    public int length;

    @Param({"jdbc", "aj-chat-memory", "aj-repository", "spring-ai"})
    public String impl;

    private Path dir;
    private Turn target;
    private final String[] userTexts = new String[AppendTurnBenchmark.TURNS];
    private final String[] assistantTexts = new String[AppendTurnBenchmark.TURNS];
    private int turn;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        AppendTurnBenchmark.texts(userTexts, assistantTexts);
        preWarm(impl, Math.min(length, 1_000), userTexts, assistantTexts);
        turn = 0;
        dir = Files.createTempDirectory(BenchData.dir(), "chat-memory-");
        target = Turn.open(impl, dir, length);
    }

    @Benchmark
    public Object addTurn() throws Exception {
        int i = turn++ & (AppendTurnBenchmark.TURNS - 1);
        return target.add(userTexts[i], assistantTexts[i]);
    }

    /** As {@link AppendTurnBenchmark#preWarm}: up to 5 s of turns on a scratch file in memory first. */
    static void preWarm(String impl, int length, String[] user, String[] assistant) throws Exception {
        Path scratch = BenchData.memoryDir("chat-memory-warm-");
        try (Turn warm = Turn.open(impl, scratch, length)) {
            long until = System.nanoTime() + AppendTurnBenchmark.PRE_WARM_SECONDS * 1_000_000_000L;
            for (int i = 0; i < 50_000 && System.nanoTime() < until; i++) {
                warm.add(user[i & (AppendTurnBenchmark.TURNS - 1)], assistant[i & (AppendTurnBenchmark.TURNS - 1)]);
            }
        } finally {
            BenchData.deleteTree(scratch);
        }
    }

    /** One implementation's conversation of {@code length} messages, open for adding turns. */
    interface Turn extends AutoCloseable {

        Object add(String user, String assistant) throws Exception;

        static Turn open(String impl, Path dir, int length) throws Exception {
            switch (impl) {
                case "jdbc", "spring-ai" -> {
                    AppendTurnBenchmark.Target t = AppendTurnBenchmark.Target.open(impl, dir, length);
                    return new Turn() {
                        @Override
                        public Object add(String user, String assistant) throws Exception {
                            return t.appendTurn(user, assistant);
                        }

                        @Override
                        public void close() throws Exception {
                            t.close();
                        }
                    };
                }
                case "aj-chat-memory", "aj-repository" -> {
                    Path file = BenchData.newStoreFile(dir.resolve("aj.db"));
                    SessionStore store = SessionStore.open(file);
                    List<MessageRecord> seed = new ArrayList<>(length);
                    BenchTexts seedTexts = new BenchTexts(BenchTexts.SEED + 2);
                    for (int i = 0; i < length; i++) {
                        seed.add(MessageRecord.of(BenchTexts.roleAt(i), seedTexts.textAt(i)));
                    }
                    store.bulk().importMessages(AppendTurnBenchmark.SESSION, seed);
                    AjMemory rules = AjMemory.builder(store).maxMessages(20).build();
                    ChatMemory memory = impl.equals("aj-chat-memory") ? new AjChatMemory(rules)
                            : MessageWindowChatMemory.builder().chatMemoryRepository(new AjChatMemoryRepository(rules))
                                    .maxMessages(20).build();
                    return new Turn() {
                        @Override
                        public Object add(String user, String assistant) {
                            memory.add(AppendTurnBenchmark.SESSION, List.of(new UserMessage(user),
                                    new AssistantMessage(assistant)));
                            return memory;
                        }

                        @Override
                        public void close() {
                            store.close();
                        }
                    };
                }
                default -> throw new IllegalArgumentException("unknown impl " + impl);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        BenchData.closeAll(target);
        target = null;
        BenchData.deleteTree(dir);
    }
}
