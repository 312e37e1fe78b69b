package io.github.ajsessions.api;

import io.github.ajsessions.internal.bootstrap.CachingConnection;
import io.github.ajsessions.internal.entity.DetachedEntities;
import io.github.ajsessions.model.AjIdLimit;
import io.github.ajsessions.model.AwfulConfig;
import io.github.ajsessions.model.Conversation;
import io.github.ajsessions.model.Message;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.model.StopWordsConverter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements of the session API, in plain JDBC on one pooled connection (the caller's
 * transaction or auto-commit), returning the same detached entities a closed entity manager would
 * leave ({@link DetachedEntities}).
 *
 * <p>Why not Hibernate (issue 5): the session API needs no mapping work, and Hibernate cost twice.
 * Building the EntityManagerFactory is about 70 % of opening a store (1.9 s from JVM start on Java 17
 * against 0.4 s without it), and per call {@code persist} with IDENTITY ids costs an action queue, an
 * insert, a separate {@code select last_insert_rowid()} and a flush per row, and entity loading
 * (initializers, persistence-context entries, load events) 1.4 times plain JDBC for a 1,000-message
 * history. The rows written are exactly Hibernate's: role as aj's text, {@code dynamic} as the integer
 * 0 or 1, stop words comma-joined ({@link StopWordsConverter}), and the entities' id-limit warning
 * ({@link AjIdLimit}) still fires.
 */
final class SessionStatements {

    private static final String FIND_SESSION =
            "SELECT id, session_name FROM conversations WHERE session_name = ? ORDER BY id LIMIT 1";
    private static final String INSERT_SESSION = "INSERT INTO conversations (session_name) VALUES (?) RETURNING id";
    private static final String INSERT_MESSAGE =
            "INSERT INTO messages (role, content, dynamic, conversation_id) VALUES (?, ?, ?, ?) RETURNING id";
    private static final String MESSAGES = "SELECT id, role, content, dynamic FROM messages WHERE conversation_id = ?";
    private static final String CONFIGS = "SELECT id, api_base, api_key, model, context_max_tokens,"
            + " assistant_minimum_context_tokens, stop_words FROM awful_configs WHERE conversation_id = ? ORDER BY id";
    private static final String INSERT_CONFIG = "INSERT INTO awful_configs (api_base, api_key, model,"
            + " context_max_tokens, assistant_minimum_context_tokens, stop_words, conversation_id)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";

    private static final StopWordsConverter STOP_WORDS = new StopWordsConverter();

    private SessionStatements() {
    }

    // ---------------------------------------------------------------------------------------------
    // conversations

    /** @return the oldest conversation with this exact name, or {@code null} */
    static Conversation find(Connection c, String name) throws SQLException {
        try (PreparedStatement find = prepare(c, FIND_SESSION)) {
            find.setString(1, name);
            try (ResultSet rs = find.executeQuery()) {
                return rs.next() ? DetachedEntities.conversation(rs.getLong(1), rs.getString(2)) : null;
            }
        }
    }

    /** Inserts a conversation row named {@code name}. */
    static Conversation create(Connection c, String name, Path file) throws SQLException {
        long id = insertReturningId(c, INSERT_SESSION, ps -> ps.setString(1, name));
        AjIdLimit.warnIfTooLarge("Conversation", id, file);
        return DetachedEntities.conversation(id, name);
    }

    /** @return the ids of every conversation with this exact name, oldest first */
    static List<Long> idsNamed(Connection c, String name) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, "SELECT id FROM conversations WHERE session_name = ? ORDER BY id")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    static void rename(Connection c, long id, String to) throws SQLException {
        try (PreparedStatement ps = prepare(c, "UPDATE conversations SET session_name = ? WHERE id = ?")) {
            ps.setString(1, to);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    /** Deletes the conversations with their messages and snapshots, children first (aj's keys do not cascade). */
    static void delete(Connection c, List<Long> ids) throws SQLException {
        for (String table : List.of("messages", "awful_configs")) {
            try (PreparedStatement ps = prepare(c, "DELETE FROM " + table + " WHERE conversation_id = ?")) {
                for (Long id : ids) {
                    ps.setLong(1, id);
                    ps.executeUpdate();
                }
            }
        }
        try (PreparedStatement ps = prepare(c, "DELETE FROM conversations WHERE id = ?")) {
            for (Long id : ids) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // messages

    /** @return how many messages the conversation has, counting no further than {@code limit} */
    static long countUpTo(Connection c, long conversationId, int limit) throws SQLException {
        try (PreparedStatement count = prepare(c, 
                "SELECT count(*) FROM (SELECT 1 FROM messages WHERE conversation_id = ? LIMIT ?)")) {
            count.setLong(1, conversationId);
            count.setInt(2, limit);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Inserts messages in the caller's transaction, one prepared statement for all of them.
     *
     * @param roles    one per message
     * @param contents one per message
     * @return the messages with their ids, linked to {@code conversation}
     */
    static List<Message> insert(Connection c, Conversation conversation, List<Role> roles, List<String> contents,
                                Path file) throws SQLException {
        List<Message> out = new ArrayList<>(roles.size());
        try (PreparedStatement insert = prepare(c, INSERT_MESSAGE)) {
            for (int i = 0; i < roles.size(); i++) {
                Role role = roles.get(i);
                insert.setString(1, role.dbValue());
                insert.setString(2, contents.get(i));
                insert.setInt(3, 0);
                insert.setLong(4, conversation.getId());
                long id = returnedId(insert);
                AjIdLimit.warnIfTooLarge("Message", id, file);
                out.add(DetachedEntities.message(id, role, contents.get(i), false, conversation));
            }
        }
        return out;
    }

    /** @return every message of the conversation in id order */
    static List<Message> all(Connection c, Conversation conversation) throws SQLException {
        return select(c, conversation, MESSAGES + " ORDER BY id", null, null);
    }

    /** @return up to {@code limit} messages with an id above {@code afterId}, in id order */
    static List<Message> page(Connection c, Conversation conversation, long afterId, int limit) throws SQLException {
        return select(c, conversation, MESSAGES + " AND id > ? ORDER BY id LIMIT ?", afterId, limit);
    }

    /** @return the newest {@code limit} messages, newest first */
    static List<Message> newest(Connection c, Conversation conversation, int limit) throws SQLException {
        return select(c, conversation, MESSAGES + " ORDER BY id DESC LIMIT ?", null, limit);
    }

    /** @return up to five rows of the conversation whose role aj does not know, as "message 7 has role 'x'" */
    static List<String> unknownRoles(Connection c, long conversationId) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, "SELECT id, role FROM messages WHERE conversation_id = ?"
                + " AND role NOT IN ('system', 'user', 'assistant') ORDER BY id LIMIT 5")) {
            ps.setLong(1, conversationId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String role = rs.getString(2);
                    rows.add("message " + rs.getLong(1) + " has role " + (role == null ? "null" : "'" + role + "'"));
                }
            }
        }
        return rows;
    }

    private static List<Message> select(Connection c, Conversation conversation, String sql, Long afterId,
                                        Integer limit) throws SQLException {
        List<Message> out = new ArrayList<>();
        try (PreparedStatement query = prepare(c, sql)) {
            int p = 1;
            query.setLong(p++, conversation.getId());
            if (afterId != null) {
                query.setLong(p++, afterId);
            }
            if (limit != null) {
                query.setInt(p, limit);
            }
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    // dynamic read as Hibernate reads a boolean (getBoolean): any non-zero number is true
                    out.add(DetachedEntities.message(rs.getLong(1), Role.fromDbValue(rs.getString(2)), rs.getString(3),
                            rs.getBoolean(4), conversation));
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------
    // config snapshots

    /** @return the conversation's snapshots in id order, at most {@code limit} */
    static List<AwfulConfig> configs(Connection c, Conversation conversation, int limit) throws SQLException {
        List<AwfulConfig> out = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, CONFIGS + " LIMIT ?")) {
            ps.setLong(1, conversation.getId());
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(DetachedEntities.config(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getInt(5), rs.getInt(6), STOP_WORDS.convertToEntityAttribute(rs.getString(7)),
                            conversation));
                }
            }
        }
        return out;
    }

    /** Inserts {@code config} (new) for {@code conversation} and sets its id and owner. */
    static void insert(Connection c, Conversation conversation, AwfulConfig config, Path file) throws SQLException {
        long id = insertReturningId(c, INSERT_CONFIG, ps -> {
            ps.setString(1, config.getApiBase());
            ps.setString(2, config.getApiKey());
            ps.setString(3, config.getModel());
            ps.setInt(4, config.getContextMaxTokens());
            ps.setInt(5, config.getAssistantMinimumContextTokens());
            ps.setString(6, STOP_WORDS.convertToDatabaseColumn(config.getStopWords()));
            ps.setLong(7, conversation.getId());
        });
        AjIdLimit.warnIfTooLarge("AwfulConfig", id, file);
        config.setConversation(conversation);
        DetachedEntities.assignId(config, id);
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * The statements here are few and fixed: on the store's pool they stay compiled between calls
     * ({@link CachingConnection}); on any other connection they are prepared each time.
     */
    private static PreparedStatement prepare(Connection c, String sql) throws SQLException {
        return c.isWrapperFor(CachingConnection.class) ? c.unwrap(CachingConnection.class).prepareCached(sql)
                : c.prepareStatement(sql);
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private static long insertReturningId(Connection c, String sql, Binder binder) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql)) {
            binder.bind(ps);
            return returnedId(ps);
        }
    }

    private static long returnedId(PreparedStatement insert) throws SQLException {
        try (ResultSet rs = insert.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("INSERT ... RETURNING id returned no row");
            }
            return rs.getLong(1);
        }
    }
}
