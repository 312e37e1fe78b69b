package io.github.ajsessions.cli;

import io.github.ajsessions.core.ConstraintException;
import io.github.ajsessions.core.DatabaseFileException;
import io.github.ajsessions.core.DatabaseLockedException;
import io.github.ajsessions.core.InvalidDataException;
import io.github.ajsessions.core.MissingPreambleException;
import io.github.ajsessions.core.ReadOnlyStoreException;
import io.github.ajsessions.core.SchemaException;
import io.github.ajsessions.core.SearchIndexMissingException;
import io.github.ajsessions.core.SessionExistsException;
import io.github.ajsessions.core.SessionNotFoundException;
import io.github.ajsessions.core.InvalidExportException;
import java.io.UncheckedIOException;

/** The documented exit codes, and the one place that maps an exception to one. */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** A check found problems ({@code check}, {@code doctor}). */
    public static final int PROBLEMS = 1;
    /**
     * Bad usage: an unknown option, a missing argument, an invalid value, a URL parameter not honoured,
     * an output path that is the database itself (or one of its side files) reached another way.
     */
    public static final int USAGE = 2;
    /**
     * The file or the environment: missing, not SQLite, not a regular file, corrupt, unreadable, read-only
     * (a {@code mode=ro} URL included), unknown or drifted schema, invalid data, an import refused for what aj
     * cannot live with or a malformed export, no search index; a folder not writable, a
     * full disk, a failed write to an output (standard output included).
     */
    public static final int FILE = 3;
    /** Another process held the lock past the busy timeout. */
    public static final int LOCKED = 4;
    /** No session with that name. */
    public static final int NOT_FOUND = 5;
    /**
     * Refused: a session exists already, a constraint, a session without aj's preamble, a write on a
     * read-only store, a confirmation not given.
     */
    public static final int REFUSED = 6;
    /** An unexpected error (a bug): rerun with --verbose for the stack trace. */
    public static final int INTERNAL = 7;

    private ExitCodes() {
    }

    /** @return the exit code for a failure */
    static int of(Throwable e) {
        if (e instanceof SessionNotFoundException) {
            return NOT_FOUND;
        } else if (e instanceof DatabaseLockedException) {
            return LOCKED;
        } else if (e instanceof DatabaseFileException || e instanceof SchemaException || e instanceof InvalidDataException
                || e instanceof InvalidExportException
                || e instanceof SearchIndexMissingException || e instanceof UncheckedIOException) {
            return FILE;
        } else if (e instanceof SessionExistsException || e instanceof ConstraintException
                || e instanceof MissingPreambleException || e instanceof ReadOnlyStoreException
                || e instanceof RefusedException) {
            return REFUSED;
        } else if (e instanceof IllegalArgumentException) {
            return USAGE;
        }
        return INTERNAL;
    }

    /** The user did not confirm, or asked for something the command refuses to do. */
    static final class RefusedException extends RuntimeException {
        RefusedException(String message) {
            super(message);
        }
    }
}
