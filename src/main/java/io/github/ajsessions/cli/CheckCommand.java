package io.github.ajsessions.cli;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.api.StoreInspection.ForeignKeyViolation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "check", description = {"PRAGMA integrity_check and PRAGMA foreign_key_check (read-only).",
    "Exit code 0 when both are clean, 1 otherwise: for scripts."},
        footer = {"%nExample:%n  aj-sessions check && echo fine"})
final class CheckCommand extends BaseCommand {

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<String> integrity;
        List<ForeignKeyViolation> fk;
        try (SessionStore store = openReadOnly()) {
            integrity = store.inspection().integrityCheck();
            fk = store.inspection().foreignKeyCheck();
        }
        boolean ok = integrity.equals(List.of("ok")) && fk.isEmpty();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", ok);
            m.put("integrityCheck", integrity);
            m.put("foreignKeyViolations", fk);
            printJson(m);
        } else {
            Style s = style();
            out().println("integrity_check:   " + (integrity.equals(List.of("ok")) ? s.green("ok")
                    : s.red(integrity.size() + " problem(s)")));
            integrity.stream().filter(x -> !x.equals("ok")).limit(20).forEach(x -> out().println("  " + TerminalText.line(x)));
            out().println("foreign_key_check: " + (fk.isEmpty() ? s.green("ok") : s.red(fk.size() + " violation(s)")));
            fk.stream().limit(20).forEach(v -> out().println("  " + TerminalText.line(v.describe())));
        }
        return ok ? ExitCodes.OK : ExitCodes.PROBLEMS;
    }
}
