package io.github.ajsessions.core;

import java.nio.file.Path;

/**
 * The base of every database condition this module reports. The message names the file and the
 * problem; the SQLite or Hibernate exception behind it is kept as the cause. Each refusal has its own
 * subtype; the CLI maps each to the exit code its Javadoc names, and this base type itself (an SQL
 * failure with no known SQLite condition behind it) to code 7.
 */
public class AjSessionsException extends RuntimeException {
    private final transient Path database;

    /**
     * @param database the file concerned, or {@code null} when none is known yet
     * @param message  one line naming the thing and the value
     * @param cause    the underlying exception, or {@code null}
     */
    public AjSessionsException(Path database, String message, Throwable cause) {
        super(message, cause);
        this.database = database;
    }

    /** @return the database file concerned, or {@code null} */
    public Path database() {
        return database;
    }
}
