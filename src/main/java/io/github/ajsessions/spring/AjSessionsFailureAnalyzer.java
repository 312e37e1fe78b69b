package io.github.ajsessions.spring;

import io.github.ajsessions.core.AjSessionsException;
import io.github.ajsessions.core.DatabaseLockedException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a start that failed on aj's file with the module's own one-line message (the missing, foreign,
 * locked or non-SQLite file named; on PostgreSQL the unreachable server, refused credentials or foreign
 * schema, never a password), instead of the chain of bean-creation exceptions around it.
 */
public class AjSessionsFailureAnalyzer extends AbstractFailureAnalyzer<AjSessionsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, AjSessionsException cause) {
        boolean server = cause.database() != null && cause.database().toString().startsWith("postgresql@");
        String action = server
                ? "Check that the PostgreSQL server in aj.sessions.database is up and the database exists, and the"
                        + " credentials (aj.sessions.username and aj.sessions.password, URL parameters, PGPASSWORD or"
                        + " ~/.pgpass); give currentSchema=... in the URL for a schema of aj-sessions' own."
                : cause instanceof DatabaseLockedException
                ? "Retry when the other process has released the file, or raise aj.sessions.busy-timeout."
                : "Set aj.sessions.database to aj's file (a path or jdbc:sqlite: URL); without it the file is found"
                        + " as aj finds it. `aj-sessions doctor` checks a file.";
        return new FailureAnalysis(cause.getMessage(), action, cause);
    }
}
