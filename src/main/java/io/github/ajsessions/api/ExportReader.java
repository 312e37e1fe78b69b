package io.github.ajsessions.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.github.ajsessions.api.SessionTransfer.ExportData;
import io.github.ajsessions.api.SessionTransfer.ExportSession;
import io.github.ajsessions.core.ImportProblem;
import io.github.ajsessions.core.InvalidExportException;
import io.github.ajsessions.internal.tables.AjRules;
import io.github.ajsessions.internal.tables.AjTables;
import io.github.ajsessions.model.MessageRecord;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.model.SessionRecord;
import io.github.ajsessions.model.SnapshotRecord;
import io.github.ajsessions.model.StopWordsConverter;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an export and checks it against what aj can live with, all before any database is opened for
 * writing. Two passes: the JSON pass refuses what records cannot hold (a wrong type, a missing or
 * unknown field, a role aj does not know, a token count outside aj's 32-bit range); the record pass
 * ({@link #check}) refuses what they can (ids aj cannot read or that repeat, sessions aj panics on,
 * lone surrogates, rows pointing to no conversation). Each problem carries what an import allowing
 * warnings does instead; the data returned is already repaired that way.
 */
final class ExportReader {

    /**
     * Jackson's default limits are lifted to what an export can hold: a message of any length SQLite
     * stores (its default maximum is 10^9 bytes), and any document length; nesting stays small, as the
     * format nests five levels.
     */
    static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE)
                    .maxDocumentLength(-1).maxNestingDepth(64).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** The export read, repaired as an import allowing warnings would, and every problem found. */
    record Checked(ExportData data, List<ImportProblem> problems) {
    }

    private static final StopWordsConverter STOP_WORDS = new StopWordsConverter();
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_. -]{0,24}");
    private static final String SKIP_SESSION = "session skipped";
    private static final String NEW_ID = "imported under a new id";
    private static final String SKIP_ROW = "row skipped";
    private static final String IGNORED = "field ignored";
    /** Stands for the session in problems found before its name is read. */
    private static final String SESSION_MARK = "\u0000session";

    private final JsonParser p;
    private final Path database;
    private final List<ImportProblem> problems = new ArrayList<>();

    private ExportReader(JsonParser p, Path database) {
        this.p = p;
        this.database = database;
    }

    /**
     * Parses and checks the whole input.
     *
     * @param database the file the import is meant for, for the exception; {@code null} when not known
     * @throws InvalidExportException the input is not a well-formed aj-sessions export of a version
     *                                this build reads (the problems of its rows are returned, not thrown)
     */
    static Checked read(InputStream in, Path database) {
        try (JsonParser p = JSON.createParser(in)) {
            ExportReader reader = new ExportReader(p, database);
            ExportData data = reader.document();
            Checked checked = check(data);
            List<ImportProblem> all = new ArrayList<>(reader.problems);
            all.addAll(checked.problems());
            return new Checked(checked.data(), all);
        } catch (JsonProcessingException e) {
            throw malformed(e, database);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the export: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * The message of a JSON syntax error, built from its location and a fixed description: Jackson's
     * own message can quote a token of the input, which may be an API key.
     */
    static InvalidExportException malformed(JsonProcessingException e, Path database) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        String text = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        String what;
        if (e instanceof JsonEOFException) {
            what = "unexpected end of input";
            if (e.getProcessor() instanceof JsonParser parser) {
                var context = parser.getParsingContext();
                if (context != null && context.inArray()) {
                    what += " (expected ']')";
                } else if (context != null && context.inObject()) {
                    what += " (expected '}')";
                }
            }
        } else if (e instanceof StreamConstraintsException) {
            what = "beyond the reader's limits (nesting deeper than 64 levels, a number of more than 1,000 digits or a"
                    + " field name of more than 50,000 characters)";
        } else if (e.getCause() instanceof CharConversionException || text.startsWith("Invalid UTF-8")) {
            what = "the text is not UTF-8";
        } else if (text.startsWith("Duplicate Object property") || text.startsWith("Duplicate field")) {
            what = "a field given twice in one object";
        } else if (text.startsWith("Unexpected close marker")) {
            what = "a closing bracket that does not match what is open";
        } else if (text.startsWith("Unrecognized token") || text.startsWith("Unexpected character")) {
            what = "unexpected text (a value must be a string in double quotes, a number, true, false or null)";
        } else if (text.startsWith("Illegal unquoted character")) {
            what = "a control character inside a string (it must be escaped)";
        } else if (text.startsWith("Unexpected end-of-input")) {
            what = "unexpected end of input";
        } else {
            what = "not valid JSON";
        }
        return new InvalidExportException(database, "malformed export" + where + ": " + what
                + "; nothing was imported", List.of());
    }

    // ---------------------------------------------------------------------------------------------
    // the JSON pass

    private ExportData document() throws IOException {
        JsonToken first = p.nextToken();
        if (first != JsonToken.START_OBJECT) {
            throw refuse(first == null ? "the export is empty" : "an export is a JSON object, this input starts with "
                    + kind(first) + at());
        }
        String format = null;
        boolean formatSeen = false;
        Integer version = null;
        List<ExportSession> sessions = new ArrayList<>();
        List<MessageRecord> messages = new ArrayList<>();
        List<SnapshotRecord> configs = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "format" -> {
                    formatSeen = true;
                    format = value == JsonToken.VALUE_STRING ? p.getText() : null;
                }
                case "version" -> {
                    if (value != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
                        throw refuse("the export's \"version\" is " + kind(value) + ", not a version number" + at());
                    }
                    version = p.getIntValue();
                }
                case "secrets" -> {
                    if (!value.isBoolean()) {
                        add("the export", "\"secrets\" is " + kind(value) + ", not true or false", IGNORED);
                    }
                }
                case "sessions" -> {
                    if (array(value, "the export", "sessions", IGNORED)) {
                        int index = 0;
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            index++;
                            if (p.currentToken() != JsonToken.START_OBJECT) {
                                add("session #" + index, "is " + kind(p.currentToken()) + ", not an object",
                                        SKIP_SESSION);
                                p.skipChildren();
                                continue;
                            }
                            ExportSession s = session(index);
                            if (s != null) {
                                sessions.add(s);
                            }
                        }
                    }
                }
                case "unattached" -> {
                    if (value != JsonToken.START_OBJECT) {
                        add("the export", "\"unattached\" is " + kind(value) + ", not an object", IGNORED);
                        p.skipChildren();
                        break;
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        JsonToken v = p.nextToken();
                        if (f.equals("messages")) {
                            messages.addAll(messages("unattached", v, true));
                        } else if (f.equals("configs")) {
                            configs.addAll(configs("unattached", v, true));
                        } else {
                            add("unattached", unknownField(f), IGNORED);
                            p.skipChildren();
                        }
                    }
                }
                default -> {
                    add("the export", unknownField(field), IGNORED);
                    p.skipChildren();
                }
            }
        }
        if (p.nextToken() != null) {
            throw refuse("text after the end of the export" + at());
        }
        if (!SessionTransfer.FORMAT.equals(format)) {
            throw refuse("the input is not an aj-sessions export (its \"format\" is " + (!formatSeen ? "missing"
                    : format == null ? "not a string" : shown(format)) + ", expected '" + SessionTransfer.FORMAT + "')");
        }
        if (version == null) {
            add("the export", "\"version\" is missing", "read as version 1");
        } else if (version < 1 || version > SessionTransfer.VERSION) {
            throw refuse("the export has version " + version + "; this build reads versions 1 to "
                    + SessionTransfer.VERSION);
        }
        return new ExportData(sessions, messages, configs);
    }

    /** @return the session, or {@code null} when it cannot be imported (the problem is recorded) */
    private ExportSession session(int index) throws IOException {
        Long id = null;
        String name = null;
        boolean nameOk = false;
        boolean unusable = false;
        List<MessageRecord> messages = List.of();
        List<SnapshotRecord> configs = List.of();
        boolean sawMessages = false;
        boolean sawConfigs = false;
        boolean sawId = false;
        int before = problems.size();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            // named at the end, when the name is known: the export may give it after the rows
            String where = SESSION_MARK;
            switch (field) {
                case "id" -> {
                    sawId = true;
                    id = id(where, value);
                }
                case "name" -> {
                    if (value == JsonToken.VALUE_STRING) {
                        name = p.getText();
                        nameOk = true;
                    } else {
                        add(where, "\"name\" is " + kind(value) + ", not a string", SKIP_SESSION);
                        unusable = true;
                        p.skipChildren();
                    }
                }
                case "messages" -> {
                    sawMessages = true;
                    List<MessageRecord> read = messages(where, value, false);
                    if (read == null) {
                        unusable = true;
                    } else {
                        messages = read;
                    }
                }
                case "configs" -> {
                    sawConfigs = true;
                    configs = configs(where, value, false);
                }
                default -> {
                    add(where, unknownField(field), IGNORED);
                    p.skipChildren();
                }
            }
        }
        String where = sessionWhere(index, nameOk ? name : null, id);
        if (!nameOk && !unusable) {
            add(where, "\"name\" is missing", SKIP_SESSION);
            unusable = true;
        }
        if (!sawId) {
            add(where, "\"id\" is missing", NEW_ID);
        }
        if (!sawMessages) {
            add(where, "\"messages\" is missing", "imported without messages");
        }
        if (!sawConfigs) {
            add(where, "\"configs\" is missing", "imported without config snapshots");
        }
        for (int i = before; i < problems.size(); i++) {
            ImportProblem x = problems.get(i);
            if (x.where().startsWith(SESSION_MARK)) {
                problems.set(i, new ImportProblem(where + x.where().substring(SESSION_MARK.length()), x.problem(),
                        x.remedy()));
            }
        }
        return unusable ? null : new ExportSession(new SessionRecord(id == null ? 0 : id, name), messages, configs);
    }

    /**
     * @param unattached whether the rows may carry {@code conversation_id}
     * @return the messages, or {@code null} when one of them makes the session unusable (recorded)
     */
    private List<MessageRecord> messages(String owner, JsonToken value, boolean unattached)
            throws IOException {
        List<MessageRecord> out = new ArrayList<>();
        if (!array(value, owner, "messages", unattached ? IGNORED : SKIP_SESSION)) {
            return unattached ? out : null;
        }
        boolean unusable = false;
        int index = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            index++;
            String where = owner + (unattached ? " message #" : ", message #") + index;
            if (p.currentToken() != JsonToken.START_OBJECT) {
                add(where, "is " + kind(p.currentToken()) + ", not an object", unattached ? SKIP_ROW : SKIP_SESSION);
                p.skipChildren();
                unusable = true;
                continue;
            }
            Long id = null;
            Long sessionId = null;
            Role role = null;
            String content = null;
            boolean dynamic = false;
            boolean sawId = false;
            boolean sawDynamic = false;
            boolean sawRole = false;
            boolean sawContent = false;
            boolean rowUnusable = false;
            String unusableBecause = unattached ? SKIP_ROW : SKIP_SESSION;
            List<ImportProblem> pending = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                String w = where + (id == null ? "" : " (id " + id + ")");
                switch (field) {
                    case "id" -> {
                        sawId = true;
                        id = id(w, v);
                    }
                    case "conversation_id" -> {
                        if (!unattached) {
                            add(w, unknownField(field) + " (only rows of no conversation carry it)", IGNORED);
                            p.skipChildren();
                        } else if (v != JsonToken.VALUE_NULL) {
                            sessionId = v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                                    ? p.getLongValue() : -1L;
                            if (sessionId == -1L) {
                                add(w, "\"conversation_id\" is " + kind(v) + ", not an id", "imported with no conversation");
                                sessionId = null;
                                p.skipChildren();
                            }
                        }
                    }
                    case "role" -> {
                        sawRole = true;
                        if (v != JsonToken.VALUE_STRING) {
                            add(w, "\"role\" is " + kind(v) + ", not a string", unusableBecause);
                            rowUnusable = true;
                            p.skipChildren();
                        } else if (!Role.isKnown(p.getText())) {
                            add(w, "\"role\" is " + shown(p.getText()) + ", not one of " + Role.knownValues()
                                    + " (aj panics on it)", unusableBecause);
                            rowUnusable = true;
                        } else {
                            role = Role.fromDbValue(p.getText());
                        }
                    }
                    case "content" -> {
                        sawContent = true;
                        if (v != JsonToken.VALUE_STRING) {
                            add(w, "\"content\" is " + kind(v) + ", not a string", unusableBecause);
                            rowUnusable = true;
                            p.skipChildren();
                        } else {
                            content = p.getText();
                        }
                    }
                    case "dynamic" -> {
                        sawDynamic = true;
                        if (v.isBoolean()) {
                            dynamic = v == JsonToken.VALUE_TRUE;
                        } else {
                            pending.add(new ImportProblem(w, "\"dynamic\" is " + kind(v) + ", not true or false",
                                    "stored as false, as aj writes it"));
                            p.skipChildren();
                        }
                    }
                    default -> {
                        add(w, unknownField(field), IGNORED);
                        p.skipChildren();
                    }
                }
            }
            String w = where + (id == null ? "" : " (id " + id + ")");
            if (!sawRole) {
                add(w, "\"role\" is missing", unusableBecause);
                rowUnusable = true;
            }
            if (!sawContent) {
                add(w, "\"content\" is missing", unusableBecause);
                rowUnusable = true;
            }
            if (!sawId) {
                add(w, "\"id\" is missing", NEW_ID);
            }
            if (!sawDynamic) {
                add(w, "\"dynamic\" is missing", "stored as false, as aj writes it");
            }
            problems.addAll(pending);
            if (rowUnusable) {
                unusable = true;
                continue;
            }
            // built where the export's fields are defined (the table home), then placed
            Map<String, Object> fields = new HashMap<>();
            fields.put("id", id);
            fields.put("role", role.dbValue());
            fields.put("content", content);
            fields.put("dynamic", dynamic);
            out.add(AjTables.messageFromExport(fields).inSession(sessionId));
        }
        return unusable && !unattached ? null : out;
    }

    private List<SnapshotRecord> configs(String owner, JsonToken value, boolean unattached) throws IOException {
        List<SnapshotRecord> out = new ArrayList<>();
        if (!array(value, owner, "configs", IGNORED)) {
            return out;
        }
        int index = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            index++;
            String where = owner + (unattached ? " config snapshot #" : ", config snapshot #") + index;
            if (p.currentToken() != JsonToken.START_OBJECT) {
                add(where, "is " + kind(p.currentToken()) + ", not an object", SKIP_ROW);
                p.skipChildren();
                continue;
            }
            Long id = null;
            Long sessionId = null;
            Map<String, String> text = new HashMap<>();
            Map<String, Integer> numbers = new HashMap<>();
            boolean sawId = false;
            boolean unusable = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                String w = where + (id == null ? "" : " (id " + id + ")");
                switch (field) {
                    case "id" -> {
                        sawId = true;
                        id = id(w, v);
                    }
                    case "conversation_id" -> {
                        if (!unattached) {
                            add(w, unknownField(field) + " (only rows of no conversation carry it)", IGNORED);
                            p.skipChildren();
                        } else if (v == JsonToken.VALUE_NUMBER_INT
                                && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                            sessionId = p.getLongValue();
                        } else if (v != JsonToken.VALUE_NULL) {
                            add(w, "\"conversation_id\" is " + kind(v) + ", not an id", "imported with no conversation");
                            p.skipChildren();
                        }
                    }
                    case "api_base", "api_key", "model", "stop_words" -> {
                        if (v == JsonToken.VALUE_STRING) {
                            text.put(field, p.getText());
                        } else if (v == JsonToken.VALUE_NULL && field.equals("api_key")) {
                            text.remove(field);
                        } else {
                            // the value is never shown: it may be a key put in the wrong field
                            add(w, "\"" + field + "\" is " + kind(v) + ", not a string", SKIP_ROW);
                            unusable = true;
                            p.skipChildren();
                        }
                    }
                    case "context_max_tokens", "assistant_minimum_context_tokens" -> {
                        if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
                            numbers.put(field, p.getIntValue());
                        } else {
                            add(w, "\"" + field + "\" is " + (v == JsonToken.VALUE_NUMBER_INT ? p.getText()
                                    + ", outside aj's range " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE
                                    + " (a 32-bit integer)" : kind(v) + ", not an integer"), SKIP_ROW);
                            unusable = true;
                            p.skipChildren();
                        }
                    }
                    default -> {
                        add(w, unknownField(field), IGNORED);
                        p.skipChildren();
                    }
                }
            }
            String w = where + (id == null ? "" : " (id " + id + ")");
            for (String required : List.of("api_base", "model", "stop_words")) {
                if (!text.containsKey(required) && !unusable) {
                    add(w, "\"" + required + "\" is missing", SKIP_ROW);
                    unusable = true;
                }
            }
            for (String required : List.of("context_max_tokens", "assistant_minimum_context_tokens")) {
                if (!numbers.containsKey(required) && !unusable) {
                    add(w, "\"" + required + "\" is missing", SKIP_ROW);
                    unusable = true;
                }
            }
            if (!sawId) {
                add(w, "\"id\" is missing", NEW_ID);
            }
            if (unusable) {
                continue;
            }
            out.add(new SnapshotRecord(id == null ? 0 : id, sessionId, text.get("api_base"), text.get("api_key"),
                    text.get("model"), numbers.get("context_max_tokens"), numbers.get("assistant_minimum_context_tokens"),
                    STOP_WORDS.convertToEntityAttribute(text.get("stop_words"))));
        }
        return out;
    }

    /** @return the id; 0 when below 1, {@code null} when not an integer (both recorded); the upper bound is checked on the records */
    private Long id(String where, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            long id = p.getLongValue();
            if (id < 1) {
                // a record's id 0 means "none given": an explicit one is named here
                add(where, "\"id\" is " + id + ", not a positive id", NEW_ID);
                return 0L;
            }
            return id;
        }
        String why = v != JsonToken.VALUE_NUMBER_INT ? kind(v) + ", not an integer"
                : p.getText() + (p.getText().startsWith("-") ? ", not a positive id"
                : ", above aj's largest id " + AjRules.AJ_MAX_ID);
        add(where, "\"id\" is " + why, NEW_ID);
        p.skipChildren();
        return null;
    }

    /** @return whether the value is an array (else recorded and skipped) */
    private boolean array(JsonToken value, String owner, String field, String remedy) throws IOException {
        if (value == JsonToken.START_ARRAY) {
            return true;
        }
        add(owner, "\"" + field + "\" is " + kind(value) + ", not an array", remedy);
        p.skipChildren();
        return false;
    }

    private void add(String where, String problem, String remedy) {
        problems.add(new ImportProblem(where, problem, remedy));
    }

    private InvalidExportException refuse(String message) {
        return new InvalidExportException(database, message + "; nothing was imported", List.of());
    }

    private String at() {
        JsonLocation l = p.currentTokenLocation();
        return " (line " + l.getLineNr() + ", column " + l.getColumnNr() + ")";
    }

    // ---------------------------------------------------------------------------------------------
    // the record pass

    /**
     * Checks records against aj's rules: ids from 1 to 2,147,483,647 and unique per table, session names
     * present and unique, a non-empty session starting with aj's 3-row preamble, no lone surrogate in
     * any text, rows outside the sessions pointing to no conversation.
     *
     * @return the data as an import allowing warnings writes it, and the problems
     */
    static Checked check(ExportData data) {
        List<ImportProblem> out = new ArrayList<>();
        Set<Long> sessionIds = new HashSet<>();
        Set<Long> messageIds = new HashSet<>();
        Set<Long> configIds = new HashSet<>();
        Set<String> names = new HashSet<>();
        List<ExportSession> sessions = new ArrayList<>();
        int index = 0;
        for (ExportSession s : data.sessions()) {
            index++;
            String name = s.session().name();
            String where = sessionWhere(index, name, s.session().id() == 0 ? null : s.session().id());
            if (name == null || name.isEmpty()) {
                out.add(new ImportProblem(where, name == null ? "\"name\" is missing" : "\"name\" is empty",
                        SKIP_SESSION));
                continue;
            }
            int lone = loneSurrogate(name);
            if (lone >= 0) {
                out.add(new ImportProblem(where, "\"name\" has a lone surrogate at character " + (lone + 1)
                        + " (not UTF-8 text)", SKIP_SESSION));
                continue;
            }
            if (!names.add(name)) {
                out.add(new ImportProblem(where, "\"name\" repeats an earlier session of the export", SKIP_SESSION));
                continue;
            }
            List<MessageRecord> messages = s.messages();
            if (!messages.isEmpty() && messages.size() < AjRules.PREAMBLE_ROWS) {
                out.add(new ImportProblem(where, "has " + messages.size() + " message(s), fewer than aj's "
                        + AjRules.PREAMBLE_ROWS + " preamble rows (aj panics when it loads it; 0 is fine)",
                        SKIP_SESSION));
                names.remove(name);
                continue;
            }
            if (!messages.isEmpty() && !AjRules.startsWithPreamble(messages.stream().limit(AjRules.PREAMBLE_ROWS)
                    .map(MessageRecord::role).toList())) {
                out.add(new ImportProblem(where, "starts with roles " + messages.stream().limit(AjRules.PREAMBLE_ROWS)
                        .map(m -> m.role().dbValue()).toList() + ", not aj's preamble " + AjRules.PREAMBLE_ROLES.stream()
                        .map(Role::dbValue).toList() + " (aj panics when it loads it)", SKIP_SESSION));
                names.remove(name);
                continue;
            }
            long sid = checkId(out, where, s.session().id(), sessionIds);
            List<MessageRecord> ms = new ArrayList<>();
            int i = 0;
            for (MessageRecord m : messages) {
                i++;
                String w = where + ", message #" + i + idPart(m.id());
                ms.add(checkMessage(out, w, m, messageIds, null));
            }
            List<SnapshotRecord> cs = new ArrayList<>();
            i = 0;
            for (SnapshotRecord a : s.configs()) {
                i++;
                String w = where + ", config snapshot #" + i + idPart(a.id());
                SnapshotRecord checked = checkConfig(out, w, a, configIds, null);
                if (checked != null) {
                    cs.add(checked);
                }
            }
            sessions.add(new ExportSession(new SessionRecord(sid, name), ms, cs));
        }
        List<MessageRecord> messages = new ArrayList<>();
        int i = 0;
        for (MessageRecord m : data.unattachedMessages()) {
            i++;
            messages.add(checkMessage(out, "unattached message #" + i + idPart(m.id()), m, messageIds, m.sessionId()));
        }
        List<SnapshotRecord> configs = new ArrayList<>();
        i = 0;
        for (SnapshotRecord a : data.unattachedConfigs()) {
            i++;
            SnapshotRecord checked = checkConfig(out, "unattached config snapshot #" + i + idPart(a.id()), a, configIds,
                    a.sessionId());
            if (checked != null) {
                configs.add(checked);
            }
        }
        return new Checked(new ExportData(sessions, messages, configs), out);
    }

    private static MessageRecord checkMessage(List<ImportProblem> out, String where, MessageRecord m, Set<Long> seen,
                                              Long orphanOf) {
        long id = checkId(out, where, m.id(), seen);
        String content = m.content();
        int lone = loneSurrogate(content);
        if (lone >= 0) {
            out.add(new ImportProblem(where, "\"content\" has a lone surrogate at character " + (lone + 1) + " of "
                    + content.length() + " (not UTF-8 text)", "each one stored as U+FFFD"));
            content = repaired(content);
        }
        orphan(out, where, orphanOf);
        return new MessageRecord(id, null, m.role(), content, m.dynamic());
    }

    /** @return the snapshot to import, or {@code null} to skip it */
    private static SnapshotRecord checkConfig(List<ImportProblem> out, String where, SnapshotRecord a, Set<Long> seen,
                                              Long orphanOf) {
        String[][] fields = {{"api_base", a.apiBase()}, {"api_key", a.apiKey()}, {"model", a.model()},
            {"stop_words", STOP_WORDS.convertToDatabaseColumn(a.stopWords())}};
        for (String[] f : fields) {
            if (f[1] == null && !f[0].equals("api_key")) {
                out.add(new ImportProblem(where, "\"" + f[0] + "\" is missing", SKIP_ROW));
                return null;
            }
            int lone = f[1] == null ? -1 : loneSurrogate(f[1]);
            if (lone >= 0) {
                out.add(new ImportProblem(where, "\"" + f[0] + "\" has a lone surrogate at character " + (lone + 1)
                        + " (not UTF-8 text)", SKIP_ROW));
                return null;
            }
        }
        long id = checkId(out, where, a.id(), seen);
        orphan(out, where, orphanOf);
        return new SnapshotRecord(id, null, a.apiBase(), a.apiKey(), a.model(), a.contextMaxTokens(),
                a.assistantMinimumContextTokens(), a.stopWords());
    }

    private static void orphan(List<ImportProblem> out, String where, Long sessionId) {
        if (sessionId != null) {
            out.add(new ImportProblem(where, "\"conversation_id\" is " + sessionId + ", a conversation that is not in"
                    + " the export (the row was orphaned in the exported file; foreign keys refuse it)",
                    "imported with no conversation"));
        }
    }

    /** @return the id to write: itself, or 0 (SQLite's) when aj cannot read it or it repeats (recorded) */
    private static long checkId(List<ImportProblem> out, String where, long id, Set<Long> seen) {
        if (id == 0) {
            return 0; // the export gave none, recorded when it was read
        }
        if (id < 0) {
            out.add(new ImportProblem(where, "\"id\" is " + id + ", not a positive id", NEW_ID));
            return 0;
        }
        if (id > AjRules.AJ_MAX_ID) {
            out.add(new ImportProblem(where, "\"id\" is " + id + ", above aj's largest id " + AjRules.AJ_MAX_ID
                    + " (aj reads ids as 32-bit integers)", NEW_ID));
            return 0;
        }
        if (!seen.add(id)) {
            out.add(new ImportProblem(where, "\"id\" " + id + " repeats an earlier row of the same table", NEW_ID));
            return 0;
        }
        return id;
    }

    // ---------------------------------------------------------------------------------------------
    // naming

    private static String sessionWhere(int index, String name, Long id) {
        return (name == null ? "session #" + index : "session " + shownName(name)) + (id == null ? "" : " (id " + id + ")");
    }

    private static String idPart(long id) {
        return id == 0 ? "" : " (id " + id + ")";
    }

    /** A session name, cut to 40 characters and escaped: names are not secret but may be long or hold controls. */
    private static String shownName(String name) {
        String cut = name.length() > 40 ? name.substring(0, 40) + "..." : name;
        return "'" + escaped(cut) + "'";
    }

    /** A value of a field that is not secret, shown only when short and plain: it could still be a key put astray. */
    private static String shown(String value) {
        return WORD.matcher(value).matches() ? "'" + value + "'" : "a text of " + value.length() + " characters";
    }

    private static String unknownField(String name) {
        return WORD.matcher(name).matches() ? "unknown field \"" + name + "\""
                : "an unknown field (a name of " + name.length() + " characters)";
    }

    private String kind(JsonToken t) {
        if (t == null) {
            return "the end of input";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> "misplaced";
        };
    }

    private static String escaped(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch < 0xa0) || Character.isSurrogate(ch)
                    || (ch >= 0x2028 && ch <= 0x202e) || (ch >= 0x2066 && ch <= 0x2069)) {
                b.append(String.format("\\u%04x", (int) ch));
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }

    /** @return the index of the first unpaired surrogate, or -1 */
    static int loneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isHighSurrogate(ch)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(ch)) {
                return i;
            }
        }
        return -1;
    }

    private static String repaired(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(ch).append(s.charAt(++i));
            } else {
                b.append(Character.isSurrogate(ch) ? '\uFFFD' : ch);
            }
        }
        return b.toString();
    }

}
