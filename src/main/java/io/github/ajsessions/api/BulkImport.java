package io.github.ajsessions.api;

import io.github.ajsessions.core.MissingPreambleException;
import io.github.ajsessions.core.ReadOnlyStoreException;
import io.github.ajsessions.internal.tables.AjRules;
import io.github.ajsessions.internal.tables.AjTables;
import io.github.ajsessions.model.MessageRecord;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.model.SessionRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The bulk path: many messages into one session with JDBC batches in one {@code BEGIN IMMEDIATE ...
 * COMMIT}, for imports and migrations of data from elsewhere. Reached through {@link SessionStore#bulk()}.
 *
 * <p>Why below JPA: through Hibernate each new message takes its id with a statement of its own
 * ({@code @AjRowId}) and is inserted row by row (no JDBC batching is configured), with an entry in the
 * persistence context; a batch of plain inserts with SQLite's ids avoids all three. The rows written
 * are the same as {@link SessionStore#appendMessage}'s, and the same rules hold: roles aj knows, UTF-8
 * text, and aj's preamble first.
 *
 * <p>The whole import holds the write lock: aj cannot write meanwhile (it has no busy timeout and
 * fails at once), so import while aj is not in use.
 */
public final class BulkImport {

    /** Rows per JDBC batch. */
    static final int BATCH_SIZE = 1_000;

    private final SessionStore store;

    BulkImport(SessionStore store) {
        this.store = store;
    }

    /**
     * Appends {@code messages} (their role, content and dynamic flag are written; their id and
     * session id are ignored, and the ids given are not read back) to the session in order, creating
     * the session when there is none of that name, all in one transaction: every row or none.
     *
     * <p>A session aj may continue starts with aj's preamble: an empty session must receive at least
     * three messages starting {@code system, user, assistant}; a session with one or two rows is refused,
     * as by {@link SessionStore#appendMessage}.
     *
     * @return the number of messages written
     * @throws IllegalArgumentException  a null message, or content that is not valid UTF-16
     * @throws MissingPreambleException  the rows would leave the session without aj's preamble
     * @throws ReadOnlyStoreException    the store was opened read-only
     */
    public long importMessages(String session, Iterable<MessageRecord> messages) {
        SessionStore.requireName(session);
        if (messages == null) {
            throw new IllegalArgumentException("messages must not be null");
        }
        return new Jdbc(store).write(c -> importInTransaction(c, session, messages.iterator()));
    }

    private long importInTransaction(Connection c, String session, Iterator<MessageRecord> rows) throws SQLException {
        SessionRecord found = AjTables.findSession(c, session);
        long sessionId = (found != null ? found : AjTables.insertSession(c, null, session, store.file())).id();
        long existing = AjTables.countMessagesUpTo(c, sessionId, AjRules.PREAMBLE_ROWS);
        List<Role> firstRoles = new ArrayList<>(AjRules.PREAMBLE_ROWS);
        long written;
        try (AjTables.MessageBatch batch = AjTables.messageBatch(c, false, BATCH_SIZE, store.file())) {
            long n = 0;
            while (rows.hasNext()) {
                MessageRecord m = rows.next();
                if (m == null) {
                    throw new IllegalArgumentException("message " + n + " of the import into session '" + session
                            + "' is null");
                }
                SessionStore.requireText("content of message " + n, m.content());
                if (firstRoles.size() < AjRules.PREAMBLE_ROWS) {
                    firstRoles.add(m.role());
                }
                batch.add(m.withId(0).inSession(sessionId));
                n++;
            }
            written = batch.finish();
        }
        checkPreamble(session, existing, written, firstRoles);
        return written;
    }

    private void checkPreamble(String session, long existing, long written, List<Role> firstRoles) {
        if (written == 0 || existing >= AjRules.PREAMBLE_ROWS) {
            return;
        }
        if (existing != 0 || !AjRules.startsWithPreamble(firstRoles)) {
            throw new MissingPreambleException(store.file(), session, "session '" + session + "' in " + store.file()
                    + " has " + existing + " rows and the import starts " + firstRoles + ": aj expects its "
                    + AjRules.PREAMBLE_ROWS + " preamble rows (system, brain user, assistant Ok) first and would panic;"
                    + " nothing was imported");
        }
    }
}
