package io.github.ajsessions.api;

import io.github.ajsessions.model.Conversation;
import io.github.ajsessions.model.Message;
import io.github.ajsessions.model.Role;
import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.engine.spi.SessionImplementor;
import org.hibernate.jpa.event.spi.CallbackRegistry;
import org.hibernate.persister.entity.EntityPersister;

/**
 * The hot paths of the session API in plain JDBC on the entity manager's own connection: appending
 * ({@link SessionStore#appendMessage}, {@link SessionStore#appendTurn}), inside the same {@code BEGIN
 * IMMEDIATE ... COMMIT}, and reading messages ({@link SessionStore#history}, {@link SessionStore#lastMessages},
 * the pages of {@link SessionStore#streamHistory}), in auto-commit as before.
 *
 * <p>Why: with IDENTITY ids Hibernate's {@code persist} costs an action queue, an insert, a separate
 * {@code select last_insert_rowid()} and a flush per row, and the HQL name lookup a query plan; measured
 * (issue 5) that was about 150 µs of CPU per turn against 50 µs for the same statements in JDBC, enough
 * to miss "append at most 1.2 times plain JDBC". The rows written are exactly Hibernate's (role as aj's
 * text, dynamic as the integer 0 or 1), and callers get the same detached entities: the message with its
 * id, linked to the session's {@link Conversation} as Hibernate loaded it.
 *
 * <p>Reading: Hibernate's entity loading (initializers, persistence-context entries, load events) cost
 * about 1.4 times plain JDBC for a 1,000-message history and 2.7 times for streaming. The rows are read
 * with one prepared statement and built into the same detached {@link Message}s a query returned: the
 * id, role (a role aj does not know fails as before), content, dynamic flag read as Hibernate reads it
 * ({@code getBoolean}), and the conversation as Hibernate's uninitialised proxy.
 */
final class MessageRows {

    private static final String FIND_SESSION =
            "SELECT id FROM conversations WHERE session_name = ? ORDER BY id LIMIT 1";
    private static final String INSERT =
            "INSERT INTO messages (role, content, dynamic, conversation_id) VALUES (?, ?, ?, ?) RETURNING id";

    private static final String COLUMNS = "SELECT id, role, content, dynamic FROM messages WHERE conversation_id = ?";

    private MessageRows() {
    }

    /** @return every message of the conversation in id order */
    static List<Message> all(EntityManager em, long conversationId) {
        return select(em, conversationId, COLUMNS + " ORDER BY id", null, null);
    }

    /** @return up to {@code limit} messages with an id above {@code afterId}, in id order */
    static List<Message> page(EntityManager em, long conversationId, long afterId, int limit) {
        return select(em, conversationId, COLUMNS + " AND id > ? ORDER BY id LIMIT ?", afterId, limit);
    }

    /** @return the newest {@code limit} messages, newest first */
    static List<Message> newest(EntityManager em, long conversationId, int limit) {
        return select(em, conversationId, COLUMNS + " ORDER BY id DESC LIMIT ?", null, limit);
    }

    private static List<Message> select(EntityManager em, long conversationId, String sql, Long afterId,
                                        Integer limit) {
        SessionImplementor session = em.unwrap(SessionImplementor.class);
        EntityPersister persister = session.getFactory().getMappingMetamodel().getEntityDescriptor(Message.class);
        Conversation conversation = em.getReference(Conversation.class, conversationId);
        return session.doReturningWork(connection -> {
            List<Message> out = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                int p = 1;
                query.setLong(p++, conversationId);
                if (afterId != null) {
                    query.setLong(p++, afterId);
                }
                if (limit != null) {
                    query.setInt(p, limit);
                }
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        Message message = new Message(Role.fromDbValue(rs.getString(2)), rs.getString(3));
                        message.setDynamic(rs.getBoolean(4));
                        message.setConversation(conversation);
                        persister.setIdentifier(message, rs.getLong(1), session);
                        out.add(message);
                    }
                }
            }
            return out;
        });
    }

    /** @return the oldest conversation with this exact name, managed by {@code em}, or {@code null} */
    static Conversation lookup(EntityManager em, String name) {
        SessionImplementor session = em.unwrap(SessionImplementor.class);
        Long id = session.doReturningWork(connection -> {
            try (PreparedStatement find = connection.prepareStatement(FIND_SESSION)) {
                find.setString(1, name);
                try (ResultSet rs = find.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : null;
                }
            }
        });
        return id == null ? null : em.find(Conversation.class, id);
    }

    /** Inserts one message row in {@code em}'s transaction and returns it as an (unmanaged) entity with its id. */
    static Message insert(EntityManager em, Conversation conversation, Role role, String content) {
        SessionImplementor session = em.unwrap(SessionImplementor.class);
        Message message = new Message(role, content);
        message.setConversation(conversation);
        // the entity's JPA callbacks run as for persist (model.AjIdLimit warns about ids aj cannot read)
        CallbackRegistry callbacks = session.getFactory().getEventEngine().getCallbackRegistry();
        callbacks.preCreate(message);
        long id = session.doReturningWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                insert.setString(1, role.dbValue());
                insert.setString(2, content);
                insert.setInt(3, message.isDynamic() ? 1 : 0);
                insert.setLong(4, conversation.getId());
                try (ResultSet rs = insert.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("INSERT ... RETURNING id returned no row");
                    }
                    return rs.getLong(1);
                }
            }
        });
        EntityPersister persister = session.getFactory().getMappingMetamodel().getEntityDescriptor(Message.class);
        persister.setIdentifier(message, id, session);
        callbacks.postCreate(message);
        return message;
    }
}
