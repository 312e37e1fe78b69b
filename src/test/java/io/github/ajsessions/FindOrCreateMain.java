package io.github.ajsessions;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A second process for the concurrency test: waits for a "go" file (at most 60 s), then finds or
 * creates sessions p0..p(n-1) on the file. Args: database, go-file, n.
 */
public final class FindOrCreateMain {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        Path go = Path.of(args[1]);
        int n = Integer.parseInt(args[2]);
        try (SessionStore store = SessionStore.open(StoreConfig.builder().database(file)
                .schemaMode(StoreConfig.SchemaMode.VALIDATE).build())) {
            System.out.println("ready");
            System.out.flush();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!Files.exists(go) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            for (int i = 0; i < n; i++) {
                store.findOrCreateSession("p" + i);
            }
        }
        System.out.println("done");
    }
}
