package io.github.ajsessions.cli;

import io.github.ajsessions.api.MessageSearch.Hit;
import io.github.ajsessions.api.MessageSearch;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.StoreConfig.SchemaMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "search", description = {"Full-text search over message content, best hits first.",
    "Keeps an FTS5 index in its own table (" + MessageSearch.INDEX_TABLE + "), updated before each search;"
        + " aj's tables get no trigger."},
        footer = {"%nExample:%n  aj-sessions search write ahead log -n 5"})
final class SearchCommand extends BaseCommand {

    @Parameters(arity = "1..*", paramLabel = "WORD", description = "Words that must all occur (any order).")
    List<String> words;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "20", description = "At most N hits (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        String text = String.join(" ", words);
        List<Hit> hits;
        try (SessionStore store = open(SchemaMode.VALIDATE); ProgressBar bar = progress("indexing")) {
            hits = store.search().search(text, limit, bar);
        }
        if (json) {
            printJson(hits.stream().map(h -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("messageId", h.message().id());
                m.put("session", h.session());
                m.put("role", h.message().role().dbValue());
                m.put("rank", h.rank());
                m.put("snippet", MessageSearch.snippet(h.message().content(), text, TailCommand.SNIPPET));
                return m;
            }).toList());
            return ExitCodes.OK;
        }
        if (hits.isEmpty()) {
            out().println("no message matches '" + TerminalText.line(text) + "'");
            return ExitCodes.OK;
        }
        Style.Table t = new Style.Table("ID", "SESSION", "ROLE", "SNIPPET").numeric(0);
        hits.forEach(h -> t.row(h.message().id(), h.session() == null ? "(none)" : TerminalText.line(h.session()),
                h.message().role().dbValue(),
                TerminalText.line(MessageSearch.snippet(h.message().content(), text, TailCommand.SNIPPET))));
        out().print(t.render(style()));
        return ExitCodes.OK;
    }
}
