package io.github.ajsessions.core;

import java.nio.file.Path;

/**
 * A write would leave a session without aj's preamble (its first rows: system prompt, the "brain"
 * user row, the assistant's Ok), on which aj panics; nothing was written. Start the session with
 * {@link io.github.ajsessions.api.SessionStore#findOrCreateSession(String, io.github.ajsessions.api.Preamble)},
 * or let aj write its first turn. The CLI exits with code 6 (refused).
 */
public final class MissingPreambleException extends AjSessionsException {
    private final String sessionName;

    /**
     * @param sessionName the session concerned
     * @param message     names the session, the file and the rows found
     */
    public MissingPreambleException(Path database, String sessionName, String message) {
        super(database, message, null);
        this.sessionName = sessionName;
    }

    /** @return the session concerned */
    public String sessionName() {
        return sessionName;
    }
}
