package io.github.ajsessions.cli;

import io.github.ajsessions.core.DatabaseLocation;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "where", description = "Show which file aj-sessions uses, how it was found, and whether it exists.",
        footer = {"%nExample:%n  aj-sessions where%n  aj-sessions where --db ./aj.db --json"})
final class WhereCommand extends BaseCommand {

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        DatabaseLocation location = location();
        boolean exists = Files.isRegularFile(location.file());
        String databaseUrl = environment.get("DATABASE_URL");
        String warning = null;
        if (databaseUrl != null && !databaseUrl.isBlank()) {
            try {
                DatabaseLocation diesel = DatabaseLocation.resolve(databaseUrl, location.ajConfigFile());
                if (!diesel.file().equals(location.file())) {
                    warning = "DATABASE_URL names " + diesel.file() + ", not " + location.file() + ": the Diesel CLI"
                            + " migrates that file while aj opens this one (\"no such table: conversations\")";
                }
            } catch (IllegalArgumentException e) {
                warning = "DATABASE_URL is set to '" + databaseUrl + "', which is not a file: " + e.getMessage();
            }
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", location.file().toString());
            m.put("source", location.source().name().toLowerCase(java.util.Locale.ROOT));
            m.put("ajConfig", location.ajConfigFile().toString());
            m.put("exists", exists);
            m.put("readOnly", location.access() == DatabaseLocation.Access.READ_ONLY);
            m.put("bytes", exists ? Files.size(location.file()) : null);
            m.put("warning", warning);
            printJson(m);
            return ExitCodes.OK;
        }
        Style s = style();
        out().println(s.bold(location.file().toString()));
        String how;
        switch (location.source()) {
            case EXPLICIT:
                how = "given with --db";
                break;
            case AJ_CONFIG:
                how = "session_db_url in " + location.ajConfigFile();
                break;
            default:
                how = "aj's default location (" + location.ajConfigFile() + " sets no session_db_url)";
        }
        out().println("  found by: " + how);
        out().println("  exists:   " + (exists ? "yes, " + Style.bytes(Files.size(location.file())) : s.yellow("no")));
        if (location.access() != DatabaseLocation.Access.READ_WRITE_CREATE) {
            out().println("  access:   " + (location.access() == DatabaseLocation.Access.READ_ONLY
                    ? "read-only (mode=ro): commands that write are refused" : "read-write, never created (mode=rw)"));
        }
        if (warning != null) {
            out().println(s.yellow("  warning:  " + warning));
        }
        return ExitCodes.OK;
    }
}
