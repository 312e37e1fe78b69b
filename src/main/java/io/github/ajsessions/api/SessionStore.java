package io.github.ajsessions.api;

import com.zaxxer.hikari.HikariDataSource;
import io.github.ajsessions.api.StoreConfig.SchemaMode;
import io.github.ajsessions.internal.bootstrap.EntityManagerFactories;
import io.github.ajsessions.internal.bootstrap.Pools;
import io.github.ajsessions.internal.errors.SqliteErrors;
import io.github.ajsessions.internal.schema.SchemaManager;
import io.github.ajsessions.model.AjIdLimit;
import io.github.ajsessions.model.AwfulConfig;
import io.github.ajsessions.model.Conversation;
import io.github.ajsessions.model.Message;
import io.github.ajsessions.model.Role;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * aj's session database, open: the pool, the migrated and checked schema, the EntityManagerFactory
 * (built when first needed), and the session operations, each in one short transaction. Close it to release the file.
 *
 * <pre>{@code
 * try (SessionStore store = SessionStore.open(StoreConfig.builder().build())) {   // finds aj.db as aj does
 *     store.findOrCreateSession("research", Preamble.defaults());
 *     store.appendTurn("research", "What is WAL?", "Write-ahead logging ...");
 *     store.history("research").forEach(m -> System.out.println(m.getRole() + ": " + m.getContent()));
 * }
 * }</pre>
 *
 * <p>Locks: aj has no busy timeout, so any lock held here when aj writes makes aj's write fail. Every
 * write is one {@code BEGIN IMMEDIATE ... COMMIT} around the statements of one call; reads run in
 * auto-commit, one statement at a time, and return fully read results, so no cursor stays open
 * across caller code ({@link #streamHistory} reads page by page). Thread-safe.
 *
 * <p>The session operations run on the pool with JDBC and return detached entities, as an entity
 * manager that loaded them and closed would leave them: ids set, a message's conversation set, a
 * conversation's messages and config snapshots not loaded (reading them throws Hibernate's
 * {@code LazyInitializationException}). Hibernate boots on the first JPA call ({@link #inTransaction},
 * {@link #withEntityManager}, {@link #entityManagerFactory()}).
 */
public final class SessionStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SessionStore.class);

    /** Rows per page of {@link #streamHistory(String)}. */
    public static final int STREAM_PAGE_SIZE = 500;

    /** The roles of one turn of {@link #appendTurn}. */
    private static final List<Role> TURN = List.of(Role.USER, Role.ASSISTANT);

    private final StoreConfig config;
    private final DatabaseLocation location;
    private final HikariDataSource pool;
    private final Jdbc jdbc = new Jdbc(this);
    /**
     * Built on first use ({@link #entityManagerFactory()}, {@link #inTransaction}, {@link #withEntityManager}),
     * or in {@link #open} when {@link StoreConfig#entityManagerFactoryAtOpen()} asks for it. The session
     * API runs on the pool alone ({@link SessionStatements}), and Hibernate's boot is about 70 % of an open
     * (1.9 s from JVM start on Java 17 against 0.4 s without it); the file's tables were already
     * compared column by column with aj's schema when opening, which is stricter than Hibernate's
     * validation.
     */
    private volatile EntityManagerFactory emf;
    private final SchemaManager.Outcome schema;
    private final Object emfLock = new Object();
    /** Conversations known to hold at least aj's three preamble rows (rows are never deleted singly). */
    private final Set<Long> preambleSeen = ConcurrentHashMap.newKeySet();

    private SessionStore(StoreConfig config, DatabaseLocation location, HikariDataSource pool,
                         EntityManagerFactory emf, SchemaManager.Outcome schema) {
        this.config = config;
        this.location = location;
        this.pool = pool;
        this.emf = emf;
        this.schema = schema;
    }

    /**
     * Opens the store: resolves the file, opens the pool, identifies the schema and migrates, adopts
     * or refuses it (per {@link StoreConfig#schemaMode()}): aj's three tables must match a known
     * variant of aj's schema column by column, which is what the entities map. Then it applies the
     * journal-mode policy. Hibernate boots, and validates the entities against the file, when
     * {@link #entityManagerFactory()} is first needed, or here with
     * {@link StoreConfig#entityManagerFactoryAtOpen()}.
     *
     * @throws DatabaseFileException the file is missing, a folder, not SQLite, corrupt or unopenable
     * @throws SchemaException       aj's tables are missing, unknown, drifted, or newer than this build
     * @throws DatabaseLockedException another process held the file past the busy timeout
     */
    public static SessionStore open(StoreConfig config) {
        Pools.Prepared prepared = Pools.openPrepared(config);
        Path file = prepared.location().file();
        try {
            EntityManagerFactory emf = config.entityManagerFactoryAtOpen()
                    ? EntityManagerFactories.build(prepared.pool(), file, true) : null;
            LOG.debug("opened {} ({}, schema version {})", file, prepared.schema().variant(),
                    prepared.schema().version());
            return new SessionStore(config, prepared.location(), prepared.pool(), emf, prepared.schema());
        } catch (RuntimeException e) {
            prepared.discard();
            throw translate(e, file, config);
        }
    }

    /** Opens {@code file} with every default: migrate, 5 s busy timeout, journal mode kept. */
    public static SessionStore open(Path file) {
        return open(StoreConfig.forFile(file));
    }

    // ---------------------------------------------------------------------------------------------
    // sessions

    /**
     * Finds the session with this exact name or creates it empty (aj writes its preamble on its first
     * turn). Two threads or processes creating the same name end with one row: the check and the
     * insert run in one IMMEDIATE transaction.
     */
    public Conversation findOrCreateSession(String name) {
        return findOrCreateSession(name, null);
    }

    /**
     * Finds or creates the session and, when it has no messages yet, writes {@code preamble} into it
     * in the same transaction, so that aj can continue it.
     *
     * @param preamble aj's preamble layout, or {@code null} to leave a new session empty
     */
    public Conversation findOrCreateSession(String name, Preamble preamble) {
        requireName(name);
        return jdbc.write(c -> findOrCreate(c, name, preamble));
    }

    /** @return the session with this exact, case-sensitive name (the oldest, should there be several) */
    public Optional<Conversation> findSession(String name) {
        requireName(name);
        return Optional.ofNullable(jdbc.read(c -> SessionStatements.find(c, name)));
    }

    /**
     * @return every session with its message count, newest message id and latest model, in id order
     */
    public List<SessionSummary> listSessions() {
        // one grouped pass over messages, shared with the CLI (see StoreInspection#sessions)
        return inspection().sessions();
    }

    /**
     * Renames a session; aj finds it by the new name from then on.
     *
     * @throws SessionNotFoundException no session is named {@code from}
     * @throws IllegalArgumentException a session named {@code to} exists already
     */
    public void renameSession(String from, String to) {
        requireName(from);
        requireName(to);
        jdbc.write(c -> {
            Conversation conversation = SessionStatements.find(c, from);
            if (conversation == null) {
                throw new SessionNotFoundException(file(), from);
            }
            if (!from.equals(to) && SessionStatements.find(c, to) != null) {
                throw new IllegalArgumentException("cannot rename session '" + from + "' to '" + to
                        + "': a session named '" + to + "' already exists in " + file());
            }
            SessionStatements.rename(c, conversation.getId(), to);
            return null;
        });
    }

    /**
     * Deletes every conversation with this exact name, with all its messages and config snapshots, in
     * one transaction. Works on aj-made files, whose foreign keys do not cascade.
     *
     * @return {@code true} when something was deleted
     */
    public boolean deleteSession(String name) {
        requireName(name);
        return jdbc.write(c -> {
            List<Long> ids = SessionStatements.idsNamed(c, name);
            if (ids.isEmpty()) {
                return false;
            }
            SessionStatements.delete(c, ids);
            preambleSeen.removeAll(ids);
            return true;
        });
    }

    // ---------------------------------------------------------------------------------------------
    // messages

    /**
     * Appends one message to an existing session.
     *
     * @throws SessionNotFoundException no such session
     * @throws IllegalStateException    the session has fewer rows than aj's preamble (aj would panic);
     *                                  start it with {@link #findOrCreateSession(String, Preamble)}
     * @throws IllegalArgumentException a null role or content, or content that is not valid UTF-16
     */
    public Message appendMessage(String session, Role role, String content) {
        requireName(session);
        requireRole(role);
        requireText("content", content);
        return jdbc.write(c -> {
            Conversation conversation = requirePreamble(c, session);
            return SessionStatements.insert(c, conversation, List.of(role), List.of(content), file()).get(0);
        });
    }

    /**
     * Appends a user message and the assistant's reply in one transaction: both rows or neither.
     *
     * @return the two messages, user first
     */
    public List<Message> appendTurn(String session, String userText, String assistantText) {
        requireName(session);
        requireText("user text", userText);
        requireText("assistant text", assistantText);
        return jdbc.write(c -> {
            Conversation conversation = requirePreamble(c, session);
            return SessionStatements.insert(c, conversation, TURN, List.of(userText, assistantText), file());
        });
    }

    /**
     * Appends several messages to an existing session in one transaction ({@code BEGIN IMMEDIATE ... COMMIT}):
     * all rows or none, in list order. Every argument is checked before the file is touched.
     *
     * @param roles    the role of each message
     * @param contents the text of each message, as many as {@code roles}
     * @return the messages written, in order (empty, and nothing touched, when the lists are empty)
     * @throws SessionNotFoundException no such session
     * @throws IllegalStateException    the session has fewer rows than aj's preamble (aj would panic);
     *                                  start it with {@link #findOrCreateSession(String, Preamble)}
     * @throws IllegalArgumentException null lists, lists of different sizes, a null role or content, or content
     *                                  that is not valid UTF-16
     */
    public List<Message> appendMessages(String session, List<Role> roles, List<String> contents) {
        requireName(session);
        if (roles == null || contents == null || roles.size() != contents.size()) {
            throw new IllegalArgumentException("roles and contents must be two lists of the same size, were "
                    + (roles == null ? "null" : roles.size()) + " and " + (contents == null ? "null" : contents.size()));
        }
        List<Role> rowRoles = new ArrayList<>(roles.size());
        List<String> rowContents = new ArrayList<>(contents.size());
        for (int i = 0; i < roles.size(); i++) {
            if (roles.get(i) == null) {
                throw new IllegalArgumentException("role of message " + i + " must not be null (aj accepts "
                        + Role.knownValues() + ")");
            }
            requireText("content of message " + i, contents.get(i));
            rowRoles.add(roles.get(i));
            rowContents.add(contents.get(i));
        }
        if (rowRoles.isEmpty()) {
            return List.of();
        }
        return jdbc.write(c -> {
            Conversation conversation = requirePreamble(c, session);
            return SessionStatements.insert(c, conversation, rowRoles, rowContents, file());
        });
    }

    /** @return every message of the session in id order (aj's order); detached */
    public List<Message> history(String session) {
        requireName(session);
        return jdbc.read(c -> {
            Conversation conversation = require(c, session);
            return checkedRoles(c, conversation, rows -> SessionStatements.all(rows, conversation));
        });
    }

    /** @return the last {@code count} messages of the session, in id order */
    public List<Message> lastMessages(String session, int count) {
        requireName(session);
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        return jdbc.read(c -> {
            Conversation conversation = require(c, session);
            List<Message> newestFirst = checkedRoles(c, conversation, rows -> SessionStatements.newest(rows, conversation, count));
            List<Message> out = new ArrayList<>(newestFirst);
            Collections.reverse(out);
            return out;
        });
    }

    /**
     * Streams the session's messages in id order, {@value #STREAM_PAGE_SIZE} at a time: each page is
     * one short query, so no lock or cursor is held while the caller works, and memory stays at one
     * page whatever the session's size. Messages appended while streaming are included.
     */
    public Stream<Message> streamHistory(String session) {
        requireName(session);
        Conversation conversation = jdbc.read(c -> require(c, session));
        Iterator<Message> pages = new Iterator<>() {
            private List<Message> page = List.of();
            private int next;
            private long after = Long.MIN_VALUE;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next < page.size()) {
                    return true;
                }
                if (done) {
                    return false;
                }
                page = jdbc.read(c -> checkedRoles(c, conversation,
                        rows -> SessionStatements.page(rows, conversation, after, STREAM_PAGE_SIZE)));
                next = 0;
                done = page.size() < STREAM_PAGE_SIZE;
                if (!page.isEmpty()) {
                    after = page.get(page.size() - 1).getId();
                }
                return !page.isEmpty();
            }

            @Override
            public Message next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.get(next++);
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages,
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    // ---------------------------------------------------------------------------------------------
    // config snapshots

    /**
     * Records the config a session runs with, by aj's rule: appends a snapshot when the session has
     * none, or when its <em>first</em> snapshot differs on api_base, api_key, model,
     * context_max_tokens or assistant_minimum_context_tokens (stop words are not compared). With
     * {@link StoreConfig#storeApiKeys()} off the key is stored as {@code ""}.
     *
     * @return {@code true} when a snapshot was appended
     */
    public boolean recordConfigSnapshot(String session, ConfigSnapshot snapshot) {
        requireName(session);
        if (snapshot == null) {
            throw new IllegalArgumentException("snapshot must not be null");
        }
        AwfulConfig candidate = new AwfulConfig(snapshot.apiBase(), config.storeApiKeys() ? snapshot.apiKey() : "",
                snapshot.model(), snapshot.contextMaxTokens(), snapshot.assistantMinimumContextTokens(),
                snapshot.stopWords());
        return jdbc.write(c -> {
            Conversation conversation = require(c, session);
            List<AwfulConfig> first = SessionStatements.configs(c, conversation, 1);
            if (!first.isEmpty() && sameAsFirst(first.get(0), snapshot, candidate)) {
                return false;
            }
            SessionStatements.insert(c, conversation, candidate, file());
            return true;
        });
    }

    /**
     * aj's comparison, made with the real key. With {@link StoreConfig#storeApiKeys()} off, a first
     * snapshot whose key was blanked matches any key: otherwise every call would append a snapshot
     * (the stored "" never equals the real key), and one written by aj with the key must match too.
     */
    private boolean sameAsFirst(AwfulConfig first, ConfigSnapshot snapshot, AwfulConfig candidate) {
        AwfulConfig withRealKey = new AwfulConfig(snapshot.apiBase(), snapshot.apiKey(), snapshot.model(),
                snapshot.contextMaxTokens(), snapshot.assistantMinimumContextTokens(), snapshot.stopWords());
        if (first.sameAjFields(withRealKey)) {
            return true;
        }
        return !config.storeApiKeys() && first.getApiKey().isEmpty() && first.sameAjFields(candidate);
    }

    /** @return the session's config snapshots in id order (the first is the one aj compares with) */
    public List<AwfulConfig> configSnapshots(String session) {
        requireName(session);
        return jdbc.read(c -> SessionStatements.configs(c, require(c, session), Integer.MAX_VALUE));
    }

    /**
     * @return the bulk path: many messages into one session with JDBC batches in one transaction
     *         (imports, migrations), far faster than {@link #appendMessage} row by row
     */
    public BulkImport bulk() {
        return new BulkImport(this);
    }

    // ---------------------------------------------------------------------------------------------
    // the seed's example

    /**
     * The seed's example: the session {@code demo}, started with aj's default preamble so that aj can
     * continue it, and the user message {@code Hi}, in one transaction.
     *
     * @return the {@code demo} conversation
     */
    public Conversation createDemo() {
        return jdbc.write(c -> {
            Conversation demo = findOrCreate(c, "demo", Preamble.defaults());
            SessionStatements.insert(c, demo, List.of(Role.USER), List.of("Hi"), file());
            return demo;
        });
    }

    // ---------------------------------------------------------------------------------------------
    // the store itself

    /**
     * Runs {@code work} in one write transaction ({@code BEGIN IMMEDIATE ... COMMIT}) with the same
     * error translation as the session operations. Keep it short: aj cannot write meanwhile.
     */
    public <T> T inTransaction(Function<EntityManager, T> work) {
        return write(work);
    }

    /** Runs {@code work} with an EntityManager outside a transaction (auto-commit reads). */
    public <T> T withEntityManager(Function<EntityManager, T> work) {
        return read(work);
    }

    /**
     * @return the EntityManagerFactory, for JPA code of the caller's own; built, and the entities
     *         validated by Hibernate against the file, on the first call unless built in {@link #open}
     * @throws SchemaException the entities do not match the file's tables
     */
    public EntityManagerFactory entityManagerFactory() {
        EntityManagerFactory built = emf;
        if (built == null) {
            synchronized (emfLock) {
                built = emf;
                if (built == null) {
                    try {
                        built = EntityManagerFactories.build(pool, file(), true);
                    } catch (RuntimeException e) {
                        throw translate(e, file(), config);
                    }
                    emf = built;
                }
            }
        }
        return built;
    }

    /** For tests: whether Hibernate has booted for this store. */
    boolean entityManagerFactoryBuilt() {
        return emf != null;
    }

    /** @return read-only looks at the file that need no entity: tables, tail, SQLite's checks, aj hazards */
    public StoreInspection inspection() {
        return new StoreInspection(this);
    }

    /** @return backup, vacuum and reset of the file */
    public StoreMaintenance maintenance() {
        return new StoreMaintenance(this);
    }

    /** @return JSON export and bulk import of sessions */
    public SessionTransfer transfer() {
        return new SessionTransfer(this);
    }

    /** @return full-text search over message content */
    public MessageSearch search() {
        return new MessageSearch(this);
    }

    /**
     * @return the pool: foreign keys on, busy timeout, and transactions that begin IMMEDIATE
     *         ({@code BEGIN DEFERRED} on a connection marked read-only)
     */
    public DataSource dataSource() {
        return pool;
    }

    /** @return the database file */
    public Path file() {
        return location.file();
    }

    /** @return where the file is and how that was decided */
    public DatabaseLocation location() {
        return location;
    }

    /** @return the configuration this store was opened with */
    public StoreConfig config() {
        return config;
    }

    /** @return the schema variant found when opening ({@link SchemaVariant#AJ_SESSIONS} for a file created here) */
    public SchemaVariant variant() {
        return schema.variant();
    }

    /** @return the module's schema version of the file (0 when validate-only found no history) */
    public int schemaVersion() {
        return schema.version();
    }

    /** @return the migrations applied when opening, e.g. {@code "2 messages conversation index"}; often empty */
    public List<String> appliedMigrations() {
        return schema.applied();
    }

    /** @return the file's journal mode, e.g. {@code "delete"} (aj's) or {@code "wal"} */
    public String journalMode() {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw translate(e, file(), config);
        }
    }

    /** Closes the EntityManagerFactory and the pool; idempotent. */
    @Override
    public void close() {
        try {
            EntityManagerFactory built = emf;
            if (built != null && built.isOpen()) {
                built.close();
            }
        } finally {
            pool.close();
        }
    }

    @Override
    public String toString() {
        return "SessionStore{file=" + file() + ", variant=" + schema.variant() + ", mode=" + config.schemaMode() + "}";
    }

    // ---------------------------------------------------------------------------------------------
    // internals

    private <T> T write(Function<EntityManager, T> work) {
        // the id-limit warning of the entities (a JPA listener) names this file
        return AjIdLimit.namingFile(file(), () -> writeTransaction(work));
    }

    private <T> T writeTransaction(Function<EntityManager, T> work) {
        if (config.schemaMode() == SchemaMode.READ_ONLY) {
            throw new IllegalStateException("the store on " + file() + " was opened read-only");
        }
        EntityManager em = entityManagerFactory().createEntityManager();
        EntityTransaction tx = em.getTransaction();
        try {
            tx.begin();
            T result = work.apply(em);
            tx.commit();
            return result;
        } catch (RuntimeException e) {
            if (tx.isActive()) {
                try {
                    tx.rollback();
                } catch (RuntimeException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
            }
            throw translate(e, file(), config);
        } finally {
            em.close();
        }
    }

    private <T> T read(Function<EntityManager, T> work) {
        EntityManager em = entityManagerFactory().createEntityManager();
        try {
            return work.apply(em);
        } catch (RuntimeException e) {
            throw translate(e, file(), config);
        } finally {
            em.close();
        }
    }

    private static RuntimeException translate(RuntimeException e, Path file, StoreConfig config) {
        return SqliteErrors.translateRuntime(e, file, config.busyTimeout());
    }

    private static AjSessionsException translate(SQLException e, Path file, StoreConfig config) {
        return SqliteErrors.translateSql(e, file, config.busyTimeout());
    }

    /** @return the session named {@code name} (the oldest, should there be several) */
    private Conversation require(Connection c, String name) throws SQLException {
        Conversation conversation = SessionStatements.find(c, name);
        if (conversation == null) {
            throw new SessionNotFoundException(file(), name);
        }
        return conversation;
    }

    /** The session named {@code name}, created if missing; {@code preamble} written into it when it is empty. */
    private Conversation findOrCreate(Connection c, String name, Preamble preamble) throws SQLException {
        Conversation conversation = SessionStatements.find(c, name);
        if (conversation == null) {
            conversation = SessionStatements.create(c, name, file());
        }
        if (preamble != null && SessionStatements.countUpTo(c, conversation.getId(), 1) == 0) {
            List<Role> roles = new ArrayList<>();
            List<String> contents = new ArrayList<>();
            for (Preamble.TemplateMessage row : preamble.rows()) {
                roles.add(row.role());
                contents.add(row.content());
            }
            SessionStatements.insert(c, conversation, roles, contents, file());
        }
        return conversation;
    }

    private Conversation requirePreamble(Connection c, String session) throws SQLException {
        Conversation conversation = require(c, session);
        Long id = conversation.getId();
        if (!preambleSeen.contains(id)) {
            if (SessionStatements.countUpTo(c, id, 3) < 3) {
                throw new IllegalStateException("session '" + session + "' in " + file() + " has fewer than the 3"
                        + " preamble rows aj expects (system, brain, Ok); aj would panic on it. Start it with"
                        + " findOrCreateSession(name, Preamble.defaults()), or let aj write its first turn");
            }
            preambleSeen.add(id);
        }
        return conversation;
    }

    /** Runs a message query; a row with a role aj does not know is reported with its id. */
    private <T> T checkedRoles(Connection c, Conversation conversation, Jdbc.Work<T> query) throws SQLException {
        try {
            return query.apply(c);
        } catch (RuntimeException e) {
            if (!causedByUnknownRole(e)) {
                throw e;
            }
            throw new InvalidDataException(file(), "session '" + conversation.getSessionName() + "' in " + file() + ": "
                    + String.join(", ", SessionStatements.unknownRoles(c, conversation.getId())) + "; aj accepts only "
                    + Role.knownValues() + " (and panics on this session)", e);
        }
    }

    private static boolean causedByUnknownRole(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof Role.UnknownRoleException) {
                return true;
            }
        }
        return false;
    }

    static void requireName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("session name must not be null");
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("session name must not be empty");
        }
        requireUtf16("session name", name);
    }

    private static void requireRole(Role role) {
        if (role == null) {
            throw new IllegalArgumentException("role must not be null (aj accepts " + Role.knownValues() + ")");
        }
    }

    static void requireText(String what, String text) {
        if (text == null) {
            throw new IllegalArgumentException(what + " must not be null (messages.content is NOT NULL)");
        }
        requireUtf16(what, text);
    }

    /** Text with an unpaired surrogate cannot be encoded as the UTF-8 aj reads. */
    private static void requireUtf16(String what, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
            } else if (!Character.isLowSurrogate(c)) {
                continue;
            }
            throw new IllegalArgumentException(what + " has an unpaired surrogate U+"
                    + Integer.toHexString(c).toUpperCase(Locale.ROOT) + " at index " + i
                    + ": it cannot be stored as UTF-8");
        }
    }
}
