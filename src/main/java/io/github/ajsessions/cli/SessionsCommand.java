package io.github.ajsessions.cli;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.model.SessionSummary;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "sessions", description = "One line per session: name, message count, last message id, model of its"
        + " latest config snapshot (read-only).",
        footer = {"%nExample:%n  aj-sessions sessions%n  aj-sessions sessions --json | jq '.[].name'"})
final class SessionsCommand extends BaseCommand {

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<SessionSummary> sessions;
        try (SessionStore store = openReadOnly()) {
            sessions = store.listSessions();
        }
        if (json) {
            printJson(sessions);
            return ExitCodes.OK;
        }
        if (sessions.isEmpty()) {
            out().println("no sessions");
            return ExitCodes.OK;
        }
        Style.Table t = new Style.Table("SESSION", "MESSAGES", "LAST ID", "MODEL").numeric(1, 2);
        sessions.forEach(x -> t.row(TerminalText.line(x.name()), x.messageCount(), x.lastMessageId(),
                TerminalText.line(x.latestModel())));
        out().print(t.render(style()));
        return ExitCodes.OK;
    }
}
