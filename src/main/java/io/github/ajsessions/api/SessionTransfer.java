package io.github.ajsessions.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import io.github.ajsessions.model.Role;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Export of sessions to JSON and their import, reached through {@link SessionStore#transfer()}.
 *
 * <p>The JSON holds every column of the three tables: each conversation with its messages and
 * config snapshots (ids included), and, in a full export, the rows that belong to no conversation.
 * {@code api_key} is left out unless asked for. Exporting, importing into an empty file and
 * exporting again gives the same text: ids are kept when the file has none at or above them, and
 * otherwise renumbered in the same relative order.
 *
 * <p>Import is one {@code BEGIN IMMEDIATE ... COMMIT} with JDBC batches (no entity, no per-row
 * persist), so all of it lands or none; aj waits for that one transaction.
 */
public final class SessionTransfer {

    /** The {@code format} field of the JSON. */
    public static final String FORMAT = "aj-sessions-export";
    /** The {@code version} of the JSON layout written. */
    public static final int VERSION = 1;
    private static final int PAGE = 2000;

    /** What to do with an imported session whose name the file holds already. */
    public enum OnExisting {
        /** Import nothing and say which names exist (default). */
        REFUSE,
        /** Leave the existing session alone and import the others. */
        SKIP,
        /** Import it as {@code "NAME (imported)"}, {@code "NAME (imported 2)"}, ... */
        RENAME
    }

    /** One message row; {@code id} is {@code null} when unknown. */
    public record MessageRow(Long id, String role, String content, boolean dynamic) {
    }

    /** One config snapshot row; {@code apiKey} is {@code null} when the export left secrets out. */
    public record ConfigRow(Long id, String apiBase, String apiKey, String model, long contextMaxTokens,
                            long assistantMinimumContextTokens, String stopWords) {
        @Override
        public String toString() {
            return "ConfigRow{id=" + id + ", apiBase='" + apiBase + "', apiKey=****, model='" + model + "'}";
        }
    }

    /** One conversation with its rows. */
    public record SessionRows(Long id, String name, List<MessageRow> messages, List<ConfigRow> configs) {
    }

    /** The content of an export: sessions, and the rows of no conversation. */
    public record ExportData(List<SessionRows> sessions, List<MessageRow> unattachedMessages,
                             List<ConfigRow> unattachedConfigs) {
        /** @return every message row in the export */
        public long messageCount() {
            return sessions.stream().mapToLong(s -> s.messages().size()).sum() + unattachedMessages.size();
        }
    }

    /**
     * What an import did.
     *
     * @param sessions sessions imported
     * @param messages messages imported
     * @param configs  config snapshots imported
     * @param idsKept  whether the rows kept the ids of the export
     * @param skipped  names skipped ({@link OnExisting#SKIP})
     * @param renamed  original name to new name ({@link OnExisting#RENAME})
     */
    public record ImportResult(int sessions, long messages, long configs, boolean idsKept, List<String> skipped,
                               Map<String, String> renamed) {
    }

    private final SessionStore store;
    private final Jdbc jdbc;

    SessionTransfer(SessionStore store) {
        this.store = store;
        this.jdbc = new Jdbc(store);
    }

    // ---------------------------------------------------------------------------------------------
    // export

    /**
     * Writes the JSON export to {@code out} (left open), reading page by page in short queries.
     *
     * @param sessions       session names to export; empty for the whole file (with unattached rows)
     * @param includeSecrets whether {@code api_key} is written
     * @throws SessionNotFoundException a name matches no session
     */
    public void exportJson(List<String> sessions, boolean includeSecrets, OutputStream out, Progress progress) {
        exportJson(sessions, includeSecrets, progress, () -> new JsonFactory().createGenerator(out));
    }

    /**
     * Writes the JSON export to {@code out} (left open, flushed), as {@link #exportJson(List, boolean,
     * OutputStream, Progress)} does: streamed, never held in memory whole.
     */
    public void exportJson(List<String> sessions, boolean includeSecrets, Writer out, Progress progress) {
        exportJson(sessions, includeSecrets, progress, () -> new JsonFactory().createGenerator(out));
    }

    @FunctionalInterface
    private interface GeneratorFactory {
        JsonGenerator create() throws IOException;
    }

    private void exportJson(List<String> sessions, boolean includeSecrets, Progress progress, GeneratorFactory target) {
        Progress report = progress == null ? Progress.NONE : progress;
        List<long[]> ids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        long total = conversations(sessions, ids, names);
        try (JsonGenerator g = target.create()) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            // emoji and other characters outside the BMP as UTF-8, not as \uD83C\uDF89 escapes (a Writer
            // receives them as the two chars of the pair, which it encodes as one character)
            g.configure(JsonGenerator.Feature.COMBINE_UNICODE_SURROGATES_IN_UTF8, true);
            DefaultPrettyPrinter pretty = new DefaultPrettyPrinter();
            pretty.indentArraysWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
            g.setPrettyPrinter(pretty);
            g.writeStartObject();
            g.writeStringField("format", FORMAT);
            g.writeNumberField("version", VERSION);
            g.writeBooleanField("secrets", includeSecrets);
            g.writeArrayFieldStart("sessions");
            long[] done = {0};
            for (int i = 0; i < ids.size(); i++) {
                long id = ids.get(i)[0];
                g.writeStartObject();
                g.writeNumberField("id", id);
                g.writeStringField("name", names.get(i));
                writeMessages(g, "conversation_id = " + id, done, total, report);
                writeConfigs(g, "conversation_id = " + id, includeSecrets);
                g.writeEndObject();
            }
            g.writeEndArray();
            if (sessions.isEmpty()) {
                g.writeObjectFieldStart("unattached");
                writeMessages(g, "conversation_id IS NULL", done, total, report);
                writeConfigs(g, "conversation_id IS NULL", includeSecrets);
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the export of " + store.file() + ": " + e.getMessage(), e);
        }
    }

    private long conversations(List<String> sessions, List<long[]> ids, List<String> names) {
        return jdbc.read(c -> {
            Set<String> wanted = new HashSet<>(sessions);
            Set<String> found = new HashSet<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT id, session_name FROM conversations ORDER BY id")) {
                while (rs.next()) {
                    if (sessions.isEmpty() || wanted.contains(rs.getString(2))) {
                        ids.add(new long[] {rs.getLong(1)});
                        names.add(rs.getString(2));
                        found.add(rs.getString(2));
                    }
                }
            }
            for (String name : sessions) {
                if (!found.contains(name)) {
                    throw new SessionNotFoundException(store.file(), name);
                }
            }
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery(sessions.isEmpty() ? "SELECT count(*) FROM messages"
                         : "SELECT count(*) FROM messages WHERE conversation_id IN (" + joinIds(ids) + ")")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static String joinIds(List<long[]> ids) {
        StringBuilder b = new StringBuilder();
        for (long[] id : ids) {
            b.append(b.length() == 0 ? "" : ",").append(id[0]);
        }
        return b.length() == 0 ? "NULL" : b.toString();
    }

    private void writeMessages(JsonGenerator g, String where, long[] done, long total, Progress report)
            throws IOException {
        g.writeArrayFieldStart("messages");
        long after = Long.MIN_VALUE;
        while (true) {
            long from = after;
            List<MessageRow> page = jdbc.read(c -> {
                List<MessageRow> rows = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT id, role, content, dynamic FROM messages WHERE "
                        + where + " AND id > ? ORDER BY id LIMIT " + PAGE)) {
                    ps.setLong(1, from);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rows.add(new MessageRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)));
                        }
                    }
                }
                return rows;
            });
            for (MessageRow m : page) {
                g.writeStartObject();
                g.writeNumberField("id", m.id());
                g.writeStringField("role", m.role());
                g.writeStringField("content", m.content());
                g.writeBooleanField("dynamic", m.dynamic());
                g.writeEndObject();
            }
            done[0] += page.size();
            report.update(done[0], total);
            if (page.size() < PAGE) {
                break;
            }
            after = page.get(page.size() - 1).id();
        }
        g.writeEndArray();
    }

    private void writeConfigs(JsonGenerator g, String where, boolean includeSecrets) throws IOException {
        List<ConfigRow> rows = jdbc.read(c -> readConfigs(c, where, includeSecrets));
        g.writeArrayFieldStart("configs");
        for (ConfigRow a : rows) {
            g.writeStartObject();
            g.writeNumberField("id", a.id());
            g.writeStringField("api_base", a.apiBase());
            if (includeSecrets) {
                g.writeStringField("api_key", a.apiKey());
            }
            g.writeStringField("model", a.model());
            g.writeNumberField("context_max_tokens", a.contextMaxTokens());
            g.writeNumberField("assistant_minimum_context_tokens", a.assistantMinimumContextTokens());
            g.writeStringField("stop_words", a.stopWords());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static List<ConfigRow> readConfigs(Connection c, String where, boolean includeSecrets) throws SQLException {
        List<ConfigRow> rows = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, api_base, " + (includeSecrets ? "api_key" : "NULL")
                     + ", model, context_max_tokens, assistant_minimum_context_tokens, stop_words FROM awful_configs"
                     + " WHERE " + where + " ORDER BY id")) {
            while (rs.next()) {
                rows.add(new ConfigRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                        rs.getLong(6), rs.getString(7)));
            }
        }
        return rows;
    }

    // ---------------------------------------------------------------------------------------------
    // import

    /**
     * Reads an export written by {@link #exportJson}.
     *
     * @throws InvalidDataException the text is not such an export, or a row lacks a required field
     */
    public ExportData readJson(InputStream in) {
        try (JsonParser p = new JsonFactory().createParser(in)) {
            return new Reader(p).read();
        } catch (IOException e) {
            throw new InvalidDataException(store.file(), "cannot read the export: " + e.getMessage().lines()
                    .findFirst().orElse(""), e);
        }
    }

    /** Reads the JSON and imports it; see {@link #importData}. */
    public ImportResult importJson(InputStream in, OnExisting onExisting, Progress progress) {
        return importData(readJson(in), onExisting, progress);
    }

    /**
     * Imports sessions in one IMMEDIATE transaction of JDBC batches. Roles are checked first (aj
     * panics on any other). A row without {@code api_key} gets {@code ""}.
     *
     * @throws SessionExistsException a session name exists already and the policy is {@link OnExisting#REFUSE}
     * @throws InvalidDataException   a role aj does not know
     */
    public ImportResult importData(ExportData data, OnExisting onExisting, Progress progress) {
        Progress report = progress == null ? Progress.NONE : progress;
        for (SessionRows s : data.sessions()) {
            if (s.name() == null || s.name().isEmpty()) {
                throw new InvalidDataException(store.file(), "the export holds a session without a name (id "
                        + s.id() + ")", null);
            }
            checkRoles(s.name(), s.messages());
        }
        checkRoles(null, data.unattachedMessages());
        long total = data.messageCount();
        return jdbc.write(c -> {
            Set<String> existing = new HashSet<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT session_name FROM conversations")) {
                while (rs.next()) {
                    existing.add(rs.getString(1));
                }
            }
            List<String> conflicts = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            Map<String, String> renamed = new LinkedHashMap<>();
            List<SessionRows> chosen = new ArrayList<>();
            List<String> targetNames = new ArrayList<>();
            for (SessionRows s : data.sessions()) {
                if (!existing.contains(s.name())) {
                    chosen.add(s);
                    targetNames.add(s.name());
                    continue;
                }
                switch (onExisting) {
                    case SKIP:
                        skipped.add(s.name());
                        break;
                    case RENAME:
                        String name = s.name() + " (imported)";
                        for (int n = 2; existing.contains(name) || targetNames.contains(name); n++) {
                            name = s.name() + " (imported " + n + ")";
                        }
                        renamed.put(s.name(), name);
                        chosen.add(s);
                        targetNames.add(name);
                        break;
                    default:
                        conflicts.add(s.name());
                }
            }
            if (!conflicts.isEmpty()) {
                throw new SessionExistsException(store.file(), conflicts);
            }
            boolean keepIds = idsFree(c, "conversations", chosen.stream().map(SessionRows::id).toList())
                    && idsFree(c, "messages", allMessageIds(chosen, data.unattachedMessages()))
                    && idsFree(c, "awful_configs", allConfigIds(chosen, data.unattachedConfigs()));
            // conversations, one by one (few), to learn the ids SQLite gives
            Map<SessionRows, Long> newIds = new IdentityHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO conversations (id, session_name) VALUES (?, ?)")) {
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < chosen.size(); i++) {
                    order.add(i);
                }
                order.sort(Comparator.comparing(i -> chosen.get(i).id() == null ? Long.MAX_VALUE : chosen.get(i).id()));
                for (int i : order) {
                    SessionRows s = chosen.get(i);
                    setId(ps, 1, keepIds ? s.id() : null);
                    ps.setString(2, targetNames.get(i));
                    ps.executeUpdate();
                    newIds.put(s, lastRowid(c));
                }
            }
            // messages of every session in the export's id order, so that their interleaving is kept
            List<Object[]> messages = new ArrayList<>();
            List<Object[]> configs = new ArrayList<>();
            for (SessionRows s : chosen) {
                Long cid = newIds.get(s);
                s.messages().forEach(m -> messages.add(new Object[] {m, cid}));
                s.configs().forEach(a -> configs.add(new Object[] {a, cid}));
            }
            data.unattachedMessages().forEach(m -> messages.add(new Object[] {m, null}));
            data.unattachedConfigs().forEach(a -> configs.add(new Object[] {a, null}));
            messages.sort(Comparator.comparing(o -> idOrMax(((MessageRow) o[0]).id())));
            configs.sort(Comparator.comparing(o -> idOrMax(((ConfigRow) o[0]).id())));
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO messages (id, role, content, dynamic, conversation_id) VALUES (?, ?, ?, ?, ?)")) {
                long n = 0;
                for (Object[] o : messages) {
                    MessageRow m = (MessageRow) o[0];
                    setId(ps, 1, keepIds ? m.id() : null);
                    ps.setString(2, m.role());
                    ps.setString(3, m.content());
                    ps.setInt(4, m.dynamic() ? 1 : 0);
                    setId(ps, 5, (Long) o[1]);
                    ps.addBatch();
                    if (++n % PAGE == 0) {
                        ps.executeBatch();
                        report.update(n, total);
                    }
                }
                ps.executeBatch();
                report.update(n, total);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO awful_configs (id, api_base, api_key, model,"
                    + " context_max_tokens, assistant_minimum_context_tokens, stop_words, conversation_id)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Object[] o : configs) {
                    ConfigRow a = (ConfigRow) o[0];
                    setId(ps, 1, keepIds ? a.id() : null);
                    ps.setString(2, a.apiBase());
                    ps.setString(3, a.apiKey() == null ? "" : a.apiKey());
                    ps.setString(4, a.model());
                    ps.setLong(5, a.contextMaxTokens());
                    ps.setLong(6, a.assistantMinimumContextTokens());
                    ps.setString(7, a.stopWords());
                    setId(ps, 8, (Long) o[1]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return new ImportResult(chosen.size(), messages.size(), configs.size(), keepIds, skipped, renamed);
        });
    }

    private void checkRoles(String session, List<MessageRow> rows) {
        for (MessageRow m : rows) {
            if (!Role.isKnown(m.role())) {
                throw new InvalidDataException(store.file(), "message " + m.id()
                        + (session == null ? "" : " of session '" + session + "'") + " in the export has role '"
                        + m.role() + "'; aj accepts only " + Role.knownValues() + ": nothing was imported", null);
            }
        }
    }

    private static long idOrMax(Long id) {
        return id == null ? Long.MAX_VALUE : id;
    }

    private static List<Long> allMessageIds(List<SessionRows> sessions, List<MessageRow> unattached) {
        List<Long> ids = new ArrayList<>();
        sessions.forEach(s -> s.messages().forEach(m -> ids.add(m.id())));
        unattached.forEach(m -> ids.add(m.id()));
        return ids;
    }

    private static List<Long> allConfigIds(List<SessionRows> sessions, List<ConfigRow> unattached) {
        List<Long> ids = new ArrayList<>();
        sessions.forEach(s -> s.configs().forEach(a -> ids.add(a.id())));
        unattached.forEach(a -> ids.add(a.id()));
        return ids;
    }

    /** Ids are kept only when all are known and all lie above the table's highest id: no clash, order kept. */
    private static boolean idsFree(Connection c, String table, List<Long> ids) throws SQLException {
        long min = Long.MAX_VALUE;
        for (Long id : ids) {
            if (id == null || id < 1) {
                return false;
            }
            min = Math.min(min, id);
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT max(id) FROM " + table)) {
            rs.next();
            return rs.getLong(1) < min;
        }
    }

    private static void setId(PreparedStatement ps, int index, Long id) throws SQLException {
        if (id == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setLong(index, id);
        }
    }

    private static long lastRowid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT last_insert_rowid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A streaming reader of the export's JSON. */
    private final class Reader {
        private final JsonParser p;

        Reader(JsonParser p) {
            this.p = p;
        }

        ExportData read() throws IOException {
            expect(p.nextToken(), JsonToken.START_OBJECT, "the export");
            String format = null;
            List<SessionRows> sessions = new ArrayList<>();
            List<MessageRow> messages = new ArrayList<>();
            List<ConfigRow> configs = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "format":
                        format = p.getValueAsString();
                        break;
                    case "version":
                        if (p.getIntValue() > VERSION) {
                            throw invalid("the export has version " + p.getIntValue() + "; this build reads up to "
                                    + VERSION);
                        }
                        break;
                    case "sessions":
                        expect(p.currentToken(), JsonToken.START_ARRAY, "sessions");
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            sessions.add(session());
                        }
                        break;
                    case "unattached":
                        expect(p.currentToken(), JsonToken.START_OBJECT, "unattached");
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            p.nextToken();
                            if (f.equals("messages")) {
                                messages.addAll(messages());
                            } else if (f.equals("configs")) {
                                configs.addAll(configs());
                            } else {
                                p.skipChildren();
                            }
                        }
                        break;
                    default:
                        p.skipChildren();
                }
            }
            if (!FORMAT.equals(format)) {
                throw invalid("the input is not an aj-sessions export (its \"format\" is "
                        + (format == null ? "missing" : "'" + format + "'") + ", expected '" + FORMAT + "')");
            }
            return new ExportData(sessions, messages, configs);
        }

        private SessionRows session() throws IOException {
            Long id = null;
            String name = null;
            List<MessageRow> messages = List.of();
            List<ConfigRow> configs = List.of();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "id":
                        id = p.getLongValue();
                        break;
                    case "name":
                        name = p.getValueAsString();
                        break;
                    case "messages":
                        messages = messages();
                        break;
                    case "configs":
                        configs = configs();
                        break;
                    default:
                        p.skipChildren();
                }
            }
            return new SessionRows(id, name, messages, configs);
        }

        private List<MessageRow> messages() throws IOException {
            expect(p.currentToken(), JsonToken.START_ARRAY, "messages");
            List<MessageRow> out = new ArrayList<>();
            while (p.nextToken() == JsonToken.START_OBJECT) {
                Long id = null;
                String role = null;
                String content = null;
                boolean dynamic = false;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    switch (field) {
                        case "id" -> id = p.getLongValue();
                        case "role" -> role = p.getValueAsString();
                        case "content" -> content = p.getValueAsString();
                        case "dynamic" -> dynamic = p.getValueAsBoolean();
                        default -> p.skipChildren();
                    }
                }
                if (content == null) {
                    throw invalid("message " + id + " in the export has no content");
                }
                out.add(new MessageRow(id, role, content, dynamic));
            }
            return out;
        }

        private List<ConfigRow> configs() throws IOException {
            expect(p.currentToken(), JsonToken.START_ARRAY, "configs");
            List<ConfigRow> out = new ArrayList<>();
            while (p.nextToken() == JsonToken.START_OBJECT) {
                Long id = null;
                String apiBase = null;
                String apiKey = null;
                String model = null;
                long ctx = 0;
                long min = 0;
                String stop = "";
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    switch (field) {
                        case "id" -> id = p.getLongValue();
                        case "api_base" -> apiBase = p.getValueAsString();
                        case "api_key" -> apiKey = p.getValueAsString();
                        case "model" -> model = p.getValueAsString();
                        case "context_max_tokens" -> ctx = p.getLongValue();
                        case "assistant_minimum_context_tokens" -> min = p.getLongValue();
                        case "stop_words" -> stop = p.getValueAsString();
                        default -> p.skipChildren();
                    }
                }
                if (apiBase == null || model == null) {
                    throw invalid("config snapshot " + id + " in the export lacks api_base or model");
                }
                out.add(new ConfigRow(id, apiBase, apiKey, model, ctx, min, stop));
            }
            return out;
        }

        private void expect(JsonToken got, JsonToken wanted, String what) {
            if (got != wanted) {
                throw invalid(what + " must be a JSON " + (wanted == JsonToken.START_ARRAY ? "array" : "object")
                        + ", found " + got + " at line " + p.currentLocation().getLineNr());
            }
        }

        private InvalidDataException invalid(String message) {
            return new InvalidDataException(store.file(), message, null);
        }
    }
}
