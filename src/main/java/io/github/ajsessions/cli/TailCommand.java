package io.github.ajsessions.cli;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.api.StoreInspection.MessageLine;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "tail", description = "The latest messages across all sessions, with a 60-character snippet"
        + " (read-only).",
        footer = {"%nExample:%n  aj-sessions tail -n 10"})
final class TailCommand extends BaseCommand {

    static final int SNIPPET = 60;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "10", description = "How many (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--json", description = "Print JSON (content cut to the snippet).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (count < 0) {
            throw new IllegalArgumentException("-n must be >= 0, was " + count);
        }
        List<MessageLine> lines;
        try (SessionStore store = openReadOnly()) {
            // read a little more than the snippet: whitespace is folded before cutting
            lines = store.inspection().tail(count, SNIPPET * 4);
        }
        if (json) {
            printJson(lines.stream().map(l -> new MessageLine(l.id(), l.session(), l.role(),
                    Style.snippet(l.content(), SNIPPET), l.dynamic())).toList());
            return ExitCodes.OK;
        }
        Style s = style();
        Style.Table t = new Style.Table("ID", "SESSION", "ROLE", "CONTENT").numeric(0);
        lines.forEach(l -> t.row(l.id(), l.session() == null ? "(none)" : TerminalText.line(l.session()),
                TerminalText.line(l.role()), TerminalText.line(Style.snippet(l.content(), SNIPPET))));
        out().print(t.render(s));
        return ExitCodes.OK;
    }
}
