package io.github.ajsessions.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.github.ajsessions.api.ConfigSnapshot;
import io.github.ajsessions.api.Preamble;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.model.Conversation;
import io.github.ajsessions.model.Message;
import io.github.ajsessions.model.MessageRecord;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.testkit.AjSessionsExtension;
import io.github.ajsessions.testkit.AjVariant;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * In aj's rollback journal a SHARED lock held by any reader makes aj's commit fail at once (no busy
 * timeout). After each read of the API returns, and between two pages of {@link
 * SessionStore#streamHistory}, a connection with no busy timeout must be able to take the EXCLUSIVE
 * lock and write, as aj's commit does.
 */
@ExtendWith(AjSessionsExtension.class)
@AjVariant(SchemaVariant.AJ_INIT)
class ReadsHoldNoLockTest {

    @Test
    void noReadKeepsALockOnceItReturns(SessionStore store, Path file) throws Exception {
        assertThat(store.info().journalMode()).isEqualTo("delete");
        store.findOrCreateSession("s", Preamble.defaults());
        store.recordConfigSnapshot("s", new ConfigSnapshot("http://x/v1", "k", "m", 10, 5, List.of()));
        store.jpa().inTransaction(em -> { // more rows than one page of streamHistory, in one transaction
            Conversation s = em.find(Conversation.class, store.findSession("s").orElseThrow().id());
            for (int i = 0; i < SessionStore.STREAM_PAGE_SIZE + 10; i++) {
                Message m = new Message(Role.USER, "row " + i);
                m.setConversation(s);
                em.persist(m);
            }
            return null;
        });
        try (Connection aj = Reliability.plain(file, 0)) {
            store.history("s");
            ajWrites(aj, "after history");
            store.lastMessages("s", 5);
            ajWrites(aj, "after lastMessages");
            store.listSessions();
            ajWrites(aj, "after listSessions");
            store.findSession("s");
            ajWrites(aj, "after findSession");
            store.configSnapshots("s");
            ajWrites(aj, "after configSnapshots");
            store.info().journalMode();
            ajWrites(aj, "after journalMode");
            try (Stream<MessageRecord> stream = store.streamHistory("s")) {
                Iterator<MessageRecord> it = stream.iterator();
                it.next();
                ajWrites(aj, "between two rows of one streamHistory page");
                int n = 1;
                while (it.hasNext() && n < SessionStore.STREAM_PAGE_SIZE + 1) {
                    it.next();
                    n++;
                }
                ajWrites(aj, "between two streamHistory pages");
            }
        }
        assertThat(store.history("s")).filteredOn(m -> m.role() == Role.USER && m.content().startsWith("aj "))
                .hasSize(8);
    }

    private void ajWrites(Connection aj, String when) {
        assertThatCode(() -> {
            try (Statement st = aj.createStatement()) {
                // aj's commit needs the EXCLUSIVE lock; take it explicitly to prove no reader holds SHARED
                st.execute("BEGIN EXCLUSIVE");
                st.execute("INSERT INTO messages (role, content, dynamic, conversation_id)"
                        + " SELECT 'user', 'aj " + when + "', 0, id FROM conversations WHERE session_name = 's'");
                st.execute("COMMIT");
            }
        }).as("aj-style write with no busy timeout " + when).doesNotThrowAnyException();
    }
}
