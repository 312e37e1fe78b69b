package io.github.ajsessions.ai;

import io.github.ajsessions.api.Preamble;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.MissingPreambleException;
import io.github.ajsessions.core.SessionNotFoundException;
import io.github.ajsessions.model.MessageRecord;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.model.SessionSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The chat memory rules over aj's sessions, shared by the Spring AI and LangChain4j adapters; works on
 * {@link ChatRow}s. A conversation id is an aj session name, exactly and case-sensitively.
 *
 * <ul>
 *   <li><b>Reading</b> returns the newest {@link #maxMessages()} rows after aj's preamble, oldest first:
 *       one indexed query, whatever the history's length. The preamble (the first
 *       {@link Preamble#length()} rows: system prompt, aj's "brain" row, {@code Ok}, the template's seed
 *       messages) is never returned: aj replaces it with its own template when it continues a session, and
 *       an application brings its own system prompt. {@code system} rows after the preamble are returned
 *       like any other. A window that would start with tool results starts after them (their call lies
 *       before the window, and model APIs refuse a result that answers no call).</li>
 *   <li><b>Appending</b> writes the rows given, in one {@code BEGIN IMMEDIATE} transaction. A conversation
 *       that does not exist yet, or has no rows, is first given {@link #preamble()}, so aj can continue
 *       it.</li>
 *   <li><b>Saving a list</b> ({@link #save}) appends what is new in it and deletes nothing; see there.</li>
 *   <li><b>Deleting</b> a conversation removes aj's session with all its rows and config snapshots, only
 *       when built with {@code allowDelete(true)}; otherwise it is refused. Nothing is ever deleted because
 *       a window dropped it.</li>
 * </ul>
 * Thread-safe.
 */
public final class AjMemory {

    /** Rows returned by a read unless configured otherwise. */
    public static final int DEFAULT_MAX_MESSAGES = 20;

    /** Conversations a thread remembers having read (see {@link #save}); more are forgotten at once. */
    private static final int MAX_READ_MARKS = 256;

    private final SessionStore store;
    private final int maxMessages;
    private final Preamble preamble;
    private final boolean allowDelete;
    /**
     * Per thread, the newest row id of each conversation when this thread last read it. Spring AI's and
     * LangChain4j's window memories read and then save in the same thread; the mark lets {@link #save}
     * set aside what other writers appended in between, instead of taking it for an edit.
     */
    private final ThreadLocal<Map<String, Long>> readMarks = ThreadLocal.withInitial(HashMap::new);

    private AjMemory(Builder builder) {
        this.store = builder.store;
        this.maxMessages = builder.maxMessages;
        this.preamble = builder.preamble;
        this.allowDelete = builder.allowDelete;
    }

    /** @return a builder over {@code store} */
    public static Builder builder(SessionStore store) {
        return new Builder(store);
    }

    /** @return the store */
    public SessionStore store() {
        return store;
    }

    /** @return how many rows a read returns at most */
    public int maxMessages() {
        return maxMessages;
    }

    /** @return the preamble written into a new conversation; its length is how many leading rows reads skip */
    public Preamble preamble() {
        return preamble;
    }

    /** @return whether deleting a conversation is allowed */
    public boolean allowDelete() {
        return allowDelete;
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * @return the newest {@link #maxMessages()} rows after the preamble, oldest first; empty when the
     *         conversation does not exist
     * @throws IllegalArgumentException the id cannot be an aj session name (null, empty, unpaired surrogate)
     */
    public List<ChatRow> read(String conversationId) {
        return window(tail(conversationId, maxMessages, false));
    }

    /**
     * {@link #read}, and remembers for this thread how far the conversation reached, for a {@link #save}
     * that follows in the same thread.
     */
    public List<ChatRow> readForSave(String conversationId) {
        return window(tail(conversationId, maxMessages, true));
    }

    /**
     * Appends {@code rows} in one transaction, after writing {@link #preamble()} into a conversation that
     * does not exist or has no rows yet (a separate, earlier transaction). Every argument is checked before
     * the file is touched.
     *
     * @throws IllegalArgumentException a bad conversation id, or a text that is not valid UTF-16
     */
    public void append(String conversationId, List<ChatRow> rows) {
        requireRows(rows);
        List<Role> roles = new ArrayList<>(rows.size());
        List<String> contents = new ArrayList<>(rows.size());
        for (ChatRow row : rows) {
            roles.add(row.role());
            contents.add(row.content());
        }
        try {
            store.appendMessages(conversationId, roles, contents);
        } catch (SessionNotFoundException | MissingPreambleException e) {
            // a new conversation, or one aj created and left empty: aj's preamble first, then the rows
            store.findOrCreateSession(conversationId, preamble);
            store.appendMessages(conversationId, roles, contents);
        }
    }

    /**
     * Saves the conversation as a framework's window memory sees it, appending only what is new and
     * deleting nothing. The rule, on rows (so tool messages compare as their stored text):
     *
     * <ol>
     *   <li>{@code system} rows are left out of the comparison (the frameworks keep a system message in
     *       their window however old it is, or move it to the front).</li>
     *   <li>The longest run of stored rows, ending with the newest one, that is also the start of the
     *       list is found: the list is a window of the history (possibly all of it) followed by new
     *       rows, which are appended. A list that is only a window appends nothing; older rows the
     *       window dropped stay.</li>
     *   <li>When no such run exists although both the history and the list have rows, the list changed
     *       the history (an edited, removed or reordered message): {@link HistoryConflictException},
     *       nothing written. The same thread's last read is then taken into account: rows other writers
     *       appended after it are set aside and the rule applied to the history as it was read, so two
     *       threads saving at once both keep their rows.</li>
     *   <li>A {@code system} row of the list is appended (those before the new rows first) unless a
     *       {@code system} row with the same text is stored among the newest rows that will still be in the
     *       read window ({@link #maxMessages()}) after the append. The frameworks keep their system message
     *       in their window however old it is and re-send it when a read does not return it; so it is stored
     *       again only when it would otherwise leave the window, at most once per window.</li>
     * </ol>
     * An empty list appends nothing and deletes nothing. The rule cannot tell an edit that happens to
     * look like a window plus new rows from one.
     *
     * @return how many rows were appended
     * @throws HistoryConflictException the list changes the history; nothing was written
     */
    public int save(String conversationId, List<ChatRow> rows) {
        requireRows(rows);
        Long mark = readMarks.get().remove(conversationId);
        Comparison plain = compare(conversationId, rows, Long.MAX_VALUE);
        Comparison chosen = plain;
        if (plain.conflict() && mark != null) {
            Comparison asRead = compare(conversationId, rows, mark);
            if (!asRead.conflict()) {
                chosen = asRead;
            }
        }
        if (chosen.conflict()) {
            throw new HistoryConflictException(conversationId, "the " + rows.size() + " messages given for"
                    + " conversation '" + conversationId + "' in " + store.file() + " are not its history, nor a"
                    + " window of its newest messages, followed by new ones (a message in the middle was"
                    + " changed, removed or reordered); aj's history is append-only, nothing was written");
        }
        if (!chosen.toAppend().isEmpty()) {
            append(conversationId, chosen.toAppend());
        }
        return chosen.toAppend().size();
    }

    /** @return the distinct session names, in the order of their first conversation */
    public List<String> conversationIds() {
        Set<String> names = new LinkedHashSet<>();
        for (SessionSummary s : store.listSessions()) {
            names.add(s.name());
        }
        return new ArrayList<>(names);
    }

    /**
     * Deletes aj's session with all its rows and config snapshots, when allowed.
     *
     * @return whether a session was deleted
     * @throws UnsupportedOperationException deleting was not allowed ({@code allowDelete(false)}, the default)
     */
    public boolean delete(String conversationId) {
        if (!allowDelete) {
            throw new UnsupportedOperationException("conversation '" + conversationId + "' in " + store.file()
                    + " was not deleted: aj's history is append-only and this memory was built without"
                    + " allowDelete(true) (aj.sessions.chat-memory.allow-delete=true with Spring Boot)");
        }
        readMarks.get().remove(conversationId);
        return store.deleteSession(conversationId);
    }

    // ---------------------------------------------------------------------------------------------
    // internals

    private static void requireRows(List<ChatRow> rows) {
        if (rows == null) {
            throw new IllegalArgumentException("rows must not be null");
        }
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i) == null) {
                throw new IllegalArgumentException("row " + i + " must not be null");
            }
        }
    }

    /** A stored row with its id. */
    private record Row(long id, ChatRow row) {
    }

    /** What {@link #save} would do. */
    private record Comparison(boolean conflict, List<ChatRow> toAppend) {
    }

    /** The one place that reads the session API's message type. */
    private static Row row(MessageRecord m) {
        return new Row(m.id(), new ChatRow(m.role(), m.content()));
    }

    /**
     * The rows of a read window, without the tool results it may start with: their call lies before the
     * window, and a model API refuses a tool result that answers no call it was sent.
     */
    private static List<ChatRow> window(List<Row> rows) {
        int start = 0;
        while (start < rows.size() && isToolResult(rows.get(start).row())) {
            start++;
        }
        List<ChatRow> out = new ArrayList<>(rows.size() - start);
        for (Row r : rows.subList(start, rows.size())) {
            out.add(r.row());
        }
        return out;
    }

    private static boolean isToolResult(ChatRow row) {
        return row.role() == Role.ASSISTANT && row.content().startsWith(ToolMarkers.TOOL_RESULT)
                && ToolMarkers.decode(row.content()) instanceof ToolMarkers.ToolResult;
    }

    /** The newest {@code count} rows after the preamble, oldest first (empty for a missing conversation). */
    private List<Row> tail(String conversationId, int count, boolean mark) {
        Tail tail = readTail(conversationId, count);
        if (mark) {
            Map<String, Long> marks = readMarks.get();
            if (marks.size() >= MAX_READ_MARKS) {
                marks.clear();
            }
            marks.put(conversationId, tail.newestId());
        }
        return tail.visible();
    }

    /**
     * @param visible   the newest rows after the preamble, oldest first
     * @param whole     whether {@code visible} reaches back to the preamble (the conversation has no older rows)
     * @param newestId  the newest row id of the conversation, preamble included; 0 when it has none
     */
    private record Tail(List<Row> visible, boolean whole, long newestId) {
    }

    private Tail readTail(String conversationId, int count) {
        int preambleRows = preamble.length();
        int asked = (int) Math.min(Integer.MAX_VALUE, (long) count + preambleRows);
        List<MessageRecord> newest;
        try {
            newest = store.lastMessages(conversationId, asked);
        } catch (SessionNotFoundException e) {
            return new Tail(List.of(), true, 0);
        }
        List<Row> rows = new ArrayList<>(newest.size());
        for (MessageRecord m : newest) {
            rows.add(row(m));
        }
        long newestId = rows.isEmpty() ? 0 : rows.get(rows.size() - 1).id();
        // fewer rows than asked: the whole conversation, whose first rows are the preamble; as many as
        // asked: the conversation has at least `count` rows after its preamble, so the last `count` are past it
        List<Row> visible = rows.subList(Math.min(preambleRows, rows.size()), rows.size());
        return new Tail(visible, newest.size() < asked, newestId);
    }

    private Comparison compare(String conversationId, List<ChatRow> given, long horizon) {
        List<Integer> nonSystem = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            if (given.get(i).role() != Role.SYSTEM) {
                nonSystem.add(i);
            }
        }
        // the newest stored rows up to the horizon: enough of them to hold as many non-system rows as the
        // list, and at least a read window (for the system rule)
        List<Row> stored;
        int count = Math.max(given.size(), maxMessages) + 8;
        while (true) {
            Tail tail = readTail(conversationId, count);
            stored = new ArrayList<>();
            for (Row r : tail.visible()) {
                if (r.id() <= horizon) {
                    stored.add(r);
                }
            }
            long storedNonSystem = stored.stream().filter(r -> r.row().role() != Role.SYSTEM).count();
            if (tail.whole() || storedNonSystem >= nonSystem.size() || count >= Integer.MAX_VALUE / 2) {
                break;
            }
            count *= 2;
        }
        List<ChatRow> storedNonSystem = new ArrayList<>();
        for (Row r : stored) {
            if (r.row().role() != Role.SYSTEM) {
                storedNonSystem.add(r.row());
            }
        }
        int overlap = overlap(storedNonSystem, given, nonSystem);
        if (overlap == 0 && !nonSystem.isEmpty() && !storedNonSystem.isEmpty()) {
            return new Comparison(true, List.of());
        }
        int firstNew = overlap == 0 ? 0 : nonSystem.get(overlap - 1) + 1;
        // a system row counts as stored only if it stays in the read window once the new rows are appended:
        // the frameworks re-send a system message they do not see, and expect to see it from then on
        int newRows = given.size() - firstNew;
        Set<String> storedSystemTexts = new HashSet<>();
        for (Row r : stored.subList(Math.max(0, stored.size() - Math.max(0, maxMessages - newRows)), stored.size())) {
            if (r.row().role() == Role.SYSTEM) {
                storedSystemTexts.add(r.row().content());
            }
        }
        List<ChatRow> toAppend = new ArrayList<>();
        for (int i = 0; i < firstNew; i++) {
            ChatRow row = given.get(i);
            if (row.role() == Role.SYSTEM && !storedSystemTexts.contains(row.content())) {
                toAppend.add(row);
            }
        }
        for (int i = firstNew; i < given.size(); i++) {
            ChatRow row = given.get(i);
            if (row.role() != Role.SYSTEM || !storedSystemTexts.contains(row.content())) {
                toAppend.add(row);
            }
        }
        return new Comparison(false, toAppend);
    }

    /**
     * @return the largest k such that the last k stored non-system rows equal the first k non-system rows
     *         of the list
     */
    private static int overlap(List<ChatRow> stored, List<ChatRow> given, List<Integer> nonSystem) {
        for (int k = Math.min(stored.size(), nonSystem.size()); k > 0; k--) {
            int from = stored.size() - k;
            boolean same = true;
            for (int j = 0; j < k && same; j++) {
                same = stored.get(from + j).equals(given.get(nonSystem.get(j)));
            }
            if (same) {
                return k;
            }
        }
        return 0;
    }

    // ---------------------------------------------------------------------------------------------

    /** Settings of an {@link AjMemory}. */
    public static final class Builder {
        private final SessionStore store;
        private int maxMessages = DEFAULT_MAX_MESSAGES;
        private Preamble preamble = Preamble.defaults();
        private boolean allowDelete;

        private Builder(SessionStore store) {
            this.store = Objects.requireNonNull(store, "store must not be null");
        }

        /** How many rows a read returns at most, from 1; default {@value AjMemory#DEFAULT_MAX_MESSAGES}. */
        public Builder maxMessages(int maxMessages) {
            if (maxMessages < 1) {
                throw new IllegalArgumentException("maxMessages must be >= 1, was " + maxMessages);
            }
            this.maxMessages = maxMessages;
            return this;
        }

        /**
         * The preamble written into a new conversation, default {@link Preamble#defaults()}. Its length is
         * also how many leading rows reads skip: give the preamble of aj's template (with its seed
         * messages) when aj's sessions use one.
         */
        public Builder preamble(Preamble preamble) {
            this.preamble = Objects.requireNonNull(preamble, "preamble must not be null");
            return this;
        }

        /** Whether deleting a conversation removes aj's session (default {@code false}: refused). */
        public Builder allowDelete(boolean allowDelete) {
            this.allowDelete = allowDelete;
            return this;
        }

        /** @return the memory */
        public AjMemory build() {
            return new AjMemory(this);
        }
    }
}
