package io.github.ajsessions.spring;

import io.github.ajsessions.internal.errors.SqliteErrors;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PermissionDeniedDataAccessException;
import org.springframework.jdbc.support.AbstractFallbackSQLExceptionTranslator;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;
import org.sqlite.SQLiteException;

/**
 * Translates sqlite-jdbc's result codes into Spring's {@link DataAccessException} hierarchy, with the
 * same one-line messages as the module's own exceptions:
 *
 * <table>
 *   <caption>SQLite result code to Spring exception</caption>
 *   <tr><th>SQLite</th><th>Spring</th></tr>
 *   <tr><td>BUSY (5), LOCKED (6)</td><td>{@link CannotAcquireLockException} (a pessimistic locking failure)</td></tr>
 *   <tr><td>CONSTRAINT (19): UNIQUE, PRIMARY KEY</td><td>{@link DuplicateKeyException}</td></tr>
 *   <tr><td>CONSTRAINT (19): FOREIGN KEY, NOT NULL, CHECK</td><td>{@link DataIntegrityViolationException}</td></tr>
 *   <tr><td>READONLY (8)</td><td>{@link PermissionDeniedDataAccessException}</td></tr>
 *   <tr><td>NOTADB, CORRUPT, CANTOPEN, IOERR, FULL</td><td>{@link DataAccessResourceFailureException}</td></tr>
 * </table>
 *
 * <p>Only exceptions raised by sqlite-jdbc ({@link SQLiteException}, possibly wrapped) are translated
 * here; anything else goes to Spring's {@link SQLExceptionSubclassTranslator}, so the translator is
 * harmless on another database. The SQLException stays the cause; no bound parameter appears in a message.
 * The auto-configuration registers it as the application's {@code SQLExceptionTranslator} (used by
 * Boot's {@code JdbcTemplate}) and in Hibernate's JPA dialect (used by Spring's JPA exception translation).
 */
public class AjSqliteExceptionTranslator extends AbstractFallbackSQLExceptionTranslator {

    private final Path database;
    private final Duration busyTimeout;

    /**
     * @param database    aj's file, named in the messages
     * @param busyTimeout the store's busy timeout, named in the locking failure's message
     */
    public AjSqliteExceptionTranslator(Path database, Duration busyTimeout) {
        this.database = Objects.requireNonNull(database, "database");
        this.busyTimeout = Objects.requireNonNull(busyTimeout, "busyTimeout");
        setFallbackTranslator(new SQLExceptionSubclassTranslator());
    }

    @Override
    protected DataAccessException doTranslate(String task, String sql, SQLException ex) {
        if (!raisedBySqlite(ex)) {
            return null;
        }
        RuntimeException translated = SqliteErrors.translate(ex, database, busyTimeout, null);
        String message = (task == null ? "" : task + ": ") + translated.getMessage();
        return AjDataAccessExceptions.of(translated, message, ex); // null: Spring's fallback translator decides
    }

    private static boolean raisedBySqlite(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLiteException) {
                return true;
            }
        }
        return false;
    }
}
