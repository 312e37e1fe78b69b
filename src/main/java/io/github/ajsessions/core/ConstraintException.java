package io.github.ajsessions.core;

import java.nio.file.Path;

/**
 * A write broke a constraint of the file (SQLITE_CONSTRAINT); the transaction was rolled back. The CLI
 * exits with code 6 (refused).
 */
public final class ConstraintException extends AjSessionsException {

    /** Which kind of constraint failed. */
    public enum Kind { FOREIGN_KEY, UNIQUE, NOT_NULL, PRIMARY_KEY, CHECK, OTHER }

    private final Kind kind;
    private final String constraint;

    /**
     * @param kind       the kind of constraint
     * @param constraint what SQLite names, e.g. {@code conversations.session_name} or {@code FOREIGN KEY}
     */
    public ConstraintException(Path database, Kind kind, String constraint, Throwable cause) {
        super(database, kind.name().replace('_', ' ').toLowerCase(java.util.Locale.ROOT)
                + " constraint failed: " + constraint + " in " + database, cause);
        this.kind = kind;
        this.constraint = constraint;
    }

    /** @return the kind of constraint */
    public Kind kind() {
        return kind;
    }

    /** @return the constraint as SQLite names it, e.g. {@code conversations.session_name} */
    public String constraint() {
        return constraint;
    }
}
