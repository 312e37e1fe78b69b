package io.github.ajsessions.api;

import io.github.ajsessions.model.AjIdLimit;
import io.github.ajsessions.model.Conversation;
import io.github.ajsessions.model.Message;
import io.github.ajsessions.model.Role;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The bulk path: many messages into one session with JDBC batches in one {@code BEGIN IMMEDIATE ...
 * COMMIT}, for imports and migrations of data from elsewhere. Reached through {@link SessionStore#bulk()}.
 *
 * <p>Why below JPA: the ids are SQLite's AUTOINCREMENT ({@code IDENTITY}), which makes Hibernate
 * insert row by row and read each id back; a batch is 15 to 28 times faster. The rows written are the
 * same as {@link SessionStore#appendMessage}'s, and the same rules hold: roles aj knows, UTF-8 text,
 * and aj's preamble first.
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
     * Appends {@code messages} (new, unsaved; their role, content and dynamic flag are written, their
     * ids are not read back) to the session in id order, creating the session when there is none of
     * that name, all in one transaction: every row or none.
     *
     * <p>A session aj may continue starts with aj's preamble: an empty session must receive at least
     * three messages starting {@code system, user, assistant}; a session with one or two rows is refused,
     * as by {@link SessionStore#appendMessage}.
     *
     * @return the number of messages written
     * @throws IllegalArgumentException a null message, role or content, or text that is not valid UTF-16
     * @throws IllegalStateException    the rows would leave the session without aj's preamble, or the store is read-only
     */
    public long importMessages(String session, Iterable<Message> messages) {
        SessionStore.requireName(session);
        if (messages == null) {
            throw new IllegalArgumentException("messages must not be null");
        }
        // one BEGIN IMMEDIATE ... COMMIT, rolled back on any failure (refused on a read-only store)
        return new Jdbc(store).write(c -> importInTransaction(c, session, messages.iterator()));
    }

    private long importInTransaction(Connection c, String session, Iterator<Message> rows) throws SQLException {
        Conversation found = SessionStatements.find(c, session);
        long conversationId = (found != null ? found : SessionStatements.create(c, session, store.file())).getId();
        long existing = SessionStatements.countUpTo(c, conversationId, 3);
        List<Role> firstRoles = new ArrayList<>(3);
        long written = 0;
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO messages (role, content, dynamic, conversation_id) VALUES (?, ?, ?, ?)")) {
            int pending = 0;
            while (rows.hasNext()) {
                Message m = rows.next();
                if (m == null) {
                    throw new IllegalArgumentException("message " + written + " of the import into session '" + session
                            + "' is null");
                }
                if (m.getRole() == null) {
                    throw new IllegalArgumentException("message " + written + " of the import into session '" + session
                            + "' has no role (aj accepts " + Role.knownValues() + ")");
                }
                SessionStore.requireText("content of message " + written, m.getContent());
                if (firstRoles.size() < 3) {
                    firstRoles.add(m.getRole());
                }
                insert.setString(1, m.getRole().dbValue());
                insert.setString(2, m.getContent());
                insert.setInt(3, m.isDynamic() ? 1 : 0);
                insert.setLong(4, conversationId);
                insert.addBatch();
                written++;
                if (++pending == BATCH_SIZE) {
                    insert.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                insert.executeBatch();
            }
        }
        checkPreamble(session, existing, written, firstRoles);
        if (written > 0) {
            // the newest id is the largest: one warning covers the batch
            AjIdLimit.warnIfTooLarge("Message", lastInsertRowid(c), store.file());
        }
        return written;
    }

    private void checkPreamble(String session, long existing, long written, List<Role> firstRoles) {
        if (written == 0 || existing >= 3) {
            return;
        }
        boolean preambleFirst = existing == 0 && firstRoles.size() == 3 && firstRoles.get(0) == Role.SYSTEM
                && firstRoles.get(1) == Role.USER && firstRoles.get(2) == Role.ASSISTANT;
        if (!preambleFirst) {
            throw new IllegalStateException("session '" + session + "' in " + store.file() + " has " + existing
                    + " rows and the import starts " + firstRoles + ": aj expects its 3 preamble rows (system, brain"
                    + " user, assistant Ok) first and would panic; nothing was imported");
        }
    }

    private static long lastInsertRowid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT last_insert_rowid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
