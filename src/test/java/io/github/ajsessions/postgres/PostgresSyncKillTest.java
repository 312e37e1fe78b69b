package io.github.ajsessions.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ajsessions.api.PostgresSync;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.model.MessageRecord;
import io.github.ajsessions.model.Role;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sync killed with SIGKILL between batches: the next run completes it, nothing lost or duplicated. */
class PostgresSyncKillTest {

    private static final int MESSAGES = 40_000;

    @Test
    void aKilledSyncIsCompletedByTheNextRun(@TempDir Path folder) throws Exception {
        PgTestServer.baseUrl(); // skip (or fail in CI) before making the file when there is no server
        Path file = folder.resolve("aj.db");
        try (SessionStore store = SessionStore.open(file)) {
            List<MessageRecord> rows = new ArrayList<>();
            rows.add(new MessageRecord(0, null, Role.SYSTEM, "s", false));
            rows.add(new MessageRecord(0, null, Role.USER, "b", false));
            rows.add(new MessageRecord(0, null, Role.ASSISTANT, "Ok", false));
            for (int i = 3; i < MESSAGES; i++) {
                rows.add(new MessageRecord(0, null, i % 2 == 1 ? Role.USER : Role.ASSISTANT, "m" + i, false));
            }
            store.bulk().importMessages("big", rows);
        }
        try (PgTestServer.Schema schema = PgTestServer.newSchema()) {
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", System.getProperty("java.class.path"), PgSyncChild.class.getName(),
                    file.toString(), "100");
            builder.environment().put("AJ_SESSIONS_CHILD_URL", schema.urlWithCredentials());
            Path out = folder.resolve("out.txt");
            Process child = builder.redirectErrorStream(true).redirectOutput(out.toFile()).start();
            long mark = 0;
            // wait for some committed batches (not a timing assertion: the kill point only has to be mid-run)
            for (int i = 0; i < 1200 && mark < 2_000; i++) {
                Thread.sleep(100);
                assertThat(child.isAlive()).as("child still syncing; output: %s", read(out)).isTrue();
                mark = mark(schema);
            }
            child.destroyForcibly(); // SIGKILL
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            long atKill = mark(schema);
            long rowsAtKill = count(schema);
            assertThat(atKill).as("killed mid-run").isGreaterThan(0).isLessThan(MESSAGES);
            assertThat(rowsAtKill).as("the committed batches, and their mark, are there together").isEqualTo(atKill);

            PostgresSync.SyncResult rest = PostgresSync.sync(StoreConfig.forFile(file), schema.urlWithCredentials(),
                    false, false, 5_000, null);
            assertThat(rest.messages()).isEqualTo(MESSAGES - atKill);
            assertThat(count(schema)).isEqualTo(MESSAGES);
            try (Connection c = schema.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(DISTINCT origin_aj_id), min(content), count(*)"
                         + " FILTER (WHERE content = 'm" + (MESSAGES - 1) + "') FROM messages")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(MESSAGES);
                assertThat(rs.getLong(3)).isEqualTo(1);
            }
        }
    }

    private static String read(Path out) {
        try {
            return java.nio.file.Files.readString(out);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static long mark(PgTestServer.Schema schema) throws Exception {
        try (Connection c = schema.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(max(last_message_id), 0) FROM aj_sessions_origins")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (java.sql.SQLException e) {
            return 0; // the child has not created the tables yet
        }
    }

    private static long count(PgTestServer.Schema schema) throws Exception {
        try (Connection c = schema.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM messages")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
