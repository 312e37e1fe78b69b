package io.github.ajsessions.api;

import io.github.ajsessions.core.AjSessionsException;
import io.github.ajsessions.core.DatabaseFileException;
import io.github.ajsessions.core.DatabaseLocation;
import io.github.ajsessions.core.DatabaseLockedException;
import io.github.ajsessions.core.ReadOnlyStoreException;
import io.github.ajsessions.core.SafeFiles;
import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.core.StoreConfig.SchemaMode;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.internal.bootstrap.Pools;
import io.github.ajsessions.internal.errors.SqliteErrors;
import io.github.ajsessions.internal.schema.SchemaInspector;
import io.github.ajsessions.internal.schema.SchemaManager;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
import java.util.regex.Pattern;
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
     * @param file             the backup, complete and checked
     * @param bytes            its size
     * @param removedLeftovers partial files of earlier backups to the same destination whose process was
     *                         killed, removed before this one (they may hold API keys)
     */
    public record BackupResult(Path file, long bytes, List<Path> removedLeftovers) {
        /** Copies the list. */
        public BackupResult {
            removedLeftovers = List.copyOf(removedLeftovers);
        }
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
     * @param backup           the backup written first, or {@code null}
     * @param variant          the schema variant the file has now
     * @param removedLeftovers partial files of earlier resets (their backups and fresh files) whose process was
     *                         killed, removed before this one
     */
    public record ResetResult(Path backup, SchemaVariant variant, List<Path> removedLeftovers) {
        /** Copies the list. */
        public ResetResult {
            removedLeftovers = List.copyOf(removedLeftovers);
        }
    }

    private final SessionStore store;
    private final Jdbc jdbc;

    StoreMaintenance(SessionStore store) {
        this.store = store;
        this.jdbc = new Jdbc(store);
    }

    /**
     * Copies the database, consistently, with SQLite's online backup API while other processes keep
     * reading and writing it. The copy is written beside {@code destination} under a temporary name
     * ({@code .NAME.part-PID}, created owner-only before its first byte: it may hold API keys), checked
     * with {@code PRAGMA integrity_check} and only then moved into place, so {@code destination} is
     * never a torn file. On failure the partial file is removed; partial files of killed runs (their
     * process is gone) are removed first and listed in the result.
     *
     * @param destination a file to create, or an existing folder to create the file in (same name as the source)
     * @param overwrite   whether an existing {@code destination} file may be replaced
     * @throws IllegalArgumentException the destination is the database or one of its side files, by any path
     *                                  (links, hard links, relative paths), or exists and {@code overwrite} is off
     * @throws DatabaseFileException    the folder is not writable, the disk is full, the source is not SQLite
     */
    public BackupResult backup(Path destination, boolean overwrite, Progress progress) {
        store.requireSqlite("backup");
        Path target = targetOf(store.file(), destination, overwrite);
        List<Path> leftovers = SafeFiles.removeDeadPartialFiles(target);
        BackupResult done = jdbc.read(c -> copy(c, store.file(), target, progress, store.config().busyTimeout()));
        return new BackupResult(done.file(), done.bytes(), leftovers);
    }

    /** Runs {@code VACUUM}: rewrites the file without its free pages. Takes the write lock while it runs. */
    public VacuumResult vacuum() {
        store.requireSqlite("VACUUM");
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
     * @throws DatabaseFileException   the file is missing, not a SQLite database, or read-only (a URL's
     *                                 {@code mode=ro} included)
     * @throws DatabaseLockedException another process held a lock (even a read) past the busy timeout; the
     *                                 file is checked after the reset, and any row left is reported so
     */
    public static ResetResult reset(StoreConfig config, boolean backupFirst, Progress progress) {
        DatabaseLocation location = DatabaseLocation.resolve(config.database(), config.ajConfigFile());
        location.requireWritable("reset");
        Path file = location.file();
        StoreConfig validate = config.toBuilder().schemaMode(SchemaMode.VALIDATE).build();
        Pools.prepareFile(file, validate, location.access()); // exists, is a regular file
        long busyMs = config.busyTimeout().toMillis();
        Path fresh = SafeFiles.partialFile(file.resolveSibling(file.getFileName() + ".reset"));
        SafeFiles.refuseLiveFile(fresh, file, "reset's temporary file");
        List<Path> leftovers = SafeFiles.removeDeadPartialFiles(file.toAbsolutePath().getParent(),
                Pattern.quote(file.getFileName().toString()) + "(?:\\.reset|\\.before-reset-\\d{8}-\\d{6})");
        try (Connection c = rawConnection(file, config)) {
            Path backup = null;
            if (backupFirst) {
                backup = file.resolveSibling(resetBackupName(file));
                copy(c, file, targetOf(file, backup, false), progress, config.busyTimeout());
            }
            SchemaVariant variant;
            int version;
            try {
                variant = SchemaInspector.inspect(c).variant();
                version = SchemaManager.appliedVersion(c);
            } catch (SQLException unreadable) {
                if (SqliteErrors.primaryCode(unreadable) == SqliteErrors.SQLITE_NOTADB) {
                    throw unreadable;
                }
                variant = null;
                version = 0;
            }
            SchemaVariant made = buildFresh(fresh, variant, version);
            int rc = c.unwrap(SQLiteConnection.class).getDatabase().restore("main", fresh.toString(), null,
                    BUSY_SLEEP_MS, (int) Math.max(1, busyMs / BUSY_SLEEP_MS), -1);
            if (rc != 0) {
                throw backupFailure(rc, file, file, config.busyTimeout(), "could not reset " + file);
            }
            requireEmpty(c, file, config.busyTimeout());
            return new ResetResult(backup, made, leftovers);
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, file, config.busyTimeout(), "could not reset " + file);
        } finally {
            SafeFiles.deleteWithSideFiles(fresh);
        }
    }

    /**
     * No false success: SQLite's restore can return without having replaced the file's pages (another
     * connection held a lock, the file is read-only), so what it removed is checked after it.
     */
    private static void requireEmpty(Connection c, Path file, java.time.Duration busyTimeout) throws SQLException {
        String left;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM conversations)"
                     + " + (SELECT count(*) FROM messages) + (SELECT count(*) FROM awful_configs)")) {
            rs.next();
            long rows = rs.getLong(1);
            if (rows == 0) {
                return;
            }
            left = rows + " row(s) still in aj's tables";
        } catch (SQLException missing) {
            left = "aj's tables are missing";
        }
        // say why: the restore needed the exclusive lock, which any reader's shared lock blocks
        try (Statement st = c.createStatement()) {
            st.execute("BEGIN EXCLUSIVE");
            st.execute("ROLLBACK");
        } catch (SQLException why) {
            RuntimeException translated = SqliteErrors.translate(why, file, busyTimeout, null);
            if (translated instanceof DatabaseFileException dfe) {
                throw new DatabaseFileException(file, dfe.problem(), "reset of " + file + " did not take effect: "
                        + dfe.getMessage(), why);
            } else if (translated.getClass() != AjSessionsException.class) {
                // a condition SQLite named (locked, constraint ...); a plain AjSessionsException says nothing more
                throw translated;
            }
        }
        throw new AjSessionsException(file, "reset of " + file + " did not take effect: " + left, null);
    }

    /** @return the name of the backup {@link #reset} writes first, e.g. {@code aj.db.before-reset-20260101-120000} */
    public static String resetBackupName(Path file) {
        return file.getFileName() + ".before-reset-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    }

    private static SchemaVariant buildFresh(Path fresh, SchemaVariant variant, int version) throws SQLException {
        SafeFiles.deleteWithSideFiles(fresh);
        try {
            SafeFiles.createOwnerOnly(fresh);
        } catch (IOException e) {
            throw SafeFiles.writeFailure(fresh, e);
        }
        SchemaVariant ddl = variant == null || variant == SchemaVariant.EMPTY ? SchemaVariant.AJ_INIT : variant;
        if (ddl != SchemaVariant.AJ_SESSIONS) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + fresh);
                 Statement st = c.createStatement()) {
                for (String statement : ddl.ddlStatements()) {
                    st.execute(statement);
                }
            }
        }
        if (ddl == SchemaVariant.AJ_SESSIONS || version > 0) {
            // the file had this module's migrations: the fresh one gets them too (its empty file, made above, is
            // adopted as a new database)
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
        // by identity, not by name: a symbolic or hard link, a symlinked folder, "..", or a side file
        SafeFiles.refuseLiveFile(target, source, "backup destination");
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !overwrite) {
            throw new IllegalArgumentException("backup destination " + target + " exists already"
                    + " (choose another name, or allow overwriting)");
        }
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            throw new IllegalArgumentException("backup destination " + target + " is not a regular file");
        }
        Path parent = target.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IllegalArgumentException("folder " + parent + " of backup destination " + target
                    + " does not exist");
        }
        return target;
    }

    /** The online backup into a temporary file, its integrity check, then an atomic move into place. */
    private static BackupResult copy(Connection source, Path sourceFile, Path target, Progress progress,
                                     java.time.Duration busyTimeout) throws SQLException {
        long busyMs = busyTimeout.toMillis();
        Path temp = SafeFiles.partialFile(target);
        SafeFiles.refuseLiveFile(temp, sourceFile, "temporary backup file");
        boolean ours = false;
        try {
            SafeFiles.deleteWithSideFiles(temp);
            // created owner-only before SQLite writes a byte to it (SQLite would create it with the umask's mode);
            // SQLite takes an empty file as an empty database and gives its journal the same mode
            SafeFiles.createOwnerOnly(temp);
            ours = true;
            Progress report = progress == null ? Progress.NONE : progress;
            int rc = source.unwrap(SQLiteConnection.class).getDatabase().backup("main", temp.toString(),
                    (remaining, pageCount) -> report.update(pageCount - remaining, pageCount),
                    BUSY_SLEEP_MS, (int) Math.max(1, busyMs / BUSY_SLEEP_MS), BACKUP_PAGES_PER_STEP);
            if (rc != 0) {
                throw backupFailure(rc, sourceFile, target, busyTimeout, "backup of " + sourceFile + " to " + target
                        + " failed");
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
            return new BackupResult(target, Files.size(target), List.of());
        } catch (IOException e) {
            throw SafeFiles.writeFailure(ours ? target : temp, e);
        } finally {
            if (ours) {
                SafeFiles.deleteWithSideFiles(temp);
            }
        }
    }

    /** A failed backup or restore in plain words, from SQLite's result code. */
    private static AjSessionsException backupFailure(int rc, Path source, Path target, java.time.Duration busyTimeout,
                                                     String what) {
        Path folder = target.toAbsolutePath().getParent();
        switch (rc & 0xFF) {
            case SqliteErrors.SQLITE_BUSY:
            case SqliteErrors.SQLITE_LOCKED:
                return new DatabaseLockedException(source, busyTimeout, null);
            case SqliteErrors.SQLITE_FULL:
                return new DatabaseFileException(target, DatabaseFileException.Problem.IO_ERROR,
                        what + ": disk full writing " + target, null);
            case SqliteErrors.SQLITE_NOTADB:
                return new DatabaseFileException(source, DatabaseFileException.Problem.NOT_A_DATABASE,
                        what + ": not an SQLite database: " + source, null);
            case SqliteErrors.SQLITE_CORRUPT:
                return new DatabaseFileException(source, DatabaseFileException.Problem.CORRUPT,
                        what + ": the database is corrupt: " + source, null);
            case SqliteErrors.SQLITE_READONLY:
            case SqliteErrors.SQLITE_CANTOPEN:
                return new DatabaseFileException(target, DatabaseFileException.Problem.READ_ONLY,
                        what + ": " + (Files.isWritable(folder) ? "file not writable: " + target
                                : "folder not writable: " + folder), null);
            case SqliteErrors.SQLITE_IOERR:
                boolean full;
                try {
                    full = Files.getFileStore(folder).getUsableSpace() < 64 * 1024;
                } catch (IOException unknown) {
                    full = false;
                }
                return new DatabaseFileException(target, DatabaseFileException.Problem.IO_ERROR,
                        what + ": " + (full ? "disk full writing " + target : "I/O error writing " + target), null);
            default:
                return new AjSessionsException(source, what + ": SQLite result code " + rc, null);
        }
    }

    private static void ownerOnly(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }
}
