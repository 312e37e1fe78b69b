package io.github.ajsessions.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import io.github.ajsessions.core.ImportProblem;
import io.github.ajsessions.core.InvalidDataException;
import io.github.ajsessions.core.InvalidExportException;
import io.github.ajsessions.core.SessionExistsException;
import io.github.ajsessions.core.SessionNotFoundException;
import io.github.ajsessions.internal.tables.AjTables;
import io.github.ajsessions.model.MessageRecord;
import io.github.ajsessions.model.SessionRecord;
import io.github.ajsessions.model.SnapshotRecord;
import io.github.ajsessions.model.StopWordsConverter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
 * config snapshots (ids included), and, in a full export, the rows of no conversation or of one that
 * is missing, each with its {@code conversation_id}. {@code api_key} is left out unless asked for.
 * Rows the format cannot hold exactly (content stored as a BLOB or as bytes that are not UTF-8,
 * {@code dynamic} other than 0 or 1) refuse the export unless {@link Anomalies#CONVERT}. Exporting,
 * importing into an empty file and exporting again gives the same text: ids are kept when the file
 * has none at or above them, and otherwise renumbered in the same relative order.
 *
 * <p>Import first reads and checks the whole input ({@link #readAndCheck}, no database involved) and
 * refuses all of it when aj cannot live with any part, each problem named; warnings may be allowed
 * instead. It then writes in one {@code BEGIN IMMEDIATE ... COMMIT} with JDBC batches (no entity, no
 * per-row persist), so all of it lands or none; aj waits for that one transaction.
 */
public final class SessionTransfer {

    /** The {@code format} field of the JSON. */
    public static final String FORMAT = "aj-sessions-export";
    /** The {@code version} of the JSON layout written. */
    public static final int VERSION = 2;
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
     * @param warnings each problem of the input and what was done instead, when warnings were allowed
     */
    public record ImportResult(int sessions, long messages, long configs, boolean idsKept, List<String> skipped,
                               Map<String, String> renamed, List<String> warnings) {
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
     * What an export does with rows aj tolerates but the format cannot hold exactly: content stored as a
     * BLOB or a number, {@code dynamic} other than 0 or 1, content that is not valid UTF-8.
     */
    public enum Anomalies {
        /** Refuse the export before writing anything, naming the rows (default). */
        REFUSE,
        /**
         * Write them converted: content as text (the bytes of a BLOB or the digits of a number as UTF-8,
         * invalid sequences as U+FFFD), {@code dynamic} as {@code true} when non-zero; each converted row is
         * named in the returned warnings.
         */
        CONVERT
    }

    /** The most converted rows {@link Anomalies#CONVERT} names one by one. */
    public static final int ANOMALIES_NAMED = 100;

    /**
     * Writes the JSON export to {@code out} (left open), reading page by page in short queries, refusing
     * rows the format cannot hold exactly ({@link Anomalies#REFUSE}).
     *
     * @param sessions       session names to export; empty for the whole file (with the rows of no
     *                       conversation, or of one that is missing, each with its {@code conversation_id})
     * @param includeSecrets whether {@code api_key} is written
     * @throws SessionNotFoundException a name matches no session
     * @throws InvalidDataException     a row holds a role aj does not know, or a value the format cannot hold
     */
    public void exportJson(List<String> sessions, boolean includeSecrets, OutputStream out, Progress progress) {
        exportJson(sessions, includeSecrets, Anomalies.REFUSE, out, progress);
    }

    /**
     * Writes the JSON export to {@code out} (left open, flushed), as {@link #exportJson(List, boolean,
     * OutputStream, Progress)} does: streamed, never held in memory whole.
     */
    public void exportJson(List<String> sessions, boolean includeSecrets, Writer out, Progress progress) {
        exportJson(sessions, includeSecrets, Anomalies.REFUSE, out, progress);
    }

    /**
     * Writes the JSON export to {@code out} (left open).
     *
     * @param anomalies what to do with rows the format cannot hold exactly: content stored as a BLOB or a
     *                  number and {@code dynamic} other than 0 or 1 are found before anything is written;
     *                  content that is not UTF-8 when its row is reached (the output is then incomplete)
     * @return the rows converted ({@link Anomalies#CONVERT}), at most {@link #ANOMALIES_NAMED}; empty otherwise
     * @throws InvalidDataException such a row, with {@link Anomalies#REFUSE}; or a role aj does not know
     */
    public List<String> exportJson(List<String> sessions, boolean includeSecrets, Anomalies anomalies,
                                   OutputStream out, Progress progress) {
        return exportJson(sessions, includeSecrets, anomalies, progress, () -> JSON_OUT.createGenerator(out));
    }

    /** As {@link #exportJson(List, boolean, Anomalies, OutputStream, Progress)}, to a {@link Writer}. */
    public List<String> exportJson(List<String> sessions, boolean includeSecrets, Anomalies anomalies, Writer out,
                                   Progress progress) {
        return exportJson(sessions, includeSecrets, anomalies, progress, () -> JSON_OUT.createGenerator(out));
    }

    private static final JsonFactory JSON_OUT = new JsonFactory();

    @FunctionalInterface
    private interface GeneratorFactory {
        JsonGenerator create() throws IOException;
    }

    private List<String> exportJson(List<String> sessions, boolean includeSecrets, Anomalies anomalies,
                                    Progress progress, GeneratorFactory target) {
        Progress report = progress == null ? Progress.NONE : progress;
        List<SessionRecord> chosen = new ArrayList<>();
        long total = conversations(sessions, chosen);
        List<String> converted = new ArrayList<>(jdbc.read(c -> AjTables.exportAnomalies(c, sessions.isEmpty() ? null
                : chosen.stream().map(SessionRecord::id).toList(), ANOMALIES_NAMED)));
        if (anomalies == Anomalies.REFUSE && !converted.isEmpty()) {
            throw new InvalidDataException(store.file(), "cannot export " + store.file() + " exactly: "
                    + String.join("; ", converted.subList(0, Math.min(5, converted.size())))
                    + (converted.size() > 5 ? "; and more" : "") + " (aj-sessions doctor lists every such row;"
                    + " export --convert writes them converted); nothing was exported", null);
        }
        AjTables.InvalidText invalid = (id, offset, bytes) -> {
            if (anomalies == Anomalies.REFUSE) {
                throw new InvalidDataException(store.file(), "cannot export " + store.file() + " exactly: messages"
                        + " row " + id + ": content is not valid UTF-8 (byte " + offset + " of " + bytes.length
                        + "; aj fails to read it); the export is incomplete (aj-sessions doctor lists every such"
                        + " row; export --convert writes them converted)", null);
            }
            if (converted.size() < ANOMALIES_NAMED) {
                converted.add("messages row " + id + ": content is not valid UTF-8 (byte " + offset + " of "
                        + bytes.length + "), invalid bytes written as U+FFFD");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        };
        writeJson(sessions, includeSecrets, chosen, total, report, invalid, target);
        return converted;
    }

    private void writeJson(List<String> sessions, boolean includeSecrets, List<SessionRecord> chosen, long total,
                           Progress report, AjTables.InvalidText invalid, GeneratorFactory target) {
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
                writeMessages(g, session.id(), done, total, report, invalid);
                writeConfigs(g, session.id(), includeSecrets);
                g.writeEndObject();
            }
            g.writeEndArray();
            if (sessions.isEmpty()) {
                g.writeObjectFieldStart("unattached");
                writeMessages(g, null, done, total, report, invalid);
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

    /** @param sessionId the conversation, or {@code null} for the messages of none (or of one that is gone) */
    private void writeMessages(JsonGenerator g, Long sessionId, long[] done, long total, Progress report,
                               AjTables.InvalidText invalid) throws IOException {
        g.writeArrayFieldStart("messages");
        long after = Long.MIN_VALUE;
        while (true) {
            long from = after;
            List<MessageRecord> page = jdbc.read(c -> AjTables.messagesAfter(c, sessionId, from, PAGE,
                    AjTables.refuseRow(store.file()), invalid));
            for (MessageRecord m : page) {
                g.writeStartObject();
                for (AjTables.ExportField<MessageRecord> field : AjTables.MESSAGE_EXPORT_FIELDS) {
                    writeField(g, field.name(), field.value().apply(m));
                }
                if (sessionId == null) {
                    writeConversationId(g, m.sessionId());
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
            if (sessionId == null) {
                writeConversationId(g, a.sessionId());
            }
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

    /** A row of no conversation keeps its {@code conversation_id}: null, or the id of a conversation that is gone. */
    private static void writeConversationId(JsonGenerator g, Long sessionId) throws IOException {
        if (sessionId == null) {
            g.writeNullField("conversation_id");
        } else {
            g.writeNumberField("conversation_id", sessionId);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // import

    /**
     * Reads an export written by {@link #exportJson} and refuses it unless aj can live with all of it.
     *
     * @throws InvalidExportException the text is not such an export (the message gives the line and
     *                                column), or holds rows aj cannot live with (each one named)
     */
    public ExportData readJson(InputStream in) {
        CheckedExport checked = readAndCheck(in);
        refuseProblems(checked, store.file());
        return checked.data();
    }

    /**
     * An export read and checked, before any database is involved.
     *
     * @param data     what an import that allows warnings writes: unusable sessions and rows left out,
     *                 ids aj cannot read or that repeat set to 0 (SQLite's), lone surrogates in content
     *                 replaced by U+FFFD, rows of a missing conversation detached
     * @param problems everything aj cannot live with, in the order of the input; empty when all is well
     */
    public record CheckedExport(ExportData data, List<ImportProblem> problems) {
        /** Copies the problems. */
        public CheckedExport {
            problems = List.copyOf(problems);
        }
    }

    /**
     * Parses and checks a whole export, touching no database: a message of any length SQLite stores
     * is read (no limit below 2^31 characters). Rows aj cannot live with are reported as
     * {@link CheckedExport#problems()}: a non-empty session of fewer than 3 messages or that does not
     * start with system, user, assistant; an id outside 1 to 2,147,483,647 or repeated; a role aj
     * does not know; {@code dynamic} that is not a JSON boolean; a lone surrogate in any text; a token
     * count outside aj's 32-bit range; a missing required field or an unknown one; a row of a
     * conversation that is not in the export.
     *
     * @throws InvalidExportException the input is not well-formed JSON, not an aj-sessions export, or of
     *                                a version this build does not read; the message gives the line and
     *                                column and never quotes the input
     */
    public static CheckedExport readAndCheck(InputStream in) {
        ExportReader.Checked checked = ExportReader.read(in, null);
        return new CheckedExport(checked.data(), checked.problems());
    }

    /** Checks records built in code by the same rules as {@link #readAndCheck}, as far as records can break them. */
    public static CheckedExport check(ExportData data) {
        ExportReader.Checked checked = ExportReader.check(data);
        return new CheckedExport(checked.data(), checked.problems());
    }

    /**
     * @throws InvalidExportException when {@code checked} has problems: nothing is imported
     */
    public static void refuseProblems(CheckedExport checked, Path database) {
        if (!checked.problems().isEmpty()) {
            throw new InvalidExportException(database, "the export has " + checked.problems().size() + " problem(s)"
                    + " aj cannot live with; nothing was imported (an import allowing warnings imports what aj can"
                    + " use and skips or repairs the rest)", checked.problems());
        }
    }

    /** Reads the JSON and imports it, refusing it whole when aj cannot live with any of it; see {@link #importData}. */
    public ImportResult importJson(InputStream in, OnExisting onExisting, Progress progress) {
        return importJson(in, onExisting, false, progress);
    }

    /**
     * Reads the JSON and imports it.
     *
     * @param allowWarnings {@code false}: any problem ({@link #readAndCheck}) refuses the whole input;
     *                      {@code true}: what aj can use is imported and each problem is a warning of
     *                      the result naming what was skipped or repaired (never a row aj would panic on)
     */
    public ImportResult importJson(InputStream in, OnExisting onExisting, boolean allowWarnings, Progress progress) {
        return importChecked(readAndCheck(in), onExisting, allowWarnings, progress);
    }

    /**
     * Imports sessions in one IMMEDIATE transaction of JDBC batches, after checking them as
     * {@link #check} does; any problem refuses the whole import. A row without {@code api_key} gets
     * {@code ""}. Rows with an id of 0 get SQLite's.
     *
     * @throws InvalidExportException aj cannot live with some of the data
     * @throws SessionExistsException a session name exists already and the policy is {@link OnExisting#REFUSE}
     */
    public ImportResult importData(ExportData data, OnExisting onExisting, Progress progress) {
        return importChecked(check(data), onExisting, false, progress);
    }

    /**
     * Imports what {@link #readAndCheck} or {@link #check} returned.
     *
     * @param allowWarnings whether to import despite problems (see {@link #importJson(InputStream, OnExisting,
     *                      boolean, Progress)})
     * @throws InvalidExportException there are problems and warnings are not allowed
     * @throws SessionExistsException a session name exists already and the policy is {@link OnExisting#REFUSE}
     */
    public ImportResult importChecked(CheckedExport checked, OnExisting onExisting, boolean allowWarnings,
                                      Progress progress) {
        if (!allowWarnings) {
            refuseProblems(checked, store.file());
        }
        List<String> warnings = checked.problems().stream().map(ImportProblem::describeWithRemedy).toList();
        ImportResult r = write(checked.data(), onExisting, progress);
        return new ImportResult(r.sessions(), r.messages(), r.configs(), r.idsKept(), r.skipped(), r.renamed(),
                warnings);
    }

    /**
     * @return the names of {@code data}'s sessions that the file holds already, read in one short
     *         query (works on a store opened read-only)
     */
    public List<String> existingSessions(ExportData data) {
        Set<String> existing = jdbc.read(AjTables::sessionNames);
        return data.sessions().stream().map(s -> s.session().name()).filter(existing::contains).toList();
    }

    /** The refusal of sessions that exist, as {@link OnExisting#REFUSE} gives it. */
    public static SessionExistsException sessionsExist(Path database, List<String> names) {
        return new SessionExistsException(database, names, "nothing was imported (choose a policy:"
                + " skip them or import them under new names)");
    }

    private ImportResult write(ExportData data, OnExisting onExisting, Progress progress) {
        Progress report = progress == null ? Progress.NONE : progress;
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
                throw sessionsExist(store.file(), conflicts);
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
            // messages of every session in the export's id order, so that their interleaving is kept; a row
            // without an id sorts with the row before it in its list, so that a session keeps its order
            List<Keyed<MessageRecord>> messages = new ArrayList<>();
            List<Keyed<SnapshotRecord>> configs = new ArrayList<>();
            for (ExportSession s : chosen) {
                Long cid = newIds.get(s);
                keyed(s.messages(), MessageRecord::id, messages, m -> m.inSession(cid));
                keyed(s.configs(), SnapshotRecord::id, configs, a -> a.inSession(cid));
            }
            keyed(data.unattachedMessages(), MessageRecord::id, messages, m -> m.inSession(null));
            keyed(data.unattachedConfigs(), SnapshotRecord::id, configs, a -> a.inSession(null));
            messages.sort(Comparator.comparingLong(Keyed::key)); // stable: equal keys keep the list's order
            configs.sort(Comparator.comparingLong(Keyed::key));
            try (AjTables.MessageBatch batch = AjTables.messageBatch(c, keepIds, PAGE, store.file())) {
                long n = 0;
                for (Keyed<MessageRecord> m : messages) {
                    n++;
                    if (batch.add(m.row())) {
                        report.update(n, total);
                    }
                }
                batch.finish();
                report.update(n, total);
            }
            AjTables.insertSnapshots(c, configs.stream().map(Keyed::row).toList(), keepIds);
            if (keepIds) {
                // a server's identity sequences do not follow explicit ids: the next append would collide
                store.backend().followKeptIds(c, List.of("conversations", "messages", "awful_configs"));
            }
            return new ImportResult(chosen.size(), messages.size(), configs.size(), keepIds, skipped, renamed,
                    List.of());
        });
    }

    /** A row and the key it is inserted by. */
    private record Keyed<T>(long key, T row) {
    }

    /** Adds the rows of one list with their keys: the id, or for a row without one the key of the row before it. */
    private static <T> void keyed(List<T> rows, java.util.function.ToLongFunction<T> id, List<Keyed<T>> into,
                                  java.util.function.Function<T, T> map) {
        long key = 0;
        for (T row : rows) {
            long given = id.applyAsLong(row);
            key = given > 0 ? given : key;
            into.add(new Keyed<>(key, map.apply(row)));
        }
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
}
