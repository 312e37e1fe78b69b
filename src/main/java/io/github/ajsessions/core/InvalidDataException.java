package io.github.ajsessions.core;

import java.nio.file.Path;

/**
 * A row in the file holds a value aj would not accept, e.g. a role other than system, user, assistant.
 * The CLI exits with code 3 (the file).
 */
public final class InvalidDataException extends AjSessionsException {
    /** @param message names the table, the row id and the value */
    public InvalidDataException(Path database, String message, Throwable cause) {
        super(database, message, cause);
    }
}
