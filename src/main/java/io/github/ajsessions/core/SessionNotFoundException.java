package io.github.ajsessions.core;

import java.nio.file.Path;

/**
 * No conversation has this exact (case-sensitive) session name. The CLI exits with code 5 (not found).
 */
public final class SessionNotFoundException extends AjSessionsException {
    private final String sessionName;

    /** @param sessionName the name looked up */
    public SessionNotFoundException(Path database, String sessionName) {
        super(database, "session '" + sessionName + "' not found in " + database, null);
        this.sessionName = sessionName;
    }

    /** @return the name that was looked up */
    public String sessionName() {
        return sessionName;
    }
}
