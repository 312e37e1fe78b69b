package io.github.ajsessions.postgres;

import io.github.ajsessions.api.ConfigSnapshot;
import io.github.ajsessions.api.Preamble;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.StoreConfig;
import java.util.List;

/**
 * Run by {@link PostgresSecretsTest} in its own JVM with TRACE logging: uses a store on the URL in
 * {@code AJ_SESSIONS_CHILD_URL} (password included) and prints everything a user could print, and the failures.
 */
public final class PgSecretsChild {

    private PgSecretsChild() {
    }

    public static void main(String[] args) {
        // from the environment, not the command line: Hibernate logs the JVM's command line (sun.java.command)
        String url = System.getenv("AJ_SESSIONS_CHILD_URL");
        String wrong = System.getenv("AJ_SESSIONS_CHILD_WRONG_URL");
        StoreConfig config = StoreConfig.builder().database(url).entityManagerFactoryAtOpen(true).build();
        System.out.println("config " + config);
        try (SessionStore store = SessionStore.open(config)) {
            System.out.println("store " + store);
            System.out.println("info " + store.info());
            System.out.println("session " + store.findOrCreateSession("s", Preamble.defaults()));
            System.out.println("turn " + store.appendTurn("s", "q", "a"));
            store.recordConfigSnapshot("s", new ConfigSnapshot("http://x/v1", "k", "m", 1, 1, List.of()));
            System.out.println("sessions " + store.listSessions());
            System.out.println("jpa " + store.jpa().withEntityManager(em -> em.createQuery(
                    "select count(m) from Message m", Long.class).getSingleResult()));
            try {
                store.renameSession("s", "s");
                store.findOrCreateSession("t");
                store.renameSession("t", "s");
            } catch (RuntimeException e) {
                System.out.println("error " + e);
            }
        }
        try {
            SessionStore.open(StoreConfig.builder().database(wrong).build()).close();
        } catch (RuntimeException e) {
            System.out.println("error " + e);
            e.printStackTrace();
        }
        System.out.println("DONE");
    }
}
