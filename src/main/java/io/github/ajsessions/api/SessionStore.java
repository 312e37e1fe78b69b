package io.github.ajsessions.api;

import com.zaxxer.hikari.HikariDataSource;
import io.github.ajsessions.core.DatabaseFileException;
import io.github.ajsessions.core.DatabaseLocation;
import io.github.ajsessions.core.DatabaseLockedException;
import io.github.ajsessions.core.InvalidDataException;
import io.github.ajsessions.core.MissingPreambleException;
import io.github.ajsessions.core.SchemaException;
import io.github.ajsessions.core.SessionExistsException;
import io.github.ajsessions.core.SessionNotFoundException;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.dialect.AjSqliteDialect;
import io.github.ajsessions.internal.backend.Backend;
import io.github.ajsessions.internal.backend.SqliteBackend;
import io.github.ajsessions.internal.bootstrap.EntityManagerFactories;
import io.github.ajsessions.internal.errors.SqliteErrors;
import io.github.ajsessions.internal.postgres.PgUrl;
import io.github.ajsessions.internal.postgres.PostgresBackend;
import io.github.ajsessions.internal.schema.PreparedPool;
import io.github.ajsessions.internal.schema.SchemaManager;
import io.github.ajsessions.internal.tables.AjRules;
import io.github.ajsessions.internal.tables.AjTables;
import io.github.ajsessions.model.MessageRecord;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.model.SessionRecord;
import io.github.ajsessions.model.SessionSummary;
import io.github.ajsessions.model.SnapshotRecord;
import jakarta.persistence.EntityManagerFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
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
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import javax.sql.DataSource;
import org.hibernate.dialect.Dialect;
import org.hibernate.dialect.PostgreSQLDialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * aj's session database, open: the pool, the migrated and checked schema, and the session
 * operations, each in one short transaction. Close it to release the file.
 *
 * <pre>{@code
 * try (SessionStore store = SessionStore.open(StoreConfig.builder().build())) {   // finds aj.db as aj does
 *     store.findOrCreateSession("research", Preamble.defaults());
 *     store.appendTurn("research", "What is WAL?", "Write-ahead logging ...");
 *     store.history("research").forEach(m -> System.out.println(m.role() + ": " + m.content()));
 * }
 * }</pre>
 *
 * <p>Locks: aj has no busy timeout, so any lock held here when aj writes makes aj's write fail. Every
 * write is one {@code BEGIN IMMEDIATE ... COMMIT} around the statements of one call; reads run in
 * auto-commit, one statement at a time, and return fully read results, so no cursor stays open
 * across caller code ({@link #streamHistory} reads page by page). Thread-safe.
 *
 * <p>The session operations run on the pool with JDBC and return immutable records, one per row
 * ({@link SessionRecord}, {@link MessageRecord}, {@link SnapshotRecord}); they need no Hibernate. JPA
 * code of the caller's own goes through {@link #jpa()}, where Hibernate boots on first use.
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
    /** What differs between aj's SQLite file and a PostgreSQL server; chosen from the URL in {@link #open}. */
    private final Backend backend;
    private final Jdbc jdbc = new Jdbc(this);
    /**
     * The session API runs on the pool alone: Hibernate's boot is most of an open, and the file's
     * tables were already compared column by column with aj's schema when opening, which is stricter
     * than Hibernate's validation. So the EntityManagerFactory is built on first JPA use.
     */
    private final JpaAccess jpa;
    private final SchemaManager.Outcome schema;
    /** Conversations known to hold at least aj's preamble rows (rows are never deleted singly). */
    private final Set<Long> preambleSeen = ConcurrentHashMap.newKeySet();

    private SessionStore(StoreConfig config, DatabaseLocation location, HikariDataSource pool, Backend backend,
                         EntityManagerFactory emf, SchemaManager.Outcome schema) {
        this.config = config;
        this.location = location;
        this.pool = pool;
        this.backend = backend;
        this.jpa = new JpaAccess(this, pool, emf);
        this.schema = schema;
    }

    /**
     * Opens the store: resolves the file, opens the pool, identifies the schema and migrates, adopts
     * or refuses it (per {@link StoreConfig#schemaMode()}): aj's three tables must match a known
     * variant of aj's schema column by column, which is what the entities map. Then it applies the
     * journal-mode policy. Hibernate boots, and validates the entities against the file, on the first
     * use of {@link #jpa()}, or here with {@link StoreConfig#entityManagerFactoryAtOpen()}.
     *
     * @throws DatabaseFileException the file is missing, a folder, not SQLite, corrupt or unopenable
     * @throws SchemaException       aj's tables are missing, unknown, drifted, or newer than this build
     * @throws DatabaseLockedException another process held the file past the busy timeout
     */
    public static SessionStore open(StoreConfig config) {
        if (PgUrl.accepts(config.database())) {
            return openPostgres(config);
        }
        PreparedPool prepared = PreparedPool.open(config);
        Path file = prepared.location().file();
        try {
            EntityManagerFactory emf = config.entityManagerFactoryAtOpen()
                    ? EntityManagerFactories.build(prepared.pool(), file, true, AjSqliteDialect.class) : null;
            LOG.debug("opened {} ({}, schema version {})", file, prepared.schema().variant(),
                    prepared.schema().version());
            return new SessionStore(config, prepared.location(), prepared.pool(), SqliteBackend.INSTANCE, emf,
                    prepared.schema());
        } catch (RuntimeException e) {
            prepared.discard();
            throw SqliteErrors.translate(e, file, config.busyTimeout(), null);
        }
    }

    /**
     * A {@code jdbc:postgresql:} URL: the same tables on a server, created by the module's own PostgreSQL
     * migrations; {@link #file()} is then a path-shaped name of the server and database (no credentials).
     */
    private static SessionStore openPostgres(StoreConfig config) {
        PostgresBackend.Opened opened = PostgresBackend.open(config);
        Path where = opened.url().where();
        try {
            EntityManagerFactory emf = config.entityManagerFactoryAtOpen()
                    ? EntityManagerFactories.build(opened.pool(), where, true, PostgreSQLDialect.class)
                    : null;
            LOG.debug("opened {} (schema version {})", where, opened.schema().version());
            return new SessionStore(config, new DatabaseLocation(where, DatabaseLocation.Source.EXPLICIT, null),
                    opened.pool(), opened.backend(), emf, opened.schema());
        } catch (RuntimeException e) {
            opened.pool().close();
            throw opened.backend().translate(e, where, config.busyTimeout(), null);
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
    public SessionRecord findOrCreateSession(String name) {
        return findOrCreateSession(name, null);
    }

    /**
     * Finds or creates the session and, when it has no messages yet, writes {@code preamble} into it
     * in the same transaction, so that aj can continue it.
     *
     * @param preamble aj's preamble layout, or {@code null} to leave a new session empty
     */
    public SessionRecord findOrCreateSession(String name, Preamble preamble) {
        requireName(name);
        return jdbc.write(c -> findOrCreate(c, name, preamble));
    }

    /** @return the session with this exact, case-sensitive name (the oldest, should there be several) */
    public Optional<SessionRecord> findSession(String name) {
        requireName(name);
        return Optional.ofNullable(jdbc.read(c -> AjTables.findSession(c, name)));
    }

    /**
     * @return every session with its message count, newest message id and latest model, in id order,
     *         in one SQL query
     */
    public List<SessionSummary> listSessions() {
        return jdbc.read(AjTables::sessionSummaries);
    }

    /**
     * Renames a session; aj finds it by the new name from then on.
     *
     * @throws SessionNotFoundException no session is named {@code from}
     * @throws SessionExistsException   a session named {@code to} exists already
     */
    public void renameSession(String from, String to) {
        requireName(from);
        requireName(to);
        jdbc.write(c -> {
            SessionRecord session = require(c, from);
            if (!from.equals(to) && AjTables.findSession(c, to) != null) {
                throw new SessionExistsException(file(), List.of(to), "cannot rename session '" + from + "' to '"
                        + to + "'");
            }
            AjTables.renameSession(c, session.id(), to);
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
            List<Long> ids = AjTables.sessionIdsNamed(c, name);
            if (ids.isEmpty()) {
                return false;
            }
            AjTables.deleteSessions(c, ids);
            preambleSeen.removeAll(ids);
            return true;
        });
    }

    // ---------------------------------------------------------------------------------------------
    // messages

    /**
     * Appends one message to an existing session.
     *
     * @throws SessionNotFoundException  no such session
     * @throws MissingPreambleException  the session has fewer rows than aj's preamble (aj would panic);
     *                                   start it with {@link #findOrCreateSession(String, Preamble)}
     * @throws IllegalArgumentException  a null role or content, or content that is not valid UTF-16
     */
    public MessageRecord appendMessage(String session, Role role, String content) {
        requireName(session);
        requireRole(role);
        requireText("content", content);
        return jdbc.write(c -> {
            SessionRecord s = requirePreamble(c, session);
            return AjTables.insertMessages(c, s.id(), List.of(role), List.of(content), file()).get(0);
        });
    }

    /**
     * Appends a user message and the assistant's reply in one transaction: both rows or neither.
     *
     * @return the two messages, user first
     * @throws MissingPreambleException the session has fewer rows than aj's preamble
     */
    public List<MessageRecord> appendTurn(String session, String userText, String assistantText) {
        requireName(session);
        requireText("user text", userText);
        requireText("assistant text", assistantText);
        return jdbc.write(c -> {
            SessionRecord s = requirePreamble(c, session);
            return AjTables.insertMessages(c, s.id(), TURN, List.of(userText, assistantText), file());
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
     * @throws MissingPreambleException the session has fewer rows than aj's preamble (aj would panic);
     *                                  start it with {@link #findOrCreateSession(String, Preamble)}
     * @throws IllegalArgumentException null lists, lists of different sizes, a null role or content, or content
     *                                  that is not valid UTF-16
     */
    public List<MessageRecord> appendMessages(String session, List<Role> roles, List<String> contents) {
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
            SessionRecord s = requirePreamble(c, session);
            return AjTables.insertMessages(c, s.id(), rowRoles, rowContents, file());
        });
    }

    /**
     * @return every message of the session in id order (aj's order)
     * @throws InvalidDataException a row holds a role aj does not know (each such row is named)
     */
    public List<MessageRecord> history(String session) {
        requireName(session);
        return jdbc.read(c -> AjTables.allMessages(c, require(c, session), file()));
    }

    /** @return the last {@code count} messages of the session, in id order */
    public List<MessageRecord> lastMessages(String session, int count) {
        requireName(session);
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        return jdbc.read(c -> {
            List<MessageRecord> out = new ArrayList<>(AjTables.newestMessages(c, require(c, session), count, file()));
            Collections.reverse(out);
            return out;
        });
    }

    /**
     * Streams the session's messages in id order, {@value #STREAM_PAGE_SIZE} at a time: each page is
     * one short query, so no lock or cursor is held while the caller works, and memory stays at one
     * page whatever the session's size. Messages appended while streaming are included.
     */
    public Stream<MessageRecord> streamHistory(String session) {
        requireName(session);
        SessionRecord s = jdbc.read(c -> require(c, session));
        Iterator<MessageRecord> pages = new Iterator<>() {
            private List<MessageRecord> page = List.of();
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
                long from = after;
                page = jdbc.read(c -> AjTables.messagePage(c, s, from, STREAM_PAGE_SIZE, file()));
                next = 0;
                done = page.size() < STREAM_PAGE_SIZE;
                if (!page.isEmpty()) {
                    after = page.get(page.size() - 1).id();
                }
                return !page.isEmpty();
            }

            @Override
            public MessageRecord next() {
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
        return jdbc.write(c -> {
            SessionRecord s = require(c, session);
            SnapshotRecord withRealKey = new SnapshotRecord(0, s.id(), snapshot.apiBase(), snapshot.apiKey(),
                    snapshot.model(), snapshot.contextMaxTokens(), snapshot.assistantMinimumContextTokens(),
                    snapshot.stopWords());
            SnapshotRecord candidate = config.storeApiKeys() ? withRealKey : new SnapshotRecord(0, s.id(),
                    snapshot.apiBase(), "", snapshot.model(), snapshot.contextMaxTokens(),
                    snapshot.assistantMinimumContextTokens(), snapshot.stopWords());
            List<SnapshotRecord> first = AjTables.snapshots(c, s.id(), 1, true);
            if (!first.isEmpty() && sameAsFirst(first.get(0), withRealKey, candidate)) {
                return false;
            }
            AjTables.insertSnapshot(c, candidate, file());
            return true;
        });
    }

    /**
     * aj's comparison, made with the real key. With {@link StoreConfig#storeApiKeys()} off, a first
     * snapshot whose key was blanked matches any key: otherwise every call would append a snapshot
     * (the stored "" never equals the real key), and one written by aj with the key must match too.
     */
    private boolean sameAsFirst(SnapshotRecord first, SnapshotRecord withRealKey, SnapshotRecord candidate) {
        if (AjRules.sameAjFields(first, withRealKey)) {
            return true;
        }
        return !config.storeApiKeys() && first.apiKey().isEmpty() && AjRules.sameAjFields(first, candidate);
    }

    /** @return the session's config snapshots in id order (the first is the one aj compares with) */
    public List<SnapshotRecord> configSnapshots(String session) {
        requireName(session);
        return jdbc.read(c -> AjTables.snapshots(c, require(c, session).id(), Integer.MAX_VALUE, true));
    }

    /**
     * @return the bulk path: many messages into one session with JDBC batches in one transaction
     *         (imports, migrations), far faster than {@link #appendMessage} row by row
     */
    public BulkImport bulk() {
        return new BulkImport(this);
    }

    // ---------------------------------------------------------------------------------------------
    // the store itself

    /** @return JPA on this file: the EntityManagerFactory and a transaction template for the caller's own code */
    public JpaAccess jpa() {
        return jpa;
    }

    /** @return the Hibernate dialect of this store's backend */
    Class<? extends Dialect> hibernateDialect() {
        return backend.isPostgres() ? PostgreSQLDialect.class : AjSqliteDialect.class;
    }

    /** @return the backend seam of this store (module-internal) */
    Backend backend() {
        return backend;
    }

    /** @throws IllegalArgumentException when this store is on a PostgreSQL server: {@code what} is SQLite's */
    void requireSqlite(String what) {
        if (backend.isPostgres()) {
            throw new IllegalArgumentException(what + " works on aj's SQLite file only; " + file()
                    + " is a PostgreSQL server");
        }
    }

    /** For tests: whether Hibernate has booted for this store. */
    boolean entityManagerFactoryBuilt() {
        return jpa.built();
    }

    /** @return read-only looks at the file: tables, tail, SQLite's checks, aj hazards */
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

    /**
     * @return the database file; on PostgreSQL a path-shaped name of the server and database, e.g.
     *         {@code postgresql@127.0.0.1:5432/aj}, that holds no credential
     */
    public Path file() {
        return location.file();
    }

    /** @return the configuration this store was opened with */
    public StoreConfig config() {
        return config;
    }

    /**
     * @return where the file is, the schema found and migrated when opening, and the journal mode now
     *         (one {@code PRAGMA journal_mode} query)
     */
    public StoreInfo info() {
        return new StoreInfo(location, schema.variant(), schema.version(), schema.applied(), journalMode());
    }

    private String journalMode() {
        try {
            return backend.journalMode(pool);
        } catch (SQLException e) {
            throw jdbc.translate(e);
        }
    }

    /** Closes the EntityManagerFactory, if built, and the pool; idempotent. */
    @Override
    public void close() {
        try {
            jpa.close();
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

    /** @return the session named {@code name} (the oldest, should there be several) */
    private SessionRecord require(Connection c, String name) throws SQLException {
        SessionRecord session = AjTables.findSession(c, name);
        if (session == null) {
            throw new SessionNotFoundException(file(), name);
        }
        return session;
    }

    /** The session named {@code name}, created if missing; {@code preamble} written into it when it is empty. */
    private SessionRecord findOrCreate(Connection c, String name, Preamble preamble) throws SQLException {
        SessionRecord session = AjTables.findSession(c, name);
        if (session == null) {
            session = AjTables.insertSession(c, null, name, file());
        }
        if (preamble != null && AjTables.countMessagesUpTo(c, session.id(), 1) == 0) {
            List<Role> roles = new ArrayList<>();
            List<String> contents = new ArrayList<>();
            for (Preamble.TemplateMessage row : preamble.rows()) {
                roles.add(row.role());
                contents.add(row.content());
            }
            AjTables.insertMessages(c, session.id(), roles, contents, file());
        }
        return session;
    }

    private SessionRecord requirePreamble(Connection c, String name) throws SQLException {
        SessionRecord session = require(c, name);
        long id = session.id();
        if (!preambleSeen.contains(id)) {
            if (AjTables.countMessagesUpTo(c, id, AjRules.PREAMBLE_ROWS) < AjRules.PREAMBLE_ROWS) {
                throw new MissingPreambleException(file(), name, "session '" + name + "' in " + file()
                        + " has fewer than the " + AjRules.PREAMBLE_ROWS + " preamble rows aj expects (system, brain,"
                        + " Ok); aj would panic on it. Start it with findOrCreateSession(name, Preamble.defaults()),"
                        + " or let aj write its first turn");
            }
            preambleSeen.add(id);
        }
        return session;
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
