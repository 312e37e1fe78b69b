package io.github.ajsessions.internal.errors;

import io.github.ajsessions.api.AjSessionsException;
import io.github.ajsessions.api.ConstraintException;
import io.github.ajsessions.api.DatabaseFileException;
import io.github.ajsessions.api.DatabaseFileException.Problem;
import io.github.ajsessions.api.DatabaseLockedException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sqlite.SQLiteException;

/**
 * Translates SQLite failures, wherever they surface (sqlite-jdbc, Hikari, Flyway, Hibernate), into the
 * module's exceptions. This is the only place that knows SQLite's result codes.
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
     * @return the module's exception for {@code failure}, or {@code null} when no SQLite condition
     *         this module knows is behind it (the caller then rethrows the original)
     */
    public static AjSessionsException translate(Throwable failure, Path database, Duration busyTimeout) {
        if (failure instanceof AjSessionsException) {
            return (AjSessionsException) failure;
        }
        SQLException sql = findSqlException(failure);
        if (sql == null) {
            return null;
        }
        int extended = extendedCode(sql);
        int primary = extended & 0xFF;
        String text = String.valueOf(sql.getMessage());
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
                        "I/O error on database " + database + ": " + firstLine(text), failure);
            default:
                Matcher folder = MISSING_FOLDER.matcher(text);
                if (folder.find()) {
                    return new DatabaseFileException(database, Problem.NOT_FOUND,
                            "folder " + folder.group(1) + " of database " + database + " does not exist", failure);
                }
                return null;
        }
    }

    /**
     * For a failed JDBC call: the module's exception, or a plain {@link AjSessionsException} naming the
     * file when no SQLite condition this module knows is behind it.
     */
    public static AjSessionsException translateSql(SQLException failure, Path database, Duration busyTimeout) {
        AjSessionsException translated = translate(failure, database, busyTimeout);
        return translated != null ? translated
                : new AjSessionsException(database, "SQLite error on " + database + ": " + failure.getMessage(), failure);
    }

    /**
     * For a runtime failure (Hibernate, Hikari, Flyway): bad arguments, wrong states and the module's
     * own exceptions pass unchanged, a SQLite condition becomes the module's exception, anything else
     * is returned as it is.
     */
    public static RuntimeException translateRuntime(RuntimeException failure, Path database, Duration busyTimeout) {
        if (failure instanceof AjSessionsException || failure instanceof IllegalArgumentException
                || failure instanceof IllegalStateException) {
            return failure;
        }
        AjSessionsException translated = translate(failure, database, busyTimeout);
        return translated != null ? translated : failure;
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

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
