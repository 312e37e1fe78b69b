package io.github.ajsessions;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.StoreConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * Boot time, for persistence-notes.md: JVM start to an open store, and to its first query.
 * Args: database [MIGRATE|VALIDATE|READ_ONLY] [jpa: Hibernate booted in open]. Prints milliseconds since the JVM started.
 */
public final class BootTime {
    public static void main(String[] args) {
        StoreConfig.SchemaMode mode = StoreConfig.SchemaMode.valueOf(args.length > 1 ? args[1] : "MIGRATE");
        try (SessionStore store = SessionStore.open(StoreConfig.builder().database(Path.of(args[0])).schemaMode(mode)
                .entityManagerFactoryAtOpen(args.length > 2 && args[2].equals("jpa")).build())) {
            long opened = System.currentTimeMillis();
            int sessions = store.listSessions().size();
            long queried = System.currentTimeMillis();
            long start = ManagementFactory.getRuntimeMXBean().getStartTime();
            System.out.println("open " + (opened - start) + " ms, first query " + (queried - start) + " ms ("
                    + sessions + " sessions, " + store.info().variant() + ", applied " + store.info().appliedMigrations().size() + ")");
        }
    }
}
