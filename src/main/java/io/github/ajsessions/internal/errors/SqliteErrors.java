package io.github.ajsessions.internal.errors;

import io.github.ajsessions.core.AjSessionsException;
import io.github.ajsessions.core.ConstraintException;
import io.github.ajsessions.core.DatabaseFileException.Problem;
import io.github.ajsessions.core.DatabaseFileException;
import io.github.ajsessions.core.DatabaseLockedException;
import io.github.ajsessions.internal.jdbc.Sql;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sqlite.SQLiteException;

/**
 * Translates SQLite failures, wherever they surface (sqlite-jdbc, Hikari, Flyway, Hibernate), into the
 * module's exceptions, through one entry point, {@link #translate}. This is the only place that knows
 * SQLite's result codes.
 */
public final class SqliteErrors {

    // primary result codes, https://www.sqlite.org/rescode.html
    public static final int SQLITE_READONLY = 8;
    public static final int SQLITE_BUSY = 5;
    public static final int SQLITE_LOCKED = 6;
    public static final int SQLITE_IOERR = 10;
    public static final int SQLITE_CORRUPT = 11;
    public static final int SQLITE_FULL = 13;
    public static final int SQLITE_CANTOPEN = 14;
    public static final int SQLITE_CONSTRAINT = 19;
    public static final int SQLITE_NOTADB = 26;

    // extended constraint codes
    private static final int SQLITE_CONSTRAINT_CHECK = 275;
    private static final int SQLITE_CONSTRAINT_FOREIGNKEY = 787;
    private static final int SQLITE_CONSTRAINT_NOTNULL = 1299;
    private static final int SQLITE_CONSTRAINT_PRIMARYKEY = 1555;
    private static final int SQLITE_CONSTRAINT_UNIQUE = 2067;

    private static final Pattern CONSTRAINT_NAME = Pattern.compile("constraint failed: ([^)\\]]+)");
    // sqlite-jdbc's own check before opening: "path to 'x': 'y' does not exist"
    private static final Pattern MISSING_FOLDER = Pattern.compile("path to '.*': '(.*)' does not exist");

    private SqliteErrors() {
    }

    /**
     * The one translation of a failure into what the module throws; never {@code null}. The module's
     * own exceptions, bad arguments ({@link IllegalArgumentException}) and wrong states
     * ({@link IllegalStateException}) pass unchanged; a SQLite condition this module knows (busy,
     * locked, constraint, not a database, corrupt, cannot open, read-only, I/O, missing folder) becomes
     * its exception, the cause kept; any other SQL failure becomes an {@link AjSessionsException}
     * naming the file; any other runtime failure passes unchanged.
     *
     * @param whatFailed what the caller was doing, e.g. {@code "cannot read the schema of /x/aj.db"},
     *                   which opens the message of an otherwise unknown SQL failure; {@code null} for
     *                   {@code "SQLite error on FILE"}
     */
    public static RuntimeException translate(Throwable failure, Path database, Duration busyTimeout,
                                             String whatFailed) {
        if (failure instanceof AjSessionsException || failure instanceof IllegalArgumentException
                || failure instanceof IllegalStateException) {
            return (RuntimeException) failure;
        }
        AjSessionsException known = knownCondition(failure, database, busyTimeout);
        if (known != null) {
            return known;
        }
        if (failure instanceof RuntimeException) {
            return (RuntimeException) failure;
        }
        String what = whatFailed != null ? whatFailed : "SQLite error on " + database;
        return new AjSessionsException(database, what + ": " + Sql.firstLine(String.valueOf(failure.getMessage())),
                failure);
    }

    /** @return the module's exception for a SQLite condition this module knows behind {@code failure}, or null */
    private static AjSessionsException knownCondition(Throwable failure, Path database, Duration busyTimeout) {
        SQLException sql = findSqlException(failure);
        if (sql == null) {
            return null;
        }
        int extended = extendedCode(sql);
        int primary = extended & 0xFF;
        String text = String.valueOf(sql.getMessage());
        if (sql instanceof OwnWriteTransactionException) {
            return new DatabaseLockedException(database, busyTimeout, "database " + database + ": this thread"
                    + " already has a write transaction open on it (a @Transactional method, a JPA transaction), so a"
                    + " write call that begins a transaction of its own would wait for that one until the busy"
                    + " timeout; make the call before or after that transaction, or write through it (the entities,"
                    + " or Spring's JdbcTemplate)", failure);
        }
        switch (primary) {
            case SQLITE_BUSY:
            case SQLITE_LOCKED:
                return new DatabaseLockedException(database, busyTimeout, failure);
            case SQLITE_CONSTRAINT:
                return new ConstraintException(database, constraintKind(extended, text), constraintName(text),
                        failure);
            case SQLITE_NOTADB:
                return new DatabaseFileException(database, Problem.NOT_A_DATABASE,
                        "file " + database + " is not a SQLite database (is it the right file? aj's is usually aj.db)",
                        failure);
            case SQLITE_CORRUPT:
                return new DatabaseFileException(database, Problem.CORRUPT,
                        "database " + database + " is corrupt or truncated; restore it from a backup"
                                + " (sqlite3 " + database + " .recover may save what is left)", failure);
            case SQLITE_CANTOPEN:
                return new DatabaseFileException(database, Problem.CANNOT_OPEN,
                        "cannot open database " + database + " (check that the file and its folder exist and are"
                                + " readable and writable)", failure);
            case SQLITE_READONLY:
                return new DatabaseFileException(database, Problem.READ_ONLY,
                        "database " + database + " is read-only for this process (the file, its folder, or the"
                                + " store was opened read-only)", failure);
            case SQLITE_IOERR:
            case SQLITE_FULL:
                return new DatabaseFileException(database, Problem.IO_ERROR,
                        "I/O error on database " + database + ": " + Sql.firstLine(text), failure);
            default:
                Matcher folder = MISSING_FOLDER.matcher(text);
                if (folder.find()) {
                    return new DatabaseFileException(database, Problem.NOT_FOUND,
                            "folder " + folder.group(1) + " of database " + database + " does not exist", failure);
                }
                return null;
        }
    }

    /** @return the primary SQLite result code behind {@code failure}, or {@code -1} */
    public static int primaryCode(Throwable failure) {
        SQLException sql = findSqlException(failure);
        return sql == null ? -1 : extendedCode(sql) & 0xFF;
    }

    /** @return the kind of constraint named by an extended code or, failing that, the message */
    public static ConstraintException.Kind constraintKind(int extendedCode, String message) {
        switch (extendedCode) {
            case SQLITE_CONSTRAINT_FOREIGNKEY:
                return ConstraintException.Kind.FOREIGN_KEY;
            case SQLITE_CONSTRAINT_UNIQUE:
                return ConstraintException.Kind.UNIQUE;
            case SQLITE_CONSTRAINT_NOTNULL:
                return ConstraintException.Kind.NOT_NULL;
            case SQLITE_CONSTRAINT_PRIMARYKEY:
                return ConstraintException.Kind.PRIMARY_KEY;
            case SQLITE_CONSTRAINT_CHECK:
                return ConstraintException.Kind.CHECK;
            default:
                String upper = String.valueOf(message).toUpperCase(Locale.ROOT);
                if (upper.contains("FOREIGN KEY")) {
                    return ConstraintException.Kind.FOREIGN_KEY;
                } else if (upper.contains("UNIQUE")) {
                    return ConstraintException.Kind.UNIQUE;
                } else if (upper.contains("NOT NULL")) {
                    return ConstraintException.Kind.NOT_NULL;
                }
                return ConstraintException.Kind.OTHER;
        }
    }

    /**
     * @return what SQLite names in "UNIQUE constraint failed: conversations.session_name", or
     *         {@code "FOREIGN KEY"} (SQLite does not say which foreign key)
     */
    public static String constraintName(String message) {
        Matcher m = CONSTRAINT_NAME.matcher(String.valueOf(message));
        if (m.find()) {
            return m.group(1).trim();
        }
        return String.valueOf(message).toUpperCase(Locale.ROOT).contains("FOREIGN KEY") ? "FOREIGN KEY" : "unknown";
    }

    private static int extendedCode(SQLException sql) {
        if (sql instanceof SQLiteException) {
            return ((SQLiteException) sql).getResultCode().code;
        }
        return sql.getErrorCode();
    }

    private static SQLException findSqlException(Throwable failure) {
        SQLException found = null;
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLiteException) {
                return (SQLException) t;
            }
            if (t instanceof SQLException && found == null) {
                found = (SQLException) t;
            }
        }
        return found;
    }

}
