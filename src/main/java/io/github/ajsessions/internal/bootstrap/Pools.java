package io.github.ajsessions.internal.bootstrap;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.ajsessions.core.DatabaseFileException.Problem;
import io.github.ajsessions.core.DatabaseFileException;
import io.github.ajsessions.core.DatabaseLocation;
import io.github.ajsessions.core.SafeFiles;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.internal.errors.SqliteErrors;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Checks the file and opens the Hikari pool over it with the module's SQLite settings. */
public final class Pools {

    private static final Logger LOG = LoggerFactory.getLogger(Pools.class);

    private Pools() {
    }

    /**
     * Checks that {@code file} can be opened as {@code config} asks, creating an empty, owner-only
     * file when the schema mode allows it, before SQLite gets a chance to create one with the umask's
     * permissions.
     *
     * @return {@code true} when the file was created here
     */
    public static boolean prepareFile(Path file, StoreConfig config) {
        return prepareFile(file, config, DatabaseLocation.Access.READ_WRITE_CREATE);
    }

    /**
     * As {@link #prepareFile(Path, StoreConfig)}, honouring a URL's {@code mode}: only
     * {@link DatabaseLocation.Access#READ_WRITE_CREATE} creates the file. A path that exists but is no
     * regular file (a FIFO, a device such as {@code /dev/null}, a socket) is refused before SQLite opens
     * it: SQLite would block on a FIFO, and create side files such as {@code /dev/null-journal} beside a device.
     * A dangling symbolic link is created at its target, owner-only, as any new database.
     */
    public static boolean prepareFile(Path file, StoreConfig config, DatabaseLocation.Access access) {
        if (Files.isDirectory(file)) {
            throw new DatabaseFileException(file, Problem.IS_A_DIRECTORY,
                    "database path " + file + " is a folder, not a file", null);
        }
        Path parent = file.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new DatabaseFileException(file, Problem.NOT_FOUND,
                    "folder " + parent + " of database " + file + " does not exist"
                            + " (run `aj init`, or create the folder, or pass another path)", null);
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new DatabaseFileException(file, Problem.CANNOT_OPEN, "database path " + file + " is not a regular"
                    + " file (" + kindOf(file) + "); aj's database is a plain file", null);
        }
        if (Files.exists(file)) {
            // No look at the header from Java: opening and closing a descriptor of the file drops every
            // POSIX lock this process holds on it, including those of another store's SQLite connections
            // (sqlite.org/howtocorrupt.html 2.2), and aj would then write under them. SQLite refuses a
            // file that is not a database at its first read (SQLITE_NOTADB), before anything is written.
            return false;
        }
        if (config.schemaMode() != StoreConfig.SchemaMode.MIGRATE) {
            throw new DatabaseFileException(file, Problem.NOT_FOUND, "database " + file + " does not exist"
                    + " (schema mode " + config.schemaMode() + " does not create it)", null);
        }
        if (access != DatabaseLocation.Access.READ_WRITE_CREATE) {
            throw new DatabaseFileException(file, Problem.NOT_FOUND, "database " + file + " does not exist"
                    + " (the URL's mode=" + (access == DatabaseLocation.Access.READ_ONLY ? "ro" : "rw")
                    + " does not create it)", null);
        }
        // through a dangling symbolic link, the file is created at the link's target: owner-only from the
        // first byte there too (createFile refuses the link itself, and SQLite would create it with the umask's mode)
        Path created = Files.isSymbolicLink(file) ? SafeFiles.writtenPath(file) : file;
        if (created.getParent() == null || !Files.isDirectory(created.getParent())) {
            throw new DatabaseFileException(file, Problem.NOT_FOUND, "database " + file + " is a symbolic link to "
                    + created + ", whose folder does not exist", null);
        }
        try {
            SafeFiles.createOwnerOnly(created);
            return true;
        } catch (FileAlreadyExistsException raced) {
            return false;
        } catch (IOException e) {
            throw new DatabaseFileException(file, Problem.CANNOT_OPEN, "cannot create database " + file + ": "
                    + e.getMessage(), e);
        }
    }

    private static String kindOf(Path file) {
        try {
            Object mode = Files.getAttribute(file, "unix:mode");
            int type = ((Integer) mode) & 0170000;
            switch (type) {
                case 0010000:
                    return "a FIFO";
                case 0020000:
                    return "a character device";
                case 0060000:
                    return "a block device";
                case 0140000:
                    return "a socket";
                default:
                    return "a special file";
            }
        } catch (IOException | RuntimeException unknown) {
            return "a special file";
        }
    }

    /**
     * Opens the pool over the connection layer ({@link ExplicitTransactionDataSource}): every connection
     * with foreign keys on, the busy timeout, write transactions that begin IMMEDIATE, and, when the
     * schema mode is READ_ONLY, writes refused (SQLite's read-only open flag; query_only on a WAL file).
     */
    public static HikariDataSource open(Path file, StoreConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("aj-sessions(" + file.getFileName() + ")");
        hikari.setDataSource(ExplicitTransactionDataSource.create(ConnectionSettings.of(file, config)));
        hikari.setMaximumPoolSize(config.maximumPoolSize());
        hikari.setMinimumIdle(1);
        hikari.setAutoCommit(true);
        // fail in the constructor, with SQLite's reason, when the file cannot be opened
        hikari.setInitializationFailTimeout(1);
        hikari.setConnectionTimeout(Math.max(30_000L, config.busyTimeout().toMillis() + 5_000L));
        try {
            return new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw SqliteErrors.translate(e, file, config.busyTimeout(), null);
        }
    }

    /**
     * Applies the journal-mode policy: nothing for KEEP, else {@code PRAGMA journal_mode = ...}, which
     * is persistent in the file.
     */
    public static void applyJournalMode(DataSource pool, Path file, StoreConfig config) {
        StoreConfig.JournalMode mode = config.journalMode();
        if (mode == StoreConfig.JournalMode.KEEP) {
            return;
        }
        String wanted = mode.name().toLowerCase(Locale.ROOT);
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA journal_mode = " + wanted)) {
            rs.next();
            String now = rs.getString(1);
            if (!wanted.equalsIgnoreCase(now)) {
                throw new IllegalStateException("could not switch the journal mode of " + file + " to " + wanted
                        + " (SQLite kept "
                        + now + ")");
            }
            LOG.info("journal mode is now {}", now);
        } catch (SQLException e) {
            // switching needs the file to itself: a lock held by aj is reported as such
            throw SqliteErrors.translate(e, file, config.busyTimeout(),
                    "could not switch the journal mode of " + file + " to " + wanted);
        }
    }

}
