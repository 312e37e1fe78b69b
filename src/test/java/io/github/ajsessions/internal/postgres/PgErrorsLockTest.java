package io.github.ajsessions.internal.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ajsessions.core.DatabaseLockedException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL a lost transaction and a lock given up are both {@link DatabaseLockedException} (retry the call),
 * each with its own reason: neither is the busy timeout that the file's message speaks of.
 */
class PgErrorsLockTest {

    private static final Path SERVER = Path.of("postgresql@127.0.0.1:5432/aj");

    private static RuntimeException translate(String state, String text) {
        return PgErrors.translate(new SQLException(text, state), SERVER, Duration.ofSeconds(5), null);
    }

    @Test
    void aDeadlockOrSerializationFailureSaysTheServerEndedTheTransaction() {
        assertThat(translate("40P01", "ERROR: deadlock detected\n  Detail: Process 12 waits for ShareLock"))
                .isInstanceOf(DatabaseLockedException.class)
                .hasMessage("the PostgreSQL server postgresql@127.0.0.1:5432/aj ended the transaction to resolve a"
                        + " conflict with a concurrent one: ERROR: deadlock detected; nothing of it was written: retry it");
        assertThat(translate("40001", "ERROR: could not serialize access due to concurrent update"))
                .isInstanceOf(DatabaseLockedException.class)
                .hasMessage("the PostgreSQL server postgresql@127.0.0.1:5432/aj ended the transaction to resolve a"
                        + " conflict with a concurrent one: ERROR: could not serialize access due to concurrent update;"
                        + " nothing of it was written: retry it");
    }

    @Test
    void aLockOrStatementTimeoutNamesTheServersSettingsNotTheBusyTimeout() {
        RuntimeException translated = translate("55P03", "ERROR: canceling statement due to lock timeout");
        assertThat(translated).isInstanceOf(DatabaseLockedException.class)
                .hasMessage("the PostgreSQL server postgresql@127.0.0.1:5432/aj gave up waiting for a lock or cancelled"
                        + " the statement: ERROR: canceling statement due to lock timeout; nothing of the call was"
                        + " written: retry when the other writer is done, or raise the server's lock_timeout or"
                        + " statement_timeout");
        assertThat(((DatabaseLockedException) translated).busyTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(translate("57014", "ERROR: canceling statement due to statement timeout"))
                .isInstanceOf(DatabaseLockedException.class)
                .hasMessageContaining("gave up waiting for a lock or cancelled the statement: ERROR: canceling"
                        + " statement due to statement timeout;");
    }
}
