package io.github.ajsessions.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import io.github.ajsessions.core.InvalidDataException;
import io.github.ajsessions.core.SessionExistsException;
import io.github.ajsessions.core.SessionNotFoundException;
import io.github.ajsessions.internal.tables.AjTables;
import io.github.ajsessions.model.MessageRecord;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.model.SessionRecord;
import io.github.ajsessions.model.SnapshotRecord;
import io.github.ajsessions.model.StopWordsConverter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
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
    private static final StopWordsConverter STOP_WORDS = new StopWordsConverter();

    /** What to do with an imported session whose name the file holds already. */
    public enum OnExisting {
        /** Import nothing and say which names exist (default). */
        REFUSE,
        /** Leave the existing session alone and import the others. */
        SKIP,
        /** Import it as {@code "NAME (imported)"}, {@code "NAME (imported 2)"}, ... */
        RENAME
    }

    /**
     * One session of an export with its rows.
     *
     * @param session  the conversation row (id 0 when the export gave none)
     * @param messages its messages in id order
     * @param configs  its config snapshots in id order; their key is {@code null} when the export left secrets out
     */
    public record ExportSession(SessionRecord session, List<MessageRecord> messages, List<SnapshotRecord> configs) {
    }

    /** The content of an export: sessions, and the rows of no conversation. */
    public record ExportData(List<ExportSession> sessions, List<MessageRecord> unattachedMessages,
                             List<SnapshotRecord> unattachedConfigs) {
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
        List<SessionRecord> chosen = new ArrayList<>();
        long total = conversations(sessions, chosen);
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
            for (SessionRecord session : chosen) {
                g.writeStartObject();
                g.writeNumberField("id", session.id());
                g.writeStringField("name", session.name());
                writeMessages(g, session.id(), done, total, report);
                writeConfigs(g, session.id(), includeSecrets);
                g.writeEndObject();
            }
            g.writeEndArray();
            if (sessions.isEmpty()) {
                g.writeObjectFieldStart("unattached");
                writeMessages(g, null, done, total, report);
                writeConfigs(g, null, includeSecrets);
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the export of " + store.file() + ": " + e.getMessage(), e);
        }
    }

    /** Collects the sessions to export into {@code chosen}; @return how many messages they hold. */
    private long conversations(List<String> sessions, List<SessionRecord> chosen) {
        return jdbc.read(c -> {
            Set<String> wanted = new HashSet<>(sessions);
            Set<String> found = new HashSet<>();
            for (SessionRecord s : AjTables.allSessions(c)) {
                if (sessions.isEmpty() || wanted.contains(s.name())) {
                    chosen.add(s);
                    found.add(s.name());
                }
            }
            for (String name : sessions) {
                if (!found.contains(name)) {
                    throw new SessionNotFoundException(store.file(), name);
                }
            }
            return AjTables.countMessages(c, sessions.isEmpty() ? null
                    : chosen.stream().map(SessionRecord::id).toList());
        });
    }

    /** @param sessionId the conversation, or {@code null} for the messages of none */
    private void writeMessages(JsonGenerator g, Long sessionId, long[] done, long total, Progress report)
            throws IOException {
        g.writeArrayFieldStart("messages");
        long after = Long.MIN_VALUE;
        while (true) {
            long from = after;
            List<MessageRecord> page = jdbc.read(c -> AjTables.messagesAfter(c, sessionId, from, PAGE,
                    AjTables.refuseRow(store.file())));
            for (MessageRecord m : page) {
                g.writeStartObject();
                for (AjTables.ExportField<MessageRecord> field : AjTables.MESSAGE_EXPORT_FIELDS) {
                    writeField(g, field.name(), field.value().apply(m));
                }
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

    /** Writes one field of an {@link AjTables.ExportField} list: a number, a string, a boolean or null. */
    private static void writeField(JsonGenerator g, String name, Object value) throws IOException {
        if (value instanceof Number n) {
            g.writeNumberField(name, n.longValue());
        } else if (value instanceof Boolean b) {
            g.writeBooleanField(name, b);
        } else if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, (String) value);
        }
    }

    private void writeConfigs(JsonGenerator g, Long sessionId, boolean includeSecrets) throws IOException {
        List<SnapshotRecord> rows = jdbc.read(c -> AjTables.snapshots(c, sessionId, Integer.MAX_VALUE, includeSecrets));
        g.writeArrayFieldStart("configs");
        for (SnapshotRecord a : rows) {
            g.writeStartObject();
            g.writeNumberField("id", a.id());
            g.writeStringField("api_base", a.apiBase());
            if (includeSecrets) {
                g.writeStringField("api_key", a.apiKey());
            }
            g.writeStringField("model", a.model());
            g.writeNumberField("context_max_tokens", a.contextMaxTokens());
            g.writeNumberField("assistant_minimum_context_tokens", a.assistantMinimumContextTokens());
            g.writeStringField("stop_words", STOP_WORDS.convertToDatabaseColumn(a.stopWords()));
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    // ---------------------------------------------------------------------------------------------
    // import

    /**
     * Reads an export written by {@link #exportJson}.
     *
     * @throws InvalidDataException the text is not such an export, a row lacks a required field, or a
     *                              message has a role aj does not know (aj panics on any other)
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
     * Imports sessions in one IMMEDIATE transaction of JDBC batches. A row without {@code api_key}
     * gets {@code ""}. Rows with an id of 0 or less get SQLite's.
     *
     * @throws SessionExistsException a session name exists already and the policy is {@link OnExisting#REFUSE}
     * @throws InvalidDataException   a session without a name
     */
    public ImportResult importData(ExportData data, OnExisting onExisting, Progress progress) {
        Progress report = progress == null ? Progress.NONE : progress;
        for (ExportSession s : data.sessions()) {
            if (s.session().name() == null || s.session().name().isEmpty()) {
                throw new InvalidDataException(store.file(), "the export holds a session without a name (id "
                        + s.session().id() + ")", null);
            }
        }
        long total = data.messageCount();
        return jdbc.write(c -> {
            Set<String> existing = AjTables.sessionNames(c);
            List<String> conflicts = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            Map<String, String> renamed = new LinkedHashMap<>();
            List<ExportSession> chosen = new ArrayList<>();
            List<String> targetNames = new ArrayList<>();
            for (ExportSession s : data.sessions()) {
                String original = s.session().name();
                if (!existing.contains(original)) {
                    chosen.add(s);
                    targetNames.add(original);
                    continue;
                }
                switch (onExisting) {
                    case SKIP:
                        skipped.add(original);
                        break;
                    case RENAME:
                        String name = original + " (imported)";
                        for (int n = 2; existing.contains(name) || targetNames.contains(name); n++) {
                            name = original + " (imported " + n + ")";
                        }
                        renamed.put(original, name);
                        chosen.add(s);
                        targetNames.add(name);
                        break;
                    default:
                        conflicts.add(original);
                }
            }
            if (!conflicts.isEmpty()) {
                throw new SessionExistsException(store.file(), conflicts, "nothing was imported (choose a policy:"
                        + " skip them or import them under new names)");
            }
            boolean keepIds = idsFree(c, "conversations", chosen.stream().map(s -> s.session().id()).toList())
                    && idsFree(c, "messages", allMessageIds(chosen, data.unattachedMessages()))
                    && idsFree(c, "awful_configs", allConfigIds(chosen, data.unattachedConfigs()));
            // conversations, one by one (few), in the export's id order, to learn the ids SQLite gives
            Map<ExportSession, Long> newIds = new IdentityHashMap<>();
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < chosen.size(); i++) {
                order.add(i);
            }
            order.sort(Comparator.comparing(i -> idOrMax(chosen.get(i).session().id())));
            for (int i : order) {
                ExportSession s = chosen.get(i);
                newIds.put(s, AjTables.insertSession(c, keepIds ? s.session().id() : null, targetNames.get(i),
                        store.file()).id());
            }
            // messages of every session in the export's id order, so that their interleaving is kept
            List<MessageRecord> messages = new ArrayList<>();
            List<SnapshotRecord> configs = new ArrayList<>();
            for (ExportSession s : chosen) {
                Long cid = newIds.get(s);
                s.messages().forEach(m -> messages.add(m.inSession(cid)));
                s.configs().forEach(a -> configs.add(a.inSession(cid)));
            }
            data.unattachedMessages().forEach(m -> messages.add(m.inSession(null)));
            data.unattachedConfigs().forEach(a -> configs.add(a.inSession(null)));
            messages.sort(Comparator.comparing(m -> idOrMax(m.id())));
            configs.sort(Comparator.comparing(a -> idOrMax(a.id())));
            try (AjTables.MessageBatch batch = AjTables.messageBatch(c, keepIds, PAGE, store.file())) {
                long n = 0;
                for (MessageRecord m : messages) {
                    n++;
                    if (batch.add(m)) {
                        report.update(n, total);
                    }
                }
                batch.finish();
                report.update(n, total);
            }
            AjTables.insertSnapshots(c, configs, keepIds);
            return new ImportResult(chosen.size(), messages.size(), configs.size(), keepIds, skipped, renamed);
        });
    }

    /** An id of 0 or less is one the export did not give: such rows come last, in the export's order. */
    private static long idOrMax(long id) {
        return id > 0 ? id : Long.MAX_VALUE;
    }

    private static List<Long> allMessageIds(List<ExportSession> sessions, List<MessageRecord> unattached) {
        List<Long> ids = new ArrayList<>();
        sessions.forEach(s -> s.messages().forEach(m -> ids.add(m.id())));
        unattached.forEach(m -> ids.add(m.id()));
        return ids;
    }

    private static List<Long> allConfigIds(List<ExportSession> sessions, List<SnapshotRecord> unattached) {
        List<Long> ids = new ArrayList<>();
        sessions.forEach(s -> s.configs().forEach(a -> ids.add(a.id())));
        unattached.forEach(a -> ids.add(a.id()));
        return ids;
    }

    /** Ids are kept only when all are known and all lie above the table's highest id: no clash, order kept. */
    private static boolean idsFree(Connection c, String table, List<Long> ids) throws SQLException {
        long min = Long.MAX_VALUE;
        for (long id : ids) {
            if (id < 1) {
                return false;
            }
            min = Math.min(min, id);
        }
        return AjTables.maxId(c, table) < min;
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
            List<ExportSession> sessions = new ArrayList<>();
            List<MessageRecord> messages = new ArrayList<>();
            List<SnapshotRecord> configs = new ArrayList<>();
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
                                messages.addAll(messages(null));
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

        private ExportSession session() throws IOException {
            long id = 0;
            String name = null;
            List<MessageRecord> messages = List.of();
            List<SnapshotRecord> configs = List.of();
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
                        messages = messages(name);
                        break;
                    case "configs":
                        configs = configs();
                        break;
                    default:
                        p.skipChildren();
                }
            }
            return new ExportSession(new SessionRecord(id, name), messages, configs);
        }

        /**
         * Reads the fields of the current object that {@code known} names, each as its type; other fields are
         * skipped.
         *
         * @return the values by name; a field the object lacks is absent
         */
        private <R> Map<String, Object> readFields(List<AjTables.ExportField<R>> known) throws IOException {
            Map<String, Object> values = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                AjTables.ExportField<R> field = null;
                for (AjTables.ExportField<R> f : known) {
                    if (f.name().equals(name)) {
                        field = f;
                    }
                }
                if (field == null) {
                    p.skipChildren();
                } else if (field.type() == Long.class) {
                    values.put(name, p.getLongValue());
                } else if (field.type() == Integer.class) {
                    values.put(name, p.getIntValue());
                } else if (field.type() == Boolean.class) {
                    values.put(name, p.getValueAsBoolean());
                } else {
                    values.put(name, p.getValueAsString());
                }
            }
            return values;
        }

        /** @param session the name of the session they belong to, when known, for the error message */
        private List<MessageRecord> messages(String session) throws IOException {
            expect(p.currentToken(), JsonToken.START_ARRAY, "messages");
            List<MessageRecord> out = new ArrayList<>();
            while (p.nextToken() == JsonToken.START_OBJECT) {
                Map<String, Object> fields = readFields(AjTables.MESSAGE_EXPORT_FIELDS);
                Long id = (Long) fields.get("id");
                String role = (String) fields.get("role");
                String content = (String) fields.get("content");
                if (content == null) {
                    throw invalid("message " + id + " in the export has no content");
                }
                if (!Role.isKnown(role)) {
                    throw invalid("message " + id + (session == null ? "" : " of session '" + session + "'")
                            + " in the export has role '" + role + "'; aj accepts only " + Role.knownValues()
                            + ": nothing was imported");
                }
                out.add(AjTables.messageFromExport(fields));
            }
            return out;
        }

        private List<SnapshotRecord> configs() throws IOException {
            expect(p.currentToken(), JsonToken.START_ARRAY, "configs");
            List<SnapshotRecord> out = new ArrayList<>();
            while (p.nextToken() == JsonToken.START_OBJECT) {
                Long id = null;
                String apiBase = null;
                String apiKey = null;
                String model = null;
                int ctx = 0;
                int min = 0;
                String stop = "";
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    switch (field) {
                        case "id" -> id = p.getLongValue();
                        case "api_base" -> apiBase = p.getValueAsString();
                        case "api_key" -> apiKey = p.getValueAsString();
                        case "model" -> model = p.getValueAsString();
                        case "context_max_tokens" -> ctx = p.getIntValue();
                        case "assistant_minimum_context_tokens" -> min = p.getIntValue();
                        case "stop_words" -> stop = p.getValueAsString();
                        default -> p.skipChildren();
                    }
                }
                if (apiBase == null || model == null) {
                    throw invalid("config snapshot " + id + " in the export lacks api_base or model");
                }
                out.add(new SnapshotRecord(id == null ? 0 : id, null, apiBase, apiKey, model, ctx, min,
                        STOP_WORDS.convertToEntityAttribute(stop)));
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
