package io.github.ajsessions.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ajsessions.model.Message;
import io.github.ajsessions.model.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** The check, shared by the SQLite and the PostgreSQL test: 4 threads × 25 turns into one session. */
final class TurnRace {

    private TurnRace() {
    }

    /**
     * Starts {@code session}, appends 4 × 25 turns from 4 threads at once and checks: none failed, all committed,
     * each thread's ids ascending, every question directly followed by its answer (the next id).
     *
     * @return the session's messages, in id order
     */
    static List<Message> fourThreadsTimesTwentyFiveTurns(ChatService chat, String session) throws Exception {
        chat.startSession(session, "You are a test.");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger failed = new AtomicInteger();
        List<List<Long>> idsByThread = new ArrayList<>();
        try {
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<Long> ids = new ArrayList<>();
                    for (int i = 0; i < 25; i++) {
                        try {
                            List<Message> turn = chat.appendTurn(session, "q" + thread + "." + i, "a" + thread + "." + i);
                            ids.add(turn.get(0).getId());
                            ids.add(turn.get(1).getId());
                        } catch (RuntimeException e) {
                            failed.incrementAndGet();
                        }
                    }
                    return ids;
                }));
            }
            for (Future<List<Long>> f : futures) {
                idsByThread.add(f.get());
            }
        } finally {
            pool.shutdown();
        }
        assertThat(failed).hasValue(0);
        List<Message> history = chat.history(session);
        assertThat(history).hasSize(3 + 4 * 25 * 2);
        // ids ascend in append order within each thread
        for (List<Long> ids : idsByThread) {
            assertThat(ids).hasSize(50).isSorted();
        }
        // every turn: the user's question right before its answer
        for (int i = 3; i < history.size(); i += 2) {
            Message question = history.get(i);
            Message answer = history.get(i + 1);
            assertThat(question.getRole()).isEqualTo(Role.USER);
            assertThat(answer.getRole()).isEqualTo(Role.ASSISTANT);
            assertThat(answer.getId()).isEqualTo(question.getId() + 1);
            assertThat(answer.getContent()).isEqualTo("a" + question.getContent().substring(1));
        }
        assertThat(chat.listSessions()).contains(new ChatService.SessionLine(session, 203));
        return history;
    }
}
