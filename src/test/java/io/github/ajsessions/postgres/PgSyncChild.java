package io.github.ajsessions.postgres;

import io.github.ajsessions.api.PostgresSync;
import io.github.ajsessions.core.StoreConfig;
import java.nio.file.Path;

/** Run by {@link PostgresSyncKillTest}: syncs {@code args[0]} into the URL in the environment, in small batches. */
public final class PgSyncChild {

    private PgSyncChild() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        PostgresSync.sync(StoreConfig.forFile(file), System.getenv("AJ_SESSIONS_CHILD_URL"), false, false,
                Integer.parseInt(args[1]), n -> System.out.println("sent " + n));
        System.out.println("DONE");
    }
}
