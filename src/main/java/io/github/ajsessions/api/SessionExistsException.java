package io.github.ajsessions.api;

import java.nio.file.Path;
import java.util.List;

/** An import would add sessions whose names the file holds already; nothing was written. */
public final class SessionExistsException extends AjSessionsException {
    private final List<String> names;

    /** @param names the session names that exist already */
    public SessionExistsException(Path database, List<String> names) {
        super(database, "session(s) " + quoted(names) + " exist already in " + database
                + "; nothing was imported (choose a policy: skip them or import them under new names)", null);
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
