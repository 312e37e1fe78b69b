package io.github.ajsessions.core;

import java.nio.file.Path;
import java.util.List;

/**
 * The file's schema is not one this module can safely use: aj's tables are missing, differ from
 * every known variant, drift from the entities, or were migrated by a newer aj-sessions. Nothing
 * was written to the file.
 * The CLI exits with code 3 (the file).
 */
public final class SchemaException extends AjSessionsException {
    private final List<String> differences;

    /** @param differences one line per difference, naming the table and column */
    public SchemaException(Path database, String message, List<String> differences, Throwable cause) {
        super(database, differences.isEmpty() ? message : message + ":\n  - " + String.join("\n  - ", differences),
                cause);
        this.differences = List.copyOf(differences);
    }

    /** @return each difference found, e.g. {@code "messages.dynamic: missing"} */
    public List<String> differences() {
        return differences;
    }
}
