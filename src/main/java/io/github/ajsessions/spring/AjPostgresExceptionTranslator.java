package io.github.ajsessions.spring;

import io.github.ajsessions.core.DatabaseLockedException;
import io.github.ajsessions.internal.postgres.PgErrors;
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
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.support.AbstractFallbackSQLExceptionTranslator;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;

/**
 * Translates PostgreSQL's SQLSTATEs into Spring's {@link DataAccessException} hierarchy, when the store is
 * on a PostgreSQL server, with the same one-line messages as the module's own exceptions (the server named
 * as {@code postgresql@host:port/database}, never a credential):
 *
 * <table>
 *   <caption>SQLSTATE to Spring exception</caption>
 *   <tr><th>SQLSTATE</th><th>Spring</th></tr>
 *   <tr><td>55P03 lock_not_available, 57014 query_canceled (a lock or statement timeout)</td>
 *       <td>{@link CannotAcquireLockException}</td></tr>
 *   <tr><td>40001 serialization_failure, 40P01 deadlock_detected</td>
 *       <td>{@link PessimisticLockingFailureException} (retry the transaction)</td></tr>
 *   <tr><td>23505 unique_violation</td><td>{@link DuplicateKeyException}</td></tr>
 *   <tr><td>other 23xxx: foreign key, not null, check</td><td>{@link DataIntegrityViolationException}</td></tr>
 *   <tr><td>42501 insufficient_privilege, 25006 read_only_sql_transaction</td>
 *       <td>{@link PermissionDeniedDataAccessException}</td></tr>
 *   <tr><td>08xxx connection, 28xxx authorization, 3D000 no such database</td>
 *       <td>{@link DataAccessResourceFailureException}</td></tr>
 * </table>
 *
 * <p>Any other state goes to Spring's {@link SQLExceptionSubclassTranslator} (and its SQLSTATE fallback). The
 * SQLException stays the cause; no bound parameter appears in a message. The auto-configuration registers it,
 * instead of {@link AjSqliteExceptionTranslator}, when {@code aj.sessions.database} is a {@code jdbc:postgresql:}
 * URL.
 */
public class AjPostgresExceptionTranslator extends AbstractFallbackSQLExceptionTranslator {

    private final Path server;
    private final Duration busyTimeout;

    /**
     * @param server      the server's path-shaped name ({@code SessionStore.file()}), named in the messages
     * @param busyTimeout the store's busy timeout, named in a locking failure's message
     */
    public AjPostgresExceptionTranslator(Path server, Duration busyTimeout) {
        this.server = Objects.requireNonNull(server, "server");
        this.busyTimeout = Objects.requireNonNull(busyTimeout, "busyTimeout");
        setFallbackTranslator(new SQLExceptionSubclassTranslator());
    }

    @Override
    protected DataAccessException doTranslate(String task, String sql, SQLException ex) {
        String state = sqlState(ex);
        if (state == null) {
            return null;
        }
        RuntimeException translated = PgErrors.translate(ex, server, busyTimeout, null);
        String message = (task == null ? "" : task + ": ") + translated.getMessage();
        if (translated instanceof DatabaseLockedException && (state.equals("40001") || state.equals("40P01"))) {
            // a serialization failure or a deadlock: the transaction lost, retry it (Spring's own PostgreSQL
            // codes say the same); a lock or statement timeout stays CannotAcquireLockException
            return new PessimisticLockingFailureException(message, ex);
        }
        return AjDataAccessExceptions.of(translated, message, ex); // null: Spring's fallback translator decides
    }

    /** @return the SQLSTATE of the first SQLException in the chain that has one, or {@code null} */
    private static String sqlState(SQLException ex) {
        int depth = 0;
        for (Throwable t = ex; t != null && depth < 16; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (t instanceof SQLException && ((SQLException) t).getSQLState() != null) {
                return ((SQLException) t).getSQLState();
            }
        }
        return null;
    }
}
