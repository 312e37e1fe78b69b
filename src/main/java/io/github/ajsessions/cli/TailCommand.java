package io.github.ajsessions.cli;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.api.StoreInspection.TailLine;
import java.util.LinkedHashMap;
import java.util.Map;
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
        List<TailLine> lines;
        try (SessionStore store = openReadOnly()) {
            // read a little more than the snippet: whitespace is folded before cutting
            lines = store.inspection().tail(count, SNIPPET * 4);
        }
        if (json) {
            printJson(lines.stream().map(l -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", l.message().id());
                row.put("session", l.session());
                row.put("role", l.message().role().dbValue());
                row.put("content", Style.snippet(l.message().content(), SNIPPET));
                row.put("dynamic", l.message().dynamic());
                return row;
            }).toList());
            return ExitCodes.OK;
        }
        Style s = style();
        Style.Table t = new Style.Table("ID", "SESSION", "ROLE", "CONTENT").numeric(0);
        lines.forEach(l -> t.row(l.message().id(), l.session() == null ? "(none)" : TerminalText.line(l.session()),
                l.message().role().dbValue(), TerminalText.line(Style.snippet(l.message().content(), SNIPPET))));
        out().print(t.render(s));
        return ExitCodes.OK;
    }
}
