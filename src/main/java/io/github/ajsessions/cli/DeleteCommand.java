package io.github.ajsessions.cli;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.SessionNotFoundException;
import io.github.ajsessions.core.StoreConfig.SchemaMode;
import io.github.ajsessions.model.SessionSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "delete", description = "Delete a session with all its messages and config snapshots, in one"
        + " transaction (works on aj's files, whose foreign keys do not cascade).",
        footer = {"%nExample:%n  aj-sessions delete old-session"})
final class DeleteCommand extends BaseCommand {

    @Parameters(paramLabel = "SESSION", description = "The session name (exact, case-sensitive).")
    String session;

    @Override
    public Integer call() {
        try (SessionStore store = open(SchemaMode.VALIDATE)) {
            long messages = store.listSessions().stream().filter(s -> s.name().equals(session))
                    .mapToLong(SessionSummary::messageCount).sum();
            if (!store.deleteSession(session)) {
                throw new SessionNotFoundException(store.file(), session);
            }
            out().println("deleted session '" + TerminalText.line(session) + "' (" + messages + " messages) from " + store.file());
        }
        return ExitCodes.OK;
    }
}
