package io.github.ajsessions.bench;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.StoreConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.sqlite.SQLiteConfig;

/**
 * Run in a fresh JVM by {@link BenchMain}: opens the file and reads the last 10 messages of one
 * session, printing {@code System.nanoTime()} (a monotonic clock shared by the processes of one Linux
 * machine) when the store is open and when the messages are read.
 *
 * <p>{@code store FILE}: {@link SessionStore#open(Path)} (migrate mode: checked up to date, tables
 * compared with aj's schema); {@code store-jpa FILE}: the same with Hibernate booted and validating in
 * {@code open} ({@link StoreConfig#entityManagerFactoryAtOpen()});
 * {@code jdbc FILE}: one sqlite-jdbc connection with the same settings.
 */
public final class StartupProbe {

    private StartupProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        long open;
        long read;
        int rows;
        if (args[0].startsWith("store")) {
            StoreConfig config = StoreConfig.forFile(file).toBuilder()
                    .entityManagerFactoryAtOpen(args[0].equals("store-jpa")).build();
            try (SessionStore store = SessionStore.open(config)) {
                open = System.nanoTime();
                rows = store.lastMessages("session-0000", 10).size();
                read = System.nanoTime();
            }
        } else {
            SQLiteConfig config = new SQLiteConfig();
            config.setBusyTimeout(5_000);
            config.enforceForeignKeys(true);
            try (Connection c = config.createConnection("jdbc:sqlite:" + file)) {
                open = System.nanoTime();
                rows = 0;
                try (PreparedStatement q = c.prepareStatement("SELECT m.id, m.role, m.content, m.dynamic FROM messages m"
                        + " WHERE m.conversation_id = (SELECT id FROM conversations WHERE session_name = ?"
                        + " ORDER BY id LIMIT 1) ORDER BY m.id DESC LIMIT 10")) {
                    q.setString(1, "session-0000");
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            rows++;
                        }
                    }
                }
                read = System.nanoTime();
            }
        }
        if (rows != 10) {
            throw new IllegalStateException("read " + rows + " rows, expected 10");
        }
        System.out.println("open=" + open + " read=" + read);
    }
}
