package io.github.ajsessions.bench;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.bench.springapp.BenchSpringApp;
import io.github.ajsessions.bench.springapp.ChatService;
import java.nio.file.Path;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A conversation of {@code length} messages on its own aj file, open for appending through a Spring Boot
 * application: {@link BenchSpringApp} started on the file, turns through its {@code @Transactional}
 * {@link ChatService} and Spring Data repositories.
 */
final class SpringTurn implements AutoCloseable {

    private final Path file;
    private final ConfigurableApplicationContext context;
    private final ChatService chat;

    private SpringTurn(Path file, ConfigurableApplicationContext context) {
        this.file = file;
        this.context = context;
        this.chat = context.getBean(ChatService.class);
    }

    /** Makes {@code dir/aj.db} (aj-init file, adopted), seeds {@link AppendTurnBenchmark#SESSION}, starts the application. */
    static SpringTurn open(Path dir, int length) {
        Path file = BenchData.newStoreFile(dir.resolve("aj.db"));
        try (SessionStore store = SessionStore.open(file)) {
            store.bulk().importMessages(AppendTurnBenchmark.SESSION, AppendTurnBenchmark.seed(length));
        }
        return new SpringTurn(file, BenchSpringApp.start(file));
    }

    Object appendTurn(String user, String assistant) {
        return chat.appendTurn(AppendTurnBenchmark.SESSION, user, assistant);
    }

    Path file() {
        return file;
    }

    ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        context.close();
    }

    /**
     * Seconds of Spring turns on a scratch file in memory before a Spring benchmark measures, where
     * {@link AppendTurnBenchmark#PRE_WARM_SECONDS} serve the other implementations. Why longer: the JIT
     * takes much longer over Spring's, Spring Data's and Hibernate's call paths than over the module's, so a
     * short pre-warm measures compilation as the turn's cost (persistence-notes, "A turn through a Spring Boot
     * application", has the curve seen with {@link SpringTurnProbe}).
     */
    static final int PRE_WARM_SECONDS = 40;

    /** Appends through Spring for up to {@link #PRE_WARM_SECONDS} s to a scratch file in memory. */
    static void preWarm(int length, String[] user, String[] assistant) throws Exception {
        preWarm(length, user, assistant, PRE_WARM_SECONDS, Integer.MAX_VALUE);
    }

    /** Appends through Spring for up to {@code seconds} and {@code maxTurns} to a scratch file in memory. */
    static void preWarm(int length, String[] user, String[] assistant, int seconds, int maxTurns) throws Exception {
        Path scratch = BenchData.memoryDir("spring-warm-");
        try (SpringTurn warm = open(scratch, length)) {
            long until = System.nanoTime() + seconds * 1_000_000_000L;
            for (int i = 0; i < maxTurns && System.nanoTime() < until; i++) {
                warm.appendTurn(user[i & (AppendTurnBenchmark.TURNS - 1)], assistant[i & (AppendTurnBenchmark.TURNS - 1)]);
            }
        } finally {
            BenchData.deleteTree(scratch);
        }
    }
}
