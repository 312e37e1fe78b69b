package io.github.ajsessions.internal.tables;

import io.github.ajsessions.core.InvalidDataException;
import io.github.ajsessions.internal.bootstrap.CachingConnection;
import io.github.ajsessions.internal.jdbc.Sql;
import io.github.ajsessions.model.AjIdLimit;
import io.github.ajsessions.model.MessageRecord;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.model.SessionRecord;
import io.github.ajsessions.model.SessionSummary;
import io.github.ajsessions.model.SnapshotRecord;
import io.github.ajsessions.model.StopWordsConverter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * aj's three tables in plain JDBC: every statement on {@code conversations}, {@code messages} and
 * {@code awful_configs} that is not JPA's, on the caller's connection (its transaction or
 * auto-commit). Rows are bound and mapped here only, to {@link SessionRecord}, {@link MessageRecord}
 * and {@link SnapshotRecord}.
 *
 * <p>The rows written are exactly the entities' rows: role as aj's text, {@code dynamic} as the
 * integer 0 or 1, stop words comma-joined ({@link StopWordsConverter}); a row whose id aj cannot read
 * is logged ({@link AjIdLimit}). A row read with a role aj does not know is refused with an
 * {@link InvalidDataException} naming the row.
 */
public final class AjTables {

    /** aj's tables, parents first. */
    public static final List<String> TABLES = List.of("conversations", "messages", "awful_configs");

    private static final String SESSION_COLUMNS = "id, session_name";
    private static final String MESSAGE_COLUMNS = "id, conversation_id, role, content, dynamic";
    private static final String SNAPSHOT_COLUMNS = "id, conversation_id, api_base, api_key, model, context_max_tokens,"
            + " assistant_minimum_context_tokens, stop_words";

    private static final String FIND_SESSION =
            "SELECT " + SESSION_COLUMNS + " FROM conversations WHERE session_name = ? ORDER BY id LIMIT 1";
    private static final String INSERT_SESSION =
            "INSERT INTO conversations (" + SESSION_COLUMNS + ") VALUES (?, ?) RETURNING id";
    /** The one insert of a message row; the id is SQLite's when bound as NULL. */
    private static final String INSERT_MESSAGE =
            "INSERT INTO messages (" + MESSAGE_COLUMNS + ") VALUES (?, ?, ?, ?, ?)";
    /** The one insert of a snapshot row; the id is SQLite's when bound as NULL. */
    private static final String INSERT_SNAPSHOT =
            "INSERT INTO awful_configs (" + SNAPSHOT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_MESSAGE_RETURNING_ID = INSERT_MESSAGE + " RETURNING id";
    private static final String INSERT_SNAPSHOT_RETURNING_ID = INSERT_SNAPSHOT + " RETURNING id";
    private static final String MESSAGES_OF = "SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE conversation_id = ?";

    /** Rows of no conversation: none given, or one that is not there (a file written with foreign keys off). */
    private static final String UNATTACHED = "(conversation_id IS NULL OR conversation_id NOT IN (SELECT id FROM"
            + " conversations))";

    private static final StopWordsConverter STOP_WORDS = new StopWordsConverter();

    private AjTables() {
    }

    /** What to say when a row read holds a role aj does not know. */
    @FunctionalInterface
    public interface UnknownRole {
        /** @return the exception for message {@code id} holding {@code role} (possibly {@code null}) */
        InvalidDataException refuse(long id, String role) throws SQLException;
    }

    /** @return a refusal that names the row and its role, for reads across sessions */
    public static UnknownRole refuseRow(Path file) {
        return (id, role) -> new InvalidDataException(file, "message " + id + " in " + file + " has role "
                + quoted(role) + "; aj accepts only " + Role.knownValues() + " and panics on it (aj-sessions doctor"
                + " lists every such row)", null);
    }

    // ---------------------------------------------------------------------------------------------
    // conversations

    /** @return the oldest conversation with this exact name, or {@code null} */
    public static SessionRecord findSession(Connection c, String name) throws SQLException {
        try (PreparedStatement find = prepare(c, FIND_SESSION)) {
            find.setString(1, name);
            try (ResultSet rs = find.executeQuery()) {
                return rs.next() ? session(rs) : null;
            }
        }
    }

    /**
     * Inserts a conversation row.
     *
     * @param id the id to give it, or {@code null} for SQLite's next
     */
    public static SessionRecord insertSession(Connection c, Long id, String name, Path file) throws SQLException {
        try (PreparedStatement ps = prepare(c, INSERT_SESSION)) {
            Sql.setId(ps, 1, id);
            ps.setString(2, name);
            long given = returnedId(ps);
            AjIdLimit.warnIfTooLarge("Conversation", given, file);
            return new SessionRecord(given, name);
        }
    }

    /** @return every conversation, in id order */
    public static List<SessionRecord> allSessions(Connection c) throws SQLException {
        List<SessionRecord> out = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + SESSION_COLUMNS + " FROM conversations ORDER BY id")) {
            while (rs.next()) {
                out.add(session(rs));
            }
        }
        return out;
    }

    /** @return every session name in the file */
    public static Set<String> sessionNames(Connection c) throws SQLException {
        Set<String> names = new HashSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT session_name FROM conversations")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /** @return the ids of every conversation with this exact name, oldest first */
    public static List<Long> sessionIdsNamed(Connection c, String name) throws SQLException {
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

    /** Renames conversation {@code id} to {@code to}. */
    public static void renameSession(Connection c, long id, String to) throws SQLException {
        try (PreparedStatement ps = prepare(c, "UPDATE conversations SET session_name = ? WHERE id = ?")) {
            ps.setString(1, to);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    /** Deletes the conversations with their messages and snapshots, children first (aj's keys do not cascade). */
    public static void deleteSessions(Connection c, List<Long> ids) throws SQLException {
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

    /**
     * @return every session with its message count, newest message id and latest model, in id order,
     *         in one grouped pass over messages
     */
    public static List<SessionSummary> sessionSummaries(Connection c) throws SQLException {
        List<SessionSummary> out = new ArrayList<>();
        try (Statement st = c.createStatement();
             // aj's files have no index on conversation_id: a count per conversation would scan the table once
             // per session
             ResultSet rs = st.executeQuery("SELECT c.id, c.session_name, coalesce(g.n, 0), g.last,"
                     + " (SELECT a.model FROM awful_configs a WHERE a.conversation_id = c.id"
                     + "  ORDER BY a.id DESC LIMIT 1)"
                     + " FROM conversations c LEFT JOIN (SELECT conversation_id, count(*) AS n, max(id) AS last"
                     + "  FROM messages GROUP BY conversation_id) g ON g.conversation_id = c.id ORDER BY c.id")) {
            while (rs.next()) {
                out.add(new SessionSummary(rs.getLong(1), rs.getString(2), rs.getLong(3), Sql.getId(rs, 4),
                        rs.getString(5)));
            }
        }
        return out;
    }

    private static SessionRecord session(ResultSet rs) throws SQLException {
        return new SessionRecord(rs.getLong(1), rs.getString(2));
    }

    // ---------------------------------------------------------------------------------------------
    // messages

    /** @return how many messages the conversation has, counting no further than {@code limit} */
    public static long countMessagesUpTo(Connection c, long sessionId, int limit) throws SQLException {
        try (PreparedStatement count = prepare(c,
                "SELECT count(*) FROM (SELECT 1 FROM messages WHERE conversation_id = ? LIMIT ?) AS firsts")) {
            count.setLong(1, sessionId);
            count.setInt(2, limit);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** @return how many messages the conversations have; all messages of the file for {@code null} */
    public static long countMessages(Connection c, List<Long> sessionIds) throws SQLException {
        if (sessionIds == null) {
            return Sql.single(c, "SELECT count(*) FROM messages");
        }
        StringBuilder in = new StringBuilder();
        for (Long id : sessionIds) {
            in.append(in.length() == 0 ? "" : ",").append(id.longValue());
        }
        return Sql.single(c, "SELECT count(*) FROM messages WHERE conversation_id IN ("
                + (in.length() == 0 ? "NULL" : in) + ")");
    }

    /**
     * Inserts new messages (SQLite's ids, {@code dynamic} false, as aj writes them) with one prepared
     * statement, reading each id back.
     *
     * @return the rows written, in order
     */
    public static List<MessageRecord> insertMessages(Connection c, long sessionId, List<Role> roles,
                                                     List<String> contents, Path file) throws SQLException {
        List<MessageRecord> out = new ArrayList<>(roles.size());
        try (PreparedStatement insert = prepare(c, INSERT_MESSAGE_RETURNING_ID)) {
            for (int i = 0; i < roles.size(); i++) {
                MessageRecord row = new MessageRecord(0, sessionId, roles.get(i), contents.get(i), false);
                bindMessage(insert, row, false);
                long id = returnedId(insert);
                AjIdLimit.warnIfTooLarge("Message", id, file);
                out.add(row.withId(id));
            }
        }
        return out;
    }

    /** Message rows written with JDBC batches; ids are not read back. Close it after {@link #finish()}. */
    public static final class MessageBatch implements AutoCloseable {
        private final Connection connection;
        private final PreparedStatement insert;
        private final boolean keepIds;
        private final int batchSize;
        private final Path file;
        private int pending;
        private long written;
        /** The largest id given with a row, when ids are kept. */
        private long largestKept;
        /** Whether a row took the database's id (not kept, or kept with none given). */
        private boolean generated;

        private MessageBatch(Connection connection, boolean keepIds, int batchSize, Path file) throws SQLException {
            this.connection = connection;
            this.insert = connection.prepareStatement(INSERT_MESSAGE);
            this.keepIds = keepIds;
            this.batchSize = batchSize;
            this.file = file;
        }

        /**
         * Adds {@code row}: its id when ids are kept (an id of 0 or less is SQLite's), its session id,
         * role, content and dynamic flag.
         *
         * @return {@code true} when this row completed a batch, which was executed
         */
        public boolean add(MessageRecord row) throws SQLException {
            bindMessage(insert, row, keepIds);
            if (keepIds && row.id() > 0) {
                largestKept = Math.max(largestKept, row.id());
            } else {
                generated = true;
            }
            insert.addBatch();
            written++;
            if (++pending == batchSize) {
                insert.executeBatch();
                pending = 0;
                return true;
            }
            return false;
        }

        /**
         * Executes what is pending and logs when the newest row's id is above what aj can read.
         *
         * @return how many rows were written
         */
        public long finish() throws SQLException {
            if (pending > 0) {
                insert.executeBatch();
                pending = 0;
            }
            if (written > 0) {
                // rows with ids of their own leave PostgreSQL's lastval() undefined when no row took one of the
                // sequence's: the largest given id is known here anyway
                long newest = generated ? Math.max(largestKept, Sql.lastInsertRowid(connection)) : largestKept;
                AjIdLimit.warnIfTooLarge("Message", newest, file);
            }
            return written;
        }

        @Override
        public void close() throws SQLException {
            insert.close();
        }
    }

    /** @return a batch of message inserts, executed every {@code batchSize} rows */
    public static MessageBatch messageBatch(Connection c, boolean keepIds, int batchSize, Path file)
            throws SQLException {
        return new MessageBatch(c, keepIds, batchSize, file);
    }

    private static void bindMessage(PreparedStatement ps, MessageRecord row, boolean keepId) throws SQLException {
        Sql.setId(ps, 1, keepId && row.id() > 0 ? row.id() : null);
        Sql.setId(ps, 2, row.sessionId());
        ps.setString(3, row.role().dbValue());
        ps.setString(4, row.content());
        // sqlite-jdbc stores a boolean as the integer 0 or 1 (what aj writes); PostgreSQL's column is boolean
        ps.setBoolean(5, row.dynamic());
    }

    /**
     * One field of a row in the JSON export: its name (the column's), the JSON type it is written and read as
     * ({@link Long}, {@link Integer}, {@link String} or {@link Boolean}), and its value in a record.
     */
    public record ExportField<R>(String name, Class<?> type, Function<R, Object> value) {
    }

    /**
     * The fields of a message in the JSON export, in column order: every column of {@code messages} but
     * {@code conversation_id} (the export nests a message in its session). The export writes these and reads
     * them back through {@link #messageFromExport}, so a new column is added here only.
     */
    public static final List<ExportField<MessageRecord>> MESSAGE_EXPORT_FIELDS = List.of(
            new ExportField<>("id", Long.class, MessageRecord::id),
            new ExportField<>("role", String.class, m -> m.role().dbValue()),
            new ExportField<>("content", String.class, MessageRecord::content),
            new ExportField<>("dynamic", Boolean.class, MessageRecord::dynamic));

    /**
     * @param fields the {@link #MESSAGE_EXPORT_FIELDS} of one exported message, by name (absent when the export
     *               gave none); its role must be known and its content present
     * @return the message, with no session and id 0 when the export gave none
     */
    public static MessageRecord messageFromExport(Map<String, Object> fields) {
        Object id = fields.get("id");
        return new MessageRecord(id == null ? 0 : (Long) id, null, Role.fromDbValue((String) fields.get("role")),
                (String) fields.get("content"), Boolean.TRUE.equals(fields.get("dynamic")));
    }

    /**
     * @return every message of the session in id order
     * @throws InvalidDataException a row holds a role aj does not know (all such rows are named)
     */
    public static List<MessageRecord> allMessages(Connection c, SessionRecord s, Path file) throws SQLException {
        return select(c, s, MESSAGES_OF + " ORDER BY id", null, null, file);
    }

    /** @return up to {@code limit} messages of the session with an id above {@code afterId}, in id order */
    public static List<MessageRecord> messagePage(Connection c, SessionRecord s, long afterId, int limit, Path file)
            throws SQLException {
        return select(c, s, MESSAGES_OF + " AND id > ? ORDER BY id LIMIT ?", afterId, limit, file);
    }

    /** @return the newest {@code limit} messages of the session, newest first */
    public static List<MessageRecord> newestMessages(Connection c, SessionRecord s, int limit, Path file)
            throws SQLException {
        return select(c, s, MESSAGES_OF + " ORDER BY id DESC LIMIT ?", null, limit, file);
    }

    /** What to do with message content that is not valid UTF-8 (aj cannot read it). */
    @FunctionalInterface
    public interface InvalidText {
        /**
         * @param id     the message id
         * @param offset the byte offset of the first invalid sequence
         * @param bytes  the stored bytes
         * @return the text to use instead, or throw to refuse
         */
        String replace(long id, int offset, byte[] bytes) throws SQLException;
    }

    /**
     * The messages of one conversation, or of none, with their content read as its stored bytes and
     * decoded strictly: SQLite hands back TEXT that is not UTF-8 as it is, and a lenient decode would
     * turn it silently into U+FFFD.
     *
     * @param sessionId the conversation, or {@code null} for the messages of no conversation: a
     *                  {@code conversation_id} that is NULL or names a conversation that is not there
     * @param invalid   decides about content that is not valid UTF-8
     * @return up to {@code limit} messages with an id above {@code afterId}, in id order
     */
    public static List<MessageRecord> messagesAfter(Connection c, Long sessionId, long afterId, int limit,
                                                    UnknownRole unknown, InvalidText invalid) throws SQLException {
        String where = sessionId == null ? UNATTACHED : "conversation_id = " + sessionId.longValue();
        // the content's bytes: SQLite's as stored; PostgreSQL's text is UTF-8 by its encoding
        String contentBytes = Sql.isPostgres(c) ? "convert_to(content, 'UTF8')" : "CAST(content AS BLOB)";
        try (PreparedStatement ps = c.prepareStatement("SELECT id, conversation_id, role, " + contentBytes + ","
                + " dynamic FROM messages WHERE " + where + " AND id > ? ORDER BY id LIMIT ?")) {
            ps.setLong(1, afterId);
            ps.setInt(2, limit);
            List<MessageRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    String stored = rs.getString(3);
                    if (!Role.isKnown(stored)) {
                        throw unknown.refuse(id, stored);
                    }
                    byte[] bytes = rs.getBytes(4);
                    bytes = bytes == null ? new byte[0] : bytes;
                    int bad = invalidUtf8At(bytes);
                    String content = bad < 0 ? new String(bytes, StandardCharsets.UTF_8)
                            : invalid.replace(id, bad, bytes);
                    out.add(new MessageRecord(id, Sql.getId(rs, 2), Role.fromDbValue(stored), content,
                            rs.getBoolean(5))); // sqlite-jdbc: the integer != 0; PostgreSQL: its boolean
                }
            }
            return out;
        }
    }

    /** @return the byte offset of the first sequence that is not valid UTF-8, or -1 when all of it is */
    public static int invalidUtf8At(byte[] bytes) {
        // Java's decoder, as Rust's str::from_utf8, refuses overlong forms and encoded surrogates
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(Math.min(bytes.length, 8192) + 1);
        while (true) {
            CoderResult r = decoder.decode(in, out, true);
            if (r.isError()) {
                return in.position();
            }
            if (r.isUnderflow()) {
                r = decoder.flush(out);
                return r.isError() ? in.position() : -1;
            }
            out.clear();
        }
    }

    /**
     * Messages holding what aj tolerates but an export cannot write as it is: content stored as a BLOB
     * or a number (aj reads the bytes or the digits as text), {@code dynamic} other than the integer 0 or 1
     * (aj reads any non-zero number as true).
     *
     * @param sessionIds the conversations concerned, {@code null} for every message of the file
     * @return up to {@code limit} of them, in id order, each "messages row 7: content is a BLOB of 12 bytes"
     */
    public static List<String> exportAnomalies(Connection c, List<Long> sessionIds, int limit) throws SQLException {
        if (Sql.isPostgres(c)) {
            return List.of(); // typed columns: a server's text and boolean cannot hold these
        }
        String scope = "1";
        if (sessionIds != null) {
            StringBuilder in = new StringBuilder();
            for (Long id : sessionIds) {
                in.append(in.length() == 0 ? "" : ",").append(id.longValue());
            }
            scope = "conversation_id IN (" + (in.length() == 0 ? "NULL" : in) + ")";
        }
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, " + STORAGE_COLUMNS + " FROM messages WHERE " + scope
                + " AND " + ANOMALY + " ORDER BY id LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add("messages row " + rs.getLong(1) + ": " + String.join(", ", storageAnomalies(rs, 2)));
                }
            }
        }
        return out;
    }

    /** typeof(content), its length in bytes, typeof(dynamic), dynamic as SQL text (numbers only). */
    private static final String STORAGE_COLUMNS = "typeof(content), length(CAST(content AS BLOB)), typeof(dynamic),"
            + " CASE WHEN typeof(dynamic) IN ('integer', 'real') THEN quote(dynamic) END";
    private static final String ANOMALY = "(typeof(content) <> 'text' OR typeof(dynamic) <> 'integer'"
            + " OR dynamic NOT IN (0, 1))";

    /** @return what is odd about a row's storage, from {@link #STORAGE_COLUMNS} at {@code from} */
    private static List<String> storageAnomalies(ResultSet rs, int from) throws SQLException {
        List<String> out = new ArrayList<>();
        String content = rs.getString(from);
        switch (content) {
            case "text" -> { }
            case "blob" -> out.add("content is a BLOB of " + rs.getLong(from + 1) + " bytes (aj reads the bytes as"
                    + " text)");
            case "null" -> out.add("content is NULL (aj fails to read the row)");
            default -> out.add("content is " + (content.equals("integer") ? "an integer" : "a real number")
                    + " (aj reads its digits as text)");
        }
        String dynamicType = rs.getString(from + 2);
        String dynamic = rs.getString(from + 3);
        if (dynamicType.equals("null")) {
            out.add("dynamic is NULL (aj fails to read the row)");
        } else if (dynamic == null) {
            out.add("dynamic is " + (dynamicType.equals("blob") ? "a BLOB" : "a text") + ", not 0 or 1 (aj reads it"
                    + " as a number)");
        } else if (!dynamicType.equals("integer") || !(dynamic.equals("0") || dynamic.equals("1"))) {
            out.add("dynamic is " + dynamic + ", not 0 or 1 (aj reads any non-zero number as true)");
        }
        return out;
    }

    /**
     * The latest messages across every session, newest first, their content cut to {@code maxChars}.
     *
     * @param row combines a message with its session name ({@code null} for a message of no conversation)
     */
    public static <T> List<T> latestMessages(Connection c, int count, int maxChars, UnknownRole unknown,
                                             BiFunction<MessageRecord, String, T> row) throws SQLException {
        List<T> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(LATEST)) {
            ps.setInt(1, maxChars);
            ps.setInt(2, count);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row.apply(message(rs, unknown), rs.getString(6)));
                }
            }
        }
        return out;
    }

    /**
     * The latest messages across every session, newest first, as stored: a role aj does not know is
     * handed over as it is, not refused, for troubleshooting.
     *
     * @param row makes a row of: id, session name ({@code null} for none), role as stored (possibly
     *            {@code null}), content cut to {@code maxChars} ({@code ""} for NULL), dynamic (non-zero)
     */
    public static <T> List<T> latestRows(Connection c, int count, int maxChars, RawRow<T> row) throws SQLException {
        List<T> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(LATEST)) {
            ps.setInt(1, maxChars);
            ps.setInt(2, count);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String content = rs.getString(4);
                    out.add(row.make(rs.getLong(1), rs.getString(6), rs.getString(3), content == null ? "" : content,
                            rs.getBoolean(5))); // sqlite-jdbc: the integer != 0; PostgreSQL: its boolean
                }
            }
        }
        return out;
    }

    /** Makes a row of {@link #latestRows}. */
    @FunctionalInterface
    public interface RawRow<T> {
        /** @return the row for these values */
        T make(long id, String session, String role, String content, boolean dynamic);
    }

    private static final String LATEST = "SELECT m.id, m.conversation_id, m.role, substr(m.content, 1, ?), m.dynamic,"
            + " c.session_name FROM messages m LEFT JOIN conversations c ON c.id = m.conversation_id"
            + " ORDER BY m.id DESC LIMIT ?";

    /** @return up to five rows of the conversation whose role aj does not know, as "message 7 has role 'x'" */
    public static List<String> unknownRoles(Connection c, long sessionId) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, "SELECT id, role FROM messages WHERE conversation_id = ?"
                + " AND role NOT IN " + AjRules.KNOWN_ROLES_SQL + " ORDER BY id LIMIT 5")) {
            ps.setLong(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add("message " + rs.getLong(1) + " has role " + quoted(rs.getString(2)));
                }
            }
        }
        return rows;
    }

    private static List<MessageRecord> select(Connection c, SessionRecord s, String sql, Long afterId, Integer limit,
                                              Path file) throws SQLException {
        try (PreparedStatement query = prepare(c, sql)) {
            int p = 1;
            query.setLong(p++, s.id());
            if (afterId != null) {
                query.setLong(p++, afterId);
            }
            if (limit != null) {
                query.setInt(p, limit);
            }
            return read(query, (id, role) -> new InvalidDataException(file, "session '" + s.name() + "' in " + file
                    + ": " + String.join(", ", unknownRoles(c, s.id())) + "; aj accepts only " + Role.knownValues()
                    + " (and panics on this session)", null));
        }
    }

    private static List<MessageRecord> read(PreparedStatement query, UnknownRole unknown) throws SQLException {
        List<MessageRecord> out = new ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                out.add(message(rs, unknown));
            }
        }
        return out;
    }

    /** Maps the first five columns, {@link #MESSAGE_COLUMNS}, of the current row. */
    private static MessageRecord message(ResultSet rs, UnknownRole unknown) throws SQLException {
        long id = rs.getLong(1);
        Long sessionId = Sql.getId(rs, 2);
        String stored = rs.getString(3);
        if (!Role.isKnown(stored)) {
            throw unknown.refuse(id, stored);
        }
        // dynamic read as Hibernate reads a boolean (getBoolean): any non-zero number is true
        return new MessageRecord(id, sessionId, Role.fromDbValue(stored), rs.getString(4), rs.getBoolean(5));
    }

    // ---------------------------------------------------------------------------------------------
    // config snapshots

    /**
     * @return up to {@code limit} messages of any conversation with {@code afterId < id <= upTo}, in id order
     *         (the pages of a copy of the whole table)
     */
    public static List<MessageRecord> messagesBetween(Connection c, long afterId, long upTo, int limit,
                                                      UnknownRole unknown) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + MESSAGE_COLUMNS
                + " FROM messages WHERE id > ? AND id <= ? ORDER BY id LIMIT ?")) {
            ps.setLong(1, afterId);
            ps.setLong(2, upTo);
            ps.setInt(3, limit);
            return read(ps, unknown);
        }
    }

    /**
     * @param withKey whether {@code api_key} is read; {@code null} in the records otherwise
     * @return up to {@code limit} snapshots of any conversation with {@code afterId < id <= upTo}, in id order
     */
    public static List<SnapshotRecord> snapshotsBetween(Connection c, long afterId, long upTo, int limit,
                                                        boolean withKey) throws SQLException {
        String columns = withKey ? SNAPSHOT_COLUMNS : SNAPSHOT_COLUMNS.replace("api_key", "NULL");
        try (PreparedStatement ps = c.prepareStatement("SELECT " + columns
                + " FROM awful_configs WHERE id > ? AND id <= ? ORDER BY id LIMIT ?")) {
            ps.setLong(1, afterId);
            ps.setLong(2, upTo);
            ps.setInt(3, limit);
            return readSnapshots(ps);
        }
    }

    /**
     * @param sessionId the conversation, or {@code null} for the snapshots of no conversation (a
     *                  {@code conversation_id} that is NULL or names a conversation that is not there)
     * @param withKey   whether {@code api_key} is read; {@code null} in the records otherwise
     * @return the snapshots in id order, at most {@code limit}
     */
    public static List<SnapshotRecord> snapshots(Connection c, Long sessionId, int limit, boolean withKey)
            throws SQLException {
        String columns = withKey ? SNAPSHOT_COLUMNS : SNAPSHOT_COLUMNS.replace("api_key", "NULL");
        try (PreparedStatement ps = prepare(c, "SELECT " + columns + " FROM awful_configs WHERE "
                + (sessionId == null ? UNATTACHED : "conversation_id = ?") + " ORDER BY id LIMIT ?")) {
            int p = 1;
            if (sessionId != null) {
                ps.setLong(p++, sessionId);
            }
            ps.setInt(p, limit);
            return readSnapshots(ps);
        }
    }

    /** Maps every row of the query, whose columns are {@link #SNAPSHOT_COLUMNS}. */
    private static List<SnapshotRecord> readSnapshots(PreparedStatement ps) throws SQLException {
        List<SnapshotRecord> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new SnapshotRecord(rs.getLong(1), Sql.getId(rs, 2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getInt(6), rs.getInt(7),
                        STOP_WORDS.convertToEntityAttribute(rs.getString(8))));
            }
        }
        return out;
    }

    /**
     * Inserts one new snapshot (SQLite's id) for its {@link SnapshotRecord#sessionId()}.
     *
     * @return the row written, with its id
     */
    public static SnapshotRecord insertSnapshot(Connection c, SnapshotRecord row, Path file) throws SQLException {
        try (PreparedStatement ps = prepare(c, INSERT_SNAPSHOT_RETURNING_ID)) {
            bindSnapshot(ps, row, false);
            long id = returnedId(ps);
            AjIdLimit.warnIfTooLarge("AwfulConfig", id, file);
            return new SnapshotRecord(id, row.sessionId(), row.apiBase(), row.apiKey(), row.model(),
                    row.contextMaxTokens(), row.assistantMinimumContextTokens(), row.stopWords());
        }
    }

    /**
     * Inserts snapshots in one JDBC batch, ids not read back; a {@code null} key is written as {@code ""}.
     *
     * @param keepIds whether each row's id is written (an id of 0 or less is SQLite's)
     */
    public static void insertSnapshots(Connection c, List<SnapshotRecord> rows, boolean keepIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_SNAPSHOT)) {
            for (SnapshotRecord row : rows) {
                bindSnapshot(ps, row, keepIds);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void bindSnapshot(PreparedStatement ps, SnapshotRecord row, boolean keepId) throws SQLException {
        Sql.setId(ps, 1, keepId && row.id() > 0 ? row.id() : null);
        Sql.setId(ps, 2, row.sessionId());
        ps.setString(3, row.apiBase());
        ps.setString(4, row.apiKey() == null ? "" : row.apiKey());
        ps.setString(5, row.model());
        ps.setInt(6, row.contextMaxTokens());
        ps.setInt(7, row.assistantMinimumContextTokens());
        ps.setString(8, STOP_WORDS.convertToDatabaseColumn(row.stopWords()));
    }

    /** @return how many snapshots hold a non-empty API key */
    public static long storedApiKeys(Connection c) throws SQLException {
        return Sql.single(c, "SELECT count(*) FROM awful_configs WHERE api_key <> ''");
    }

    // ---------------------------------------------------------------------------------------------
    // the file as a whole

    /** @return the highest id of one of aj's tables, 0 when empty */
    public static long maxId(Connection c, String table) throws SQLException {
        if (!TABLES.contains(table)) {
            throw new IllegalArgumentException("not one of aj's tables: " + table);
        }
        return Sql.single(c, "SELECT coalesce(max(id), 0) FROM " + table);
    }

    /**
     * The rows aj would panic or fail on, and the anomalies it tolerates. Fatal: a non-empty
     * conversation with fewer rows than aj's preamble, a role aj does not know (or NULL), an id above
     * {@link AjRules#AJ_MAX_ID}, TEXT that is not valid UTF-8 (in any text column of aj's tables), NULL
     * content or {@code dynamic}. Tolerated (warnings): content stored as a BLOB or a number, {@code
     * dynamic} other than 0 or 1, a row whose {@code conversation_id} names no conversation (aj never
     * loads it). Every text column is read once, page by page, to check its encoding.
     *
     * @param limit   at most this many of each kind
     * @param problem receives each: table, row id, one line naming the row and the value (never an API
     *                key), and whether aj fails on it
     */
    public static void hazards(Connection c, int limit, HazardSink problem) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT c.id, c.session_name, count(m.id)"
                + " FROM conversations c JOIN messages m ON m.conversation_id = c.id GROUP BY c.id"
                + " HAVING count(m.id) < " + AjRules.PREAMBLE_ROWS + " ORDER BY c.id LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    problem.add("conversations", rs.getLong(1), "session '" + rs.getString(2)
                            + "' (conversation " + rs.getLong(1) + ") has " + rs.getLong(3) + " message(s), fewer"
                            + " than aj's " + AjRules.PREAMBLE_ROWS + " preamble rows: aj panics when it loads it", true);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT m.id, c.session_name, m.role FROM messages m"
                + " LEFT JOIN conversations c ON c.id = m.conversation_id"
                + " WHERE m.role IS NULL OR m.role NOT IN " + AjRules.KNOWN_ROLES_SQL + " ORDER BY m.id LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    problem.add("messages", rs.getLong(1), "message " + rs.getLong(1) + " of session '"
                            + rs.getString(2) + "' has role " + quoted(rs.getString(3)) + "; aj accepts only "
                            + Role.knownValues() + " and panics on it", true);
                }
            }
        }
        for (String table : TABLES) {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + table + " WHERE id > "
                    + AjRules.AJ_MAX_ID + " ORDER BY id LIMIT ?")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        problem.add(table, rs.getLong(1), table + " row " + rs.getLong(1) + ": id above 2,147,483,647"
                                + " (aj reads ids as 32-bit integers and fails on it)", true);
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, " + STORAGE_COLUMNS + " FROM messages WHERE "
                + ANOMALY + " ORDER BY id LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    for (String odd : storageAnomalies(rs, 2)) {
                        problem.add("messages", rs.getLong(1), "messages row " + rs.getLong(1) + ": " + odd,
                                odd.contains("NULL"));
                    }
                }
            }
        }
        for (String table : List.of("messages", "awful_configs")) {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, conversation_id FROM " + table
                    + " WHERE conversation_id IS NOT NULL AND conversation_id NOT IN (SELECT id FROM conversations)"
                    + " ORDER BY id LIMIT ?")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        problem.add(table, rs.getLong(1), table + " row " + rs.getLong(1) + ": conversation_id "
                                + rs.getLong(2) + " names no conversation (aj never loads the row; an export keeps it"
                                + " with its conversation_id)", false);
                    }
                }
            }
        }
        invalidUtf8(c, "conversations", List.of("session_name"), limit, problem);
        invalidUtf8(c, "messages", List.of("role", "content"), limit, problem);
        invalidUtf8(c, "awful_configs", List.of("api_base", "api_key", "model", "stop_words"), limit, problem);
    }

    /** Reports TEXT values of {@code columns} that are not valid UTF-8, reading the table a page at a time. */
    private static void invalidUtf8(Connection c, String table, List<String> columns, int limit, HazardSink problem)
            throws SQLException {
        StringBuilder select = new StringBuilder("SELECT id");
        for (String column : columns) {
            // only TEXT values: a BLOB is an anomaly of its own, and its bytes are not meant as UTF-8
            select.append(", CASE WHEN typeof(").append(column).append(") = 'text' THEN CAST(").append(column)
                    .append(" AS BLOB) END");
        }
        select.append(" FROM ").append(table).append(" WHERE id > ? ORDER BY id LIMIT ").append(UTF8_PAGE);
        int found = 0;
        long after = Long.MIN_VALUE;
        try (PreparedStatement ps = c.prepareStatement(select.toString())) {
            while (found < limit) {
                ps.setLong(1, after);
                int rows = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        after = rs.getLong(1);
                        for (int i = 0; i < columns.size(); i++) {
                            byte[] bytes = rs.getBytes(i + 2);
                            int bad = bytes == null ? -1 : invalidUtf8At(bytes);
                            if (bad >= 0 && found < limit) {
                                found++;
                                // the value is never shown: it may be an API key
                                problem.add(table, after, table + " row " + after + ": " + columns.get(i) + " is not"
                                        + " valid UTF-8 (byte " + bad + " of " + bytes.length + "): aj fails to read"
                                        + " it", true);
                            }
                        }
                    }
                }
                if (rows < UTF8_PAGE) {
                    break;
                }
            }
        }
    }

    /** Rows read per query when checking the encoding: the scan never holds a read lock for long. */
    private static final int UTF8_PAGE = 200;

    /** Receives one hazard. */
    @FunctionalInterface
    public interface HazardSink {
        /** Receives the table, the row id, one line naming the row and the value, and whether aj fails on it. */
        void add(String table, long id, String problem, boolean fatal);
    }

    // ---------------------------------------------------------------------------------------------
    // the search index over messages.content (a table of this module's own, keyed by message id)

    /** @return how many messages have an id at or below {@code id} ({@code above}: above it) */
    public static long countMessagesById(Connection c, long id, boolean above) throws SQLException {
        return Sql.single(c, "SELECT count(*) FROM messages WHERE id " + (above ? ">" : "<=") + " " + id);
    }

    /** Drops from {@code index} the rows of messages that no longer exist. */
    public static void dropDeletedFromIndex(Connection c, String index) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM " + index + " WHERE rowid NOT IN (SELECT id FROM messages)");
        }
    }

    /** Indexes up to {@code limit} messages with an id above {@code afterId}; @return how many */
    public static int indexMessagesAfter(Connection c, String index, long afterId, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + index + " (rowid, content)"
                + " SELECT id, content FROM messages WHERE id > ? ORDER BY id LIMIT " + limit)) {
            ps.setLong(1, afterId);
            return ps.executeUpdate();
        }
    }

    /**
     * @param query an FTS5 query over {@code index}
     * @param hit   combines a message, its session name ({@code null} for none) and its bm25 rank (lower is better)
     * @return the hits, best first
     */
    public static <T> List<T> searchMessages(Connection c, String index, String query, int limit, UnknownRole unknown,
                                             HitMaker<T> hit) throws SQLException {
        return hits(c, "SELECT m.id, m.conversation_id, m.role, m.content, m.dynamic,"
                + " c.session_name, bm25(" + index + ") AS r FROM " + index + " s JOIN messages m ON m.id = s.rowid"
                + " LEFT JOIN conversations c ON c.id = m.conversation_id WHERE " + index + " MATCH ?"
                + " ORDER BY r, m.id LIMIT ?", query, limit, unknown, hit);
    }

    /**
     * PostgreSQL's full-text search ({@code to_tsvector('simple', content)}, the GIN index of the PostgreSQL
     * migrations): messages holding every word of {@code text}, best first; the rank is {@code -ts_rank}, so
     * that lower is better, as FTS5's bm25.
     */
    public static <T> List<T> searchMessagesFullText(Connection c, String text, int limit, UnknownRole unknown,
                                                     HitMaker<T> hit) throws SQLException {
        return hits(c, "SELECT m.id, m.conversation_id, m.role, m.content, m.dynamic,"
                + " c.session_name, -ts_rank(to_tsvector('simple', m.content), q) AS r"
                + " FROM plainto_tsquery('simple', ?) q, messages m LEFT JOIN conversations c ON c.id = m.conversation_id"
                + " WHERE to_tsvector('simple', m.content) @@ q ORDER BY r, m.id LIMIT ?", text, limit, unknown, hit);
    }

    /** Runs a search whose columns are the message's five, the session name and the rank, in that order. */
    private static <T> List<T> hits(Connection c, String sql, String query, int limit, UnknownRole unknown,
                                    HitMaker<T> hit) throws SQLException {
        List<T> hits = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, query);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    hits.add(hit.make(message(rs, unknown), rs.getString(6), rs.getDouble(7)));
                }
            }
        }
        return hits;
    }

    /** Makes a search hit. */
    @FunctionalInterface
    public interface HitMaker<T> {
        /** @return the hit for {@code message} in {@code session} ({@code null} for none) with FTS5's rank */
        T make(MessageRecord message, String session, double rank);
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * Prepares {@code sql}: on the store's pool a fixed statement stays compiled between calls
     * ({@link CachingConnection}); on any other connection it is prepared each time.
     */
    private static PreparedStatement prepare(Connection c, String sql) throws SQLException {
        return c.isWrapperFor(CachingConnection.class) ? c.unwrap(CachingConnection.class).prepareCached(sql)
                : c.prepareStatement(sql);
    }

    private static long returnedId(PreparedStatement insert) throws SQLException {
        try (ResultSet rs = insert.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("INSERT ... RETURNING id returned no row");
            }
            return rs.getLong(1);
        }
    }

    private static String quoted(String value) {
        return value == null ? "null" : "'" + value + "'";
    }
}
