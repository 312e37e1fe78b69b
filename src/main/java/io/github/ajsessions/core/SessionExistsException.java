package io.github.ajsessions.core;

import java.nio.file.Path;
import java.util.List;

/**
 * A session name is taken: a rename onto an existing name, or an import of sessions whose names the
 * file holds already. Nothing was written. The CLI exits with code 6 (refused).
 */
public final class SessionExistsException extends AjSessionsException {
    private final List<String> names;

    /**
     * @param names  the session names that exist already
     * @param detail what was refused and what to do instead, appended after {@code "; "}; may be {@code null}
     */
    public SessionExistsException(Path database, List<String> names, String detail) {
        super(database, "session(s) " + quoted(names) + " exist already in " + database
                + (detail == null ? "" : "; " + detail), null);
        this.names = List.copyOf(names);
    }

    /** @return the names that exist already */
    public List<String> names() {
        return names;
    }

    private static String quoted(List<String> names) {
        List<String> shown = names.size() > 5 ? names.subList(0, 5) : names;
        return "'" + String.join("', '", shown) + "'" + (names.size() > 5 ? " and " + (names.size() - 5) + " more" : "");
    }
}
