package io.github.ajsessions.reliability;

import io.github.ajsessions.api.Preamble;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.StoreConfig.JournalMode;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.model.Message;
import io.github.ajsessions.model.MessageRecord;
import io.github.ajsessions.model.Role;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The JVM {@link CrashTest} kills: opens the store and appends turns and single messages without end,
 * printing each acknowledged write ({@code T userId assistantId n} or {@code M id n}) and flushing,
 * so that the test knows exactly what was acknowledged before SIGKILL. Bounded to 120 s.
 *
 * <p>Arguments: the database file, the journal mode (KEEP, WAL, DELETE), a run number.
 */
public final class CrashChild {

    private CrashChild() {
    }

    public static void main(String[] args) {
        Path db = Path.of(args[0]);
        JournalMode mode = JournalMode.valueOf(args[1]);
        String run = args[2];
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + 120_000_000_000L;
        try (SessionStore store = SessionStore.open(StoreConfig.builder().database(db).journalMode(mode).build())) {
            store.findOrCreateSession("crash", Preamble.defaults());
            out.println("READY");
            out.flush();
            for (int n = 0; n < 1_000_000 && System.nanoTime() < deadline; n++) {
                String tag = run + "-" + n;
                if (n % 3 == 2) {
                    MessageRecord m = store.appendMessage("crash", Role.USER, "M " + tag);
                    out.println("M " + m.id() + " " + tag);
                } else {
                    List<MessageRecord> turn = store.appendTurn("crash", "Q " + tag, "A " + tag);
                    out.println("T " + turn.get(0).id() + " " + turn.get(1).id() + " " + tag);
                }
                out.flush();
            }
        }
    }
}
