package io.github.ajsessions.cli;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.StoreConfig;
import java.nio.file.Path;

/**
 * A separate process that starts a backup and stalls after its first step, so that the test can kill
 * it with SIGKILL while the partial file exists. Prints {@code started} once a step is written.
 * Arguments: the database, the destination.
 */
public final class BackupKillChild {
    private BackupKillChild() {
    }

    public static void main(String[] args) throws Exception {
        try (SessionStore store = SessionStore.open(StoreConfig.builder().database(args[0])
                .schemaMode(StoreConfig.SchemaMode.READ_ONLY).build())) {
            store.maintenance().backup(Path.of(args[1]), false, (done, total) -> {
                if (done > 0) {
                    System.out.println("started");
                    System.out.flush();
                    try {
                        Thread.sleep(600_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
        }
    }
}
