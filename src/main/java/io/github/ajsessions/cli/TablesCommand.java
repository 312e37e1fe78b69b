package io.github.ajsessions.cli;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.api.StoreInspection.TableCount;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "tables", description = "List the file's tables with their row counts (read-only).",
        footer = {"%nExample:%n  aj-sessions tables%n  aj-sessions tables --json"})
final class TablesCommand extends BaseCommand {

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<TableCount> tables;
        try (SessionStore store = openReadOnly()) {
            tables = store.inspection().tables();
        }
        if (json) {
            printJson(tables);
            return ExitCodes.OK;
        }
        Style.Table t = new Style.Table("TABLE", "ROWS").numeric(1);
        tables.forEach(x -> t.row(x.name(), x.rows()));
        out().print(t.render(style()));
        return ExitCodes.OK;
    }
}
