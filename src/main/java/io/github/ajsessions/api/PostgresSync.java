package io.github.ajsessions.api;

import io.github.ajsessions.core.StoreConfig;
import java.util.function.LongConsumer;

/**
 * Gathers aj.db files into one PostgreSQL server (the same tables, made by this module's PostgreSQL
 * migrations, each synced row with its origin: the file and its aj id), and writes a server session
 * back into an aj.db.
 *
 * <p>{@link #sync}: incremental (only rows above the file's high-water marks on the server), idempotent
 * (a second run writes nothing), resumable (each batch commits with its mark), and safe beside aj (the
 * file is opened read-only and read in short pages) and beside other syncs (a row is unique by origin
 * and aj id, inserted once). A session renamed in the file is renamed on the server; a session deleted
 * from the file is deleted on the server only with {@code prune}. API keys are not copied unless
 * {@code includeApiKeys}: the server's snapshots hold {@code ""}. A file whose ids went backwards (aj
 * reset it) is refused with nothing written.
 */
public final class PostgresSync {

    /** Rows per server transaction. */
    public static final int DEFAULT_BATCH_SIZE = 5_000;

    /**
     * What one sync did.
     *
     * @param origin    the file's origin on the server: this machine's host name and the file's absolute path
     * @param sessions  sessions new on the server
     * @param messages  messages sent to the server (rows already there are skipped by the server)
     * @param snapshots config snapshots sent
     * @param renamed   sessions renamed on the server to the file's name
     * @param pruned    sessions deleted on the server ({@code prune})
     */
    public record SyncResult(String origin, long sessions, long messages, long snapshots, long renamed, long pruned) {
    }

    /**
     * What one pull did.
     *
     * @param session   the local name of the new session
     * @param origin    its origin on the server ({@code ""}: written on the server itself)
     * @param messages  messages written locally
     * @param snapshots config snapshots written locally
     */
    public record PullResult(String session, String origin, long messages, long snapshots) {
    }

    private PostgresSync() {
    }

    /**
     * Copies the aj.db {@code source} names (opened read-only whatever its schema mode) into the server.
     *
     * @param serverUrl a {@code jdbc:postgresql:} URL (credentials as URL parameters, PGUSER/PGPASSWORD or
     *                  ~/.pgpass); its schema is created or upgraded first, or refused (foreign tables, newer)
     * @param progress  told the number of messages sent so far after each batch; may be {@code null}
     */
    public static SyncResult sync(StoreConfig source, String serverUrl, boolean prune, boolean includeApiKeys,
                                  LongConsumer progress) {
        return sync(source, serverUrl, prune, includeApiKeys, DEFAULT_BATCH_SIZE, progress);
    }

    /**
     * As {@link #sync(StoreConfig, String, boolean, boolean, LongConsumer)}, with {@code batchSize} rows (≥ 1) per
     * server transaction.
     */
    public static SyncResult sync(StoreConfig source, String serverUrl, boolean prune, boolean includeApiKeys,
                                  int batchSize, LongConsumer progress) {
        requireUrl(serverUrl);
        StoreConfig readOnly = source.toBuilder().schemaMode(StoreConfig.SchemaMode.READ_ONLY)
                .journalMode(StoreConfig.JournalMode.KEEP).build();
        try (SessionStore file = SessionStore.open(readOnly)) {
            PostgresSyncRun.Result r = PostgresSyncRun.sync(file, serverUrl, originOf(file.file()), prune,
                    includeApiKeys, batchSize, progress);
            return new SyncResult(r.origin(), r.sessions(), r.messages(), r.snapshots(), r.renamed(), r.pruned());
        }
    }

    /**
     * Writes the server session {@code session} into {@code target}'s aj.db as {@code localName}, in aj's
     * layout, in one transaction.
     *
     * @param origin the session's origin when its name is on the server from several; else {@code null}
     * @throws io.github.ajsessions.core.SessionNotFoundException  no such session on the server
     * @throws io.github.ajsessions.core.SessionExistsException    {@code localName} exists locally, or the name
     *                                                            needs an origin
     * @throws io.github.ajsessions.core.MissingPreambleException  the session does not start with aj's preamble
     */
    public static PullResult pull(String serverUrl, String session, String origin, StoreConfig target,
                                  String localName) {
        requireUrl(serverUrl);
        try (SessionStore file = SessionStore.open(target)) {
            PostgresPull.Result r = PostgresPull.pull(serverUrl, session, origin, file, localName == null ? session : localName);
            return new PullResult(r.session(), r.origin(), r.messages(), r.snapshots());
        }
    }

    /**
     * @return the origin of an aj.db on the server, as {@code sync} records it and {@code pull --origin} takes it:
     *         this machine's host name and the file's absolute path, e.g. {@code laptop:/home/me/.config/aj/aj.db}
     */
    public static String originOf(java.nio.file.Path file) {
        return PostgresSyncRun.originOf(file);
    }

    private static void requireUrl(String serverUrl) {
        if (!io.github.ajsessions.internal.postgres.PgUrl.accepts(serverUrl)) {
            throw new IllegalArgumentException("the server must be a jdbc:postgresql://host:port/database URL");
        }
    }
}
