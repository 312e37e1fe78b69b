package io.github.ajsessions.example;

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
 * aj's statement sequence for one turn, with plain JDBC and aj's connection settings: a new connection per
 * step, no busy timeout, the session found or created in one deferred transaction, the conversation loaded
 * with no ORDER BY (rowid order), ids read as 32-bit integers and roles checked as aj does (it panics on any
 * other), its preamble written when the conversation is empty, then the user and the assistant rows.
 */
final class AjLikeClient {

    record Row(int id, String role, String content) {
    }

    /** aj's "brain" row, the user message of its preamble. */
    static final String BRAIN = "Below is a JSON representation of our conversation leading up to this point."
            + " Please only respond to this message with \"Ok.\"\n{\"memories\":[]}";

    private final Path file;

    AjLikeClient(Path file) {
        this.file = file;
    }

    private Connection connect() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(0);
        config.enforceForeignKeys(true);
        return config.createConnection("jdbc:sqlite:" + file);
    }

    /** @return the conversation after aj's turn */
    List<Row> turn(String session, String user, String assistant) throws SQLException {
        int id = findOrCreate(session);
        List<Row> before = load(id);
        if (before.isEmpty()) {
            insert(id, "system", "You are aj.");
            insert(id, "user", BRAIN);
            insert(id, "assistant", "Ok");
        } else if (before.size() < 3) {
            throw new IllegalStateException("aj panics: fewer rows than its preamble in conversation " + id);
        }
        insert(id, "user", user);
        insert(id, "assistant", assistant);
        return load(id);
    }

    private int findOrCreate(String session) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("BEGIN DEFERRED");
            Integer id = find(c, session);
            if (id == null) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO conversations (session_name) VALUES (?)")) {
                    ps.setString(1, session);
                    ps.executeUpdate();
                }
                id = find(c, session);
            }
            st.execute("COMMIT");
            return id;
        }
    }

    private static Integer find(Connection c, String session) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT conversations.id FROM conversations WHERE conversations.session_name = ? LIMIT 1")) {
            ps.setString(1, session);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    /** @return the session's rows as aj loads them, or none when there is no such session */
    List<Row> load(String session) throws SQLException {
        Integer id;
        try (Connection c = connect()) {
            id = find(c, session);
        }
        return id == null ? List.of() : load(id);
    }

    List<Row> load(int conversationId) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT messages.id, messages.role, messages.content, messages.dynamic, messages.conversation_id"
                        + " FROM messages WHERE messages.conversation_id = ?")) {
            ps.setInt(1, conversationId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    if (id != (int) id) {
                        throw new IllegalStateException("aj (Diesel i32) cannot read message id " + id);
                    }
                    String role = rs.getString(2);
                    if (!List.of("system", "user", "assistant").contains(role)) {
                        throw new IllegalStateException("aj panics: unknown role '" + role + "' in message " + id);
                    }
                    rows.add(new Row((int) id, role, rs.getString(3)));
                }
            }
        }
        return rows;
    }

    private void insert(int conversationId, String role, String content) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO messages (role, content, dynamic, conversation_id) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, role);
            ps.setString(2, content);
            ps.setInt(3, 0);
            ps.setInt(4, conversationId);
            ps.executeUpdate();
        }
    }
}
