package io.github.ajsessions.api;

import io.github.ajsessions.api.StoreConfig.SchemaMode;
import io.github.ajsessions.internal.bootstrap.Pools;
import io.github.ajsessions.internal.errors.SqliteErrors;
import io.github.ajsessions.internal.schema.SchemaInspector;
import io.github.ajsessions.internal.schema.SchemaManager;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;

/**
 * Backup, vacuum and reset of aj's file, each safe while aj uses it. Reached through
 * {@link SessionStore#maintenance()}; {@link #reset} works without an open store, so that it can
 * repair a file whose schema no longer opens.
 */
public final class StoreMaintenance {

    /** Pages copied per backup step (4 MiB at SQLite's default page size): the source is locked one step at a time. */
    public static final int BACKUP_PAGES_PER_STEP = 1024;
    private static final int BUSY_SLEEP_MS = 50;

    /**
     * A finished backup.
     *
     * @param file  the backup, complete and checked
     * @param bytes its size
     */
    public record BackupResult(Path file, long bytes) {
    }

    /**
     * A finished {@code VACUUM}.
     *
     * @param bytesBefore the database's size before ({@code page_count * page_size})
     * @param bytesAfter  its size after
     */
    public record VacuumResult(long bytesBefore, long bytesAfter) {
    }

    /**
     * A finished reset.
     *
     * @param backup  the backup written first, or {@code null}
     * @param variant the schema variant the file has now
     */
    public record ResetResult(Path backup, SchemaVariant variant) {
    }

    private final SessionStore store;
    private final Jdbc jdbc;

    StoreMaintenance(SessionStore store) {
        this.store = store;
        this.jdbc = new Jdbc(store);
    }

    /**
     * Copies the database, consistently, with SQLite's online backup API while other processes keep
     * reading and writing it. The copy is written beside {@code destination} under a temporary name,
     * checked with {@code PRAGMA integrity_check}, made owner-only (it may hold API keys) and only
     * then moved into place, so {@code destination} is never a torn file.
     *
     * @param destination a file to create, or an existing folder to create the file in (same name as the source)
     * @param overwrite   whether an existing {@code destination} file may be replaced
     * @throws IllegalArgumentException the destination is the database itself, or exists and {@code overwrite} is off
     */
    public BackupResult backup(Path destination, boolean overwrite, Progress progress) {
        Path target = targetOf(store.file(), destination, overwrite);
        return jdbc.read(c -> copy(c, store.file(), target, progress, store.config().busyTimeout().toMillis()));
    }

    /** Runs {@code VACUUM}: rewrites the file without its free pages. Takes the write lock while it runs. */
    public VacuumResult vacuum() {
        if (store.config().schemaMode() == SchemaMode.READ_ONLY) {
            throw new ReadOnlyStoreException(store.file());
        }
        return jdbc.read(c -> {
            long before = StoreInspection.Jdbc2.databaseBytes(c);
            try (Statement st = c.createStatement()) {
                st.execute("VACUUM");
            }
            return new VacuumResult(before, StoreInspection.Jdbc2.databaseBytes(c));
        });
    }

    /**
     * Empties the file and re-creates aj's schema, in one step that other processes see whole: a
     * fresh database is built beside it (the same aj variant, or aj-init's when the schema is not a
     * known one; this module's migrations when the file had them) and then copied over the file with
     * SQLite's backup API, under SQLite's locks. aj, which only ever appends, sees an empty file.
     *
     * @param config      how to find and open the file ({@link StoreConfig#schemaMode()} is ignored)
     * @param backupFirst whether to write {@link #resetBackupName a backup next to the file} first
     * @throws DatabaseFileException the file is missing or is not a SQLite database
     */
    public static ResetResult reset(StoreConfig config, boolean backupFirst, Progress progress) {
        DatabaseLocation location = DatabaseLocation.resolve(config.database(), config.ajConfigFile());
        Path file = location.file();
        StoreConfig validate = config.toBuilder().schemaMode(SchemaMode.VALIDATE).build();
        Pools.prepareFile(file, validate); // exists, and is SQLite
        long busyMs = config.busyTimeout().toMillis();
        Path fresh = file.resolveSibling("." + file.getFileName() + ".reset-" + ProcessHandle.current().pid());
        try (Connection c = rawConnection(file, config)) {
            Path backup = null;
            if (backupFirst) {
                backup = file.resolveSibling(resetBackupName(file));
                copy(c, file, targetOf(file, backup, false), progress, busyMs);
            }
            SchemaVariant variant;
            int version;
            try {
                variant = SchemaInspector.inspect(c).variant();
                version = SchemaManager.appliedVersion(c);
            } catch (SQLException unreadable) {
                variant = null;
                version = 0;
            }
            SchemaVariant made = buildFresh(fresh, variant, version);
            int rc = c.unwrap(SQLiteConnection.class).getDatabase().restore("main", fresh.toString(), null,
                    BUSY_SLEEP_MS, (int) Math.max(1, busyMs / BUSY_SLEEP_MS), -1);
            if (rc != 0) {
                throw new AjSessionsException(file, "could not reset " + file + ": SQLite backup API returned code "
                        + rc + (rc == SqliteErrors.SQLITE_BUSY ? " (locked by another process)" : ""), null);
            }
            return new ResetResult(backup, made);
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, file, config.busyTimeout(), "could not reset " + file);
        } finally {
            deleteQuietly(fresh);
        }
    }

    /** @return the name of the backup {@link #reset} writes first, e.g. {@code aj.db.before-reset-20260101-120000} */
    public static String resetBackupName(Path file) {
        return file.getFileName() + ".before-reset-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    }

    private static SchemaVariant buildFresh(Path fresh, SchemaVariant variant, int version) throws SQLException {
        deleteQuietly(fresh);
        SchemaVariant ddl = variant == null || variant == SchemaVariant.EMPTY ? SchemaVariant.AJ_INIT : variant;
        if (ddl != SchemaVariant.AJ_SESSIONS) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + fresh);
                 Statement st = c.createStatement()) {
                for (String statement : SchemaInspector.statementsOf(ddl)) {
                    st.execute(statement);
                }
            }
        }
        if (ddl == SchemaVariant.AJ_SESSIONS || version > 0) {
            // the file had this module's migrations: the fresh one gets them too
            try (SessionStore s = SessionStore.open(fresh)) {
                return s.info().variant();
            }
        }
        return ddl;
    }

    private static Connection rawConnection(Path file, StoreConfig config) throws SQLException {
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setBusyTimeout((int) config.busyTimeout().toMillis());
        sqlite.enforceForeignKeys(true);
        return DriverManager.getConnection("jdbc:sqlite:" + file, sqlite.toProperties());
    }

    private static Path targetOf(Path source, Path destination, boolean overwrite) {
        Path target = destination.toAbsolutePath().normalize();
        if (Files.isDirectory(target)) {
            target = target.resolve(source.getFileName());
        }
        if (target.equals(source.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("backup destination " + target + " is the database itself");
        }
        if (Files.exists(target) && !overwrite) {
            throw new IllegalArgumentException("backup destination " + target + " exists already"
                    + " (choose another name, or allow overwriting)");
        }
        Path parent = target.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IllegalArgumentException("folder " + parent + " of backup destination " + target
                    + " does not exist");
        }
        return target;
    }

    /** The online backup into a temporary file, its integrity check, then an atomic move into place. */
    private static BackupResult copy(Connection source, Path sourceFile, Path target, Progress progress, long busyMs)
            throws SQLException {
        Path temp = target.resolveSibling("." + target.getFileName() + ".part-" + ProcessHandle.current().pid());
        try {
            deleteQuietly(temp);
            Progress report = progress == null ? Progress.NONE : progress;
            int rc = source.unwrap(SQLiteConnection.class).getDatabase().backup("main", temp.toString(),
                    (remaining, pageCount) -> report.update(pageCount - remaining, pageCount),
                    BUSY_SLEEP_MS, (int) Math.max(1, busyMs / BUSY_SLEEP_MS), BACKUP_PAGES_PER_STEP);
            if (rc != 0) {
                throw new AjSessionsException(sourceFile, "backup of " + sourceFile + " to " + target
                        + " failed: SQLite backup API returned code " + rc
                        + (rc == SqliteErrors.SQLITE_BUSY ? " (locked by another process)" : ""), null);
            }
            List<String> problems = new ArrayList<>();
            try (Connection check = DriverManager.getConnection("jdbc:sqlite:" + temp);
                 Statement st = check.createStatement();
                 ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
                while (rs.next()) {
                    problems.add(rs.getString(1));
                }
            }
            if (!problems.equals(List.of("ok"))) {
                throw new AjSessionsException(sourceFile, "backup of " + sourceFile + " failed its integrity check ("
                        + String.join("; ", problems.subList(0, Math.min(3, problems.size())))
                        + "); nothing was written to " + target, null);
            }
            ownerOnly(temp);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return new BackupResult(target, Files.size(target));
        } catch (IOException e) {
            throw new DatabaseFileException(target, DatabaseFileException.Problem.IO_ERROR,
                    "cannot write backup " + target + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temp);
        }
    }

    private static void ownerOnly(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    private static void deleteQuietly(Path file) {
        for (String suffix : new String[] {"", "-journal", "-wal", "-shm"}) {
            try {
                Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
            } catch (IOException ignored) {
                // a temporary file of ours: best effort
            }
        }
    }
}
