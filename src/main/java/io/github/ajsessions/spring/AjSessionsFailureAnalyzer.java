package io.github.ajsessions.spring;

import io.github.ajsessions.core.AjSessionsException;
import io.github.ajsessions.core.DatabaseLockedException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a start that failed on aj's file with the module's own one-line message (the missing, foreign,
 * locked or non-SQLite file named), instead of the chain of bean-creation exceptions around it.
 */
public class AjSessionsFailureAnalyzer extends AbstractFailureAnalyzer<AjSessionsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, AjSessionsException cause) {
        String action = cause instanceof DatabaseLockedException
                ? "Retry when the other process has released the file, or raise aj.sessions.busy-timeout."
                : "Set aj.sessions.database to aj's file (a path or jdbc:sqlite: URL); without it the file is found"
                        + " as aj finds it. `aj-sessions doctor` checks a file.";
        return new FailureAnalysis(cause.getMessage(), action, cause);
    }
}
