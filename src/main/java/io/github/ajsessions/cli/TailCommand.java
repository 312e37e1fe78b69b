package io.github.ajsessions.cli;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.api.StoreInspection.TailRow;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "tail", description = "The latest messages across all sessions, with a 60-character snippet"
        + " (read-only). A row whose role aj does not know is shown flagged, and named on standard error.",
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
        List<TailRow> lines;
        try (SessionStore store = openReadOnly()) {
            // read a little more than the snippet: whitespace is folded before cutting; a role aj does not know
            // is shown flagged rather than refused, as this is where one looks for such a row
            lines = store.inspection().tailRows(count, SNIPPET * 4);
        }
        lines.stream().filter(l -> !l.roleKnown()).forEach(l -> err().println("warning: message " + l.id()
                + " has role " + (l.role() == null ? "NULL" : "'" + TerminalText.line(l.role()) + "'")
                + "; aj accepts only system, user, assistant and panics on it (aj-sessions doctor lists every such"
                + " row)"));
        if (json) {
            printJson(lines.stream().map(l -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", l.id());
                row.put("session", l.session());
                row.put("role", l.role());
                row.put("content", Style.snippet(l.content(), SNIPPET));
                row.put("dynamic", l.dynamic());
                if (!l.roleKnown()) {
                    row.put("roleAjAccepts", false);
                }
                return row;
            }).toList());
            return ExitCodes.OK;
        }
        Style s = style();
        Style.Table t = new Style.Table("ID", "SESSION", "ROLE", "CONTENT").numeric(0);
        lines.forEach(l -> t.row(l.id(), l.session() == null ? "(none)" : TerminalText.line(l.session()),
                l.roleKnown() ? l.role() : "!" + (l.role() == null ? "NULL" : TerminalText.line(l.role())),
                TerminalText.line(Style.snippet(l.content(), SNIPPET))));
        out().print(t.render(s));
        return ExitCodes.OK;
    }
}
