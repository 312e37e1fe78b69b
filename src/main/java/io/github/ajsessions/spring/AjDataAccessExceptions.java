package io.github.ajsessions.spring;

import io.github.ajsessions.core.ConstraintException;
import io.github.ajsessions.core.DatabaseFileException;
import io.github.ajsessions.core.DatabaseLockedException;
import java.sql.SQLException;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PermissionDeniedDataAccessException;

/**
 * The one mapping of the module's exceptions (what {@code SqliteErrors} or {@code PgErrors} made of a driver's
 * failure) into Spring's {@link DataAccessException} hierarchy, shared by both backends' translators.
 */
final class AjDataAccessExceptions {

    private AjDataAccessExceptions() {
    }

    /**
     * @param translated the module's exception for {@code cause}
     * @param message    the message of the Spring exception
     * @param cause      the driver's failure, kept as the cause
     * @return Spring's exception, or {@code null} for a failure the module does not classify (Spring's fallback
     *         translator decides)
     */
    static DataAccessException of(RuntimeException translated, String message, SQLException cause) {
        if (translated instanceof DatabaseLockedException) {
            return new CannotAcquireLockException(message, cause);
        }
        if (translated instanceof ConstraintException constraint) {
            return constraint.kind() == ConstraintException.Kind.UNIQUE
                    || constraint.kind() == ConstraintException.Kind.PRIMARY_KEY
                    ? new DuplicateKeyException(message, cause) : new DataIntegrityViolationException(message, cause);
        }
        if (translated instanceof DatabaseFileException file) {
            return file.problem() == DatabaseFileException.Problem.READ_ONLY
                    ? new PermissionDeniedDataAccessException(message, cause)
                    : new DataAccessResourceFailureException(message, cause);
        }
        return null;
    }
}
