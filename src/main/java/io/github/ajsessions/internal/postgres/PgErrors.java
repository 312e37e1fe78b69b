package io.github.ajsessions.internal.postgres;

import io.github.ajsessions.core.AjSessionsException;
import io.github.ajsessions.core.ConstraintException;
import io.github.ajsessions.core.DatabaseFileException;
import io.github.ajsessions.core.DatabaseLockedException;
import io.github.ajsessions.internal.jdbc.Sql;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * The one translation of PostgreSQL failures (by SQLSTATE) into the module's exceptions, each message
 * naming the server as {@link PgUrl#where()} does (never a credential).
 */
public final class PgErrors {

    private PgErrors() {
    }

    /**
     * @param whatFailed opens the message of an otherwise unknown failure; {@code null} for
     *                   {@code "PostgreSQL error on WHERE"}
     */
    public static RuntimeException translate(Throwable failure, Path where, Duration busyTimeout, String whatFailed) {
        if (failure instanceof AjSessionsException || failure instanceof IllegalArgumentException
                || failure instanceof IllegalStateException) {
            return (RuntimeException) failure;
        }
        SQLException sql = findSqlException(failure);
        if (sql == null) {
            if (failure instanceof RuntimeException) {
                return (RuntimeException) failure;
            }
            return new AjSessionsException(where, (whatFailed != null ? whatFailed : "PostgreSQL error on " + where)
                    + ": " + Sql.firstLine(String.valueOf(failure.getMessage())), failure);
        }
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        String text = Sql.firstLine(String.valueOf(sql.getMessage()));
        if (state.startsWith("08")) {
            return new DatabaseFileException(where, DatabaseFileException.Problem.CANNOT_OPEN,
                    "cannot reach the PostgreSQL server " + where + ": " + text, failure);
        }
        if (state.startsWith("28")) {
            return new DatabaseFileException(where, DatabaseFileException.Problem.CANNOT_OPEN,
                    "the PostgreSQL server " + where + " refused the credentials: " + text
                            + " (give user and password as URL parameters, PGUSER/PGPASSWORD or ~/.pgpass)", failure);
        }
        if (state.equals("3D000")) {
            return new DatabaseFileException(where, DatabaseFileException.Problem.NOT_FOUND,
                    "database of " + where + " does not exist: " + text, failure);
        }
        if (state.equals("40001") || state.equals("40P01")) {
            return new DatabaseLockedException(where, busyTimeout, "the PostgreSQL server " + where
                    + " ended the transaction to resolve a conflict with a concurrent one: " + text
                    + "; nothing of it was written: retry it", failure);
        }
        if (state.equals("55P03") || state.equals("57014")) {
            // not the busy timeout: the server's lock_timeout or statement_timeout, a NOWAIT lock, a cancel
            return new DatabaseLockedException(where, busyTimeout, "the PostgreSQL server " + where
                    + " gave up waiting for a lock or cancelled the statement: " + text + "; nothing of the call"
                    + " was written: retry when the other writer is done, or raise the server's lock_timeout or"
                    + " statement_timeout", failure);
        }
        if (state.equals("25006") || state.equals("42501")) {
            return new DatabaseFileException(where, DatabaseFileException.Problem.READ_ONLY,
                    "the PostgreSQL server " + where + " refused a write: " + text, failure);
        }
        if (state.startsWith("23")) {
            return new ConstraintException(where, kind(state), constraint(sql), failure);
        }
        return new AjSessionsException(where, (whatFailed != null ? whatFailed : "PostgreSQL error on " + where)
                + ": " + text, failure);
    }

    private static ConstraintException.Kind kind(String state) {
        switch (state) {
            case "23505":
                return ConstraintException.Kind.UNIQUE;
            case "23503":
                return ConstraintException.Kind.FOREIGN_KEY;
            case "23502":
                return ConstraintException.Kind.NOT_NULL;
            case "23514":
                return ConstraintException.Kind.CHECK;
            default:
                return ConstraintException.Kind.OTHER;
        }
    }

    /** @return {@code table.column} or the constraint's name, as far as the server says */
    private static String constraint(SQLException sql) {
        if (sql instanceof PSQLException) {
            ServerErrorMessage m = ((PSQLException) sql).getServerErrorMessage();
            if (m != null) {
                if (m.getConstraint() != null) {
                    return m.getConstraint();
                }
                if (m.getTable() != null && m.getColumn() != null) {
                    return m.getTable() + "." + m.getColumn();
                }
            }
        }
        return "unknown";
    }

    private static SQLException findSqlException(Throwable failure) {
        List<Throwable> seen = new ArrayList<>();
        for (Throwable t = failure; t != null && !seen.contains(t); t = t.getCause()) {
            seen.add(t);
            if (t instanceof SQLException) {
                return (SQLException) t;
            }
        }
        return null;
    }
}
