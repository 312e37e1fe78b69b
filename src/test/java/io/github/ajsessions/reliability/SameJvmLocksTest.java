package io.github.ajsessions.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.ajsessions.api.Preamble;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.testkit.AjDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * POSIX advisory locks belong to the process, and closing <em>any</em> descriptor of the file drops
 * all of them (sqlite.org/howtocorrupt.html, 2.2). SQLite keeps its own descriptors open for that
 * reason; Java code of this module that opens and closes aj.db (say, to read its header) while a store
 * of the same JVM holds a lock silently releases that lock, and aj (another process) then writes
 * under our feet. Here a second store is opened, and the CLI runs, inside a write transaction of the
 * first; another process must still find the file locked.
 */
class SameJvmLocksTest {

    private Path folder;

    @BeforeEach
    void folder() throws Exception {
        folder = Files.createTempDirectory("aj-same-jvm");
    }

    @AfterEach
    void cleanUp() {
        Reliability.deleteTree(folder);
    }

    @Test
    void openingAnotherStoreOnTheFileKeepsThisStoresWriteLock() throws Exception {
        assumeTrue(AjLikeWriter.python3Available(), "python3 probes the lock from another process");
        Path db = AjDatabases.create(folder.resolve("aj.db"), SchemaVariant.AJ_INIT);
        try (SessionStore store = SessionStore.open(StoreConfig.forFile(db))) {
            store.findOrCreateSession("s", Preamble.defaults());
            String before = store.jpa().inTransaction(em -> probe(db));
            assertThat(before).as("another process while we hold BEGIN IMMEDIATE").startsWith("BUSY");
            String after = store.jpa().inTransaction(em -> {
                SessionStore.open(StoreConfig.forFile(db)).close();
                return probe(db);
            });
            assertThat(after).as("another process after a second store opened and closed in this JVM")
                    .startsWith("BUSY");
            String afterCli = store.jpa().inTransaction(em -> {
                io.github.ajsessions.cli.AjSessionsCommand.execute(new String[] {"sessions", "--db=" + db},
                        new java.io.PrintWriter(java.io.Writer.nullWriter()),
                        new java.io.PrintWriter(java.io.Writer.nullWriter()));
                return probe(db);
            });
            assertThat(afterCli).as("another process after the CLI ran in this JVM").startsWith("BUSY");
        }
    }

    /** Tries BEGIN IMMEDIATE with no busy timeout from another process: "GOT-LOCK" or "BUSY ...". */
    static String probe(Path db) {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import sqlite3, sys\n"
                    + "c = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None)\n"
                    + "try:\n"
                    + "    c.execute('BEGIN IMMEDIATE'); c.execute('ROLLBACK'); print('GOT-LOCK')\n"
                    + "except sqlite3.OperationalError as e:\n"
                    + "    print('BUSY', e)\n", db.toString()).redirectErrorStream(true).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "TIMEOUT";
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
