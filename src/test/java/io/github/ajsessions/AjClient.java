package io.github.ajsessions;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * aj's statement sequence against a file, with plain JDBC and aj's connection settings: a new
 * connection per operation, no busy timeout (a lock fails at once), foreign keys on, sessions found or
 * created check-then-insert in one deferred transaction, messages loaded with no ORDER BY.
 */
public final class AjClient {

    /** A row as aj loads it: ids read as 32-bit integers (Diesel's i32). */
    public record Row(int id, String role, String content, boolean dynamic, int conversationId) {
    }

    private final Path file;

    public AjClient(Path file) {
        this.file = file;
    }

    public Connection connect() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(0);
        config.enforceForeignKeys(true);
        return config.createConnection("jdbc:sqlite:" + file);
    }

    /** aj's find-or-create: BEGIN (deferred), SELECT, INSERT when missing, COMMIT. */
    public int findOrCreateSession(String name) throws SQLException {
        try (Connection c = connect()) {
            try (Statement st = c.createStatement()) {
                st.execute("BEGIN DEFERRED");
            }
            try {
                Integer id = sessionId(c, name);
                if (id == null) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO conversations (session_name) VALUES (?)")) {
                        ps.setString(1, name);
                        ps.executeUpdate();
                    }
                    id = sessionId(c, name);
                }
                try (Statement st = c.createStatement()) {
                    st.execute("COMMIT");
                }
                return id;
            } catch (SQLException e) {
                try (Statement st = c.createStatement()) {
                    st.execute("ROLLBACK");
                } catch (SQLException ignored) {
                    // as aj: the failure is what matters
                }
                throw e;
            }
        }
    }

    private static Integer sessionId(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT conversations.id, conversations.session_name FROM conversations"
                        + " WHERE conversations.session_name = ? LIMIT ?")) {
            ps.setString(1, name);
            ps.setInt(2, 1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    /**
     * aj's config rule: compare the first snapshot (lowest id) on five fields, insert when none or
     * different. @return true when a snapshot was inserted
     */
    public boolean recordConfig(int conversationId, String apiBase, String apiKey, String model, int ctx, int min,
                                List<String> stopWords) throws SQLException {
        try (Connection c = connect()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT awful_configs.id, awful_configs.api_base,"
                    + " awful_configs.api_key, awful_configs.model, awful_configs.context_max_tokens,"
                    + " awful_configs.assistant_minimum_context_tokens, awful_configs.stop_words,"
                    + " awful_configs.conversation_id FROM awful_configs WHERE awful_configs.conversation_id = ?"
                    + " ORDER BY awful_configs.id ASC LIMIT ?")) {
                ps.setInt(1, conversationId);
                ps.setInt(2, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getString(2).equals(apiBase) && rs.getString(3).equals(apiKey)
                            && rs.getString(4).equals(model) && rs.getInt(5) == ctx && rs.getInt(6) == min) {
                        return false;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO awful_configs (api_base, api_key, model,"
                    + " context_max_tokens, assistant_minimum_context_tokens, stop_words, conversation_id)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, apiBase);
                ps.setString(2, apiKey);
                ps.setString(3, model);
                ps.setInt(4, ctx);
                ps.setInt(5, min);
                ps.setString(6, String.join(",", stopWords));
                ps.setInt(7, conversationId);
                ps.executeUpdate();
                return true;
            }
        }
    }

    /** aj's history load: every row of the conversation, no ORDER BY (implicit rowid order). */
    public List<Row> loadMessages(int conversationId) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT messages.id, messages.role, messages.content, messages.dynamic, messages.conversation_id"
                        + " FROM messages WHERE messages.conversation_id = ?")) {
            ps.setInt(1, conversationId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    if (id != (int) id) {
                        throw new SQLException("aj (Diesel i32) cannot read message id " + id);
                    }
                    String role = rs.getString(2);
                    if (!List.of("system", "user", "assistant").contains(role)) {
                        throw new IllegalStateException("aj panics: unknown role '" + role + "' in message " + id);
                    }
                    rows.add(new Row((int) id, role, rs.getString(3), rs.getInt(4) != 0, rs.getInt(5)));
                }
            }
        }
        return rows;
    }

    /** aj's message insert: dynamic = 0 bound as an integer. */
    public void insertMessage(int conversationId, String role, String content) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO messages (role, content, dynamic, conversation_id) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, role);
            ps.setString(2, content);
            ps.setInt(3, 0);
            ps.setInt(4, conversationId);
            ps.executeUpdate();
        }
    }

    /** aj's preamble for an empty conversation: system, the brain user row, assistant "Ok". */
    public void writePreamble(int conversationId, String systemPrompt) throws SQLException {
        insertMessage(conversationId, "system", systemPrompt);
        insertMessage(conversationId, "user", "Below is a JSON representation of our conversation leading up to"
                + " this point. Please only respond to this message with \"Ok.\"\n{\"memories\":[]}");
        insertMessage(conversationId, "assistant", "Ok");
    }

    /** One aj turn: config check, load, preamble when empty, user row then assistant row. */
    public List<Row> turn(String session, String user, String assistant) throws SQLException {
        int id = findOrCreateSession(session);
        recordConfig(id, "http://localhost:11434/v1", "sk-aj", "llama", 8192, 1024, List.of("<|eot|>", "User:"));
        List<Row> before = loadMessages(id);
        if (before.isEmpty()) {
            writePreamble(id, "You are aj.");
        } else if (before.size() < 3) {
            throw new IllegalStateException("aj panics: conversation " + id + " has " + before.size()
                    + " rows, fewer than its preamble");
        }
        insertMessage(id, "user", user);
        insertMessage(id, "assistant", assistant);
        return loadMessages(id);
    }
}
