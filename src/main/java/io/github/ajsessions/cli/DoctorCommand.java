package io.github.ajsessions.cli;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.api.StoreInfo;
import io.github.ajsessions.api.StoreInspection.AjHazard;
import io.github.ajsessions.api.StoreInspection.ForeignKeyViolation;
import io.github.ajsessions.api.StoreInspection;
import io.github.ajsessions.core.AjSessionsException;
import io.github.ajsessions.core.DatabaseFileException;
import io.github.ajsessions.core.DatabaseLocation;
import io.github.ajsessions.core.SchemaException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "doctor", description = {"Every check of aj's troubleshooting page, each with a verdict and the fix"
        + " (read-only). Exit code 1 when something is wrong."},
        footer = {"%nExample:%n  aj-sessions doctor"})
final class DoctorCommand extends BaseCommand {

    /** A verdict. */
    enum Verdict { OK, WARN, FAIL }

    /** One check: what, the verdict, what was found, and the fix. */
    record Finding(String check, Verdict verdict, String detail, String fix) {
    }

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<Finding> findings = examine();
        if (json) {
            printJson(findings);
        } else {
            Style s = style();
            for (Finding f : findings) {
                String tag = f.verdict() == Verdict.OK ? s.green("ok  ") : f.verdict() == Verdict.WARN ? s.yellow("warn")
                        : s.red("FAIL");
                out().println("[" + tag + "] " + s.bold(f.check()) + ": " + TerminalText.line(f.detail()));
                if (f.fix() != null && f.verdict() != Verdict.OK) {
                    out().println("       fix: " + f.fix());
                }
            }
            long failed = findings.stream().filter(f -> f.verdict() == Verdict.FAIL).count();
            out().println(failed == 0 ? s.green("no problems found") : s.red(failed + " problem(s) found"));
        }
        return findings.stream().anyMatch(f -> f.verdict() == Verdict.FAIL) ? ExitCodes.PROBLEMS : ExitCodes.OK;
    }

    List<Finding> examine() {
        List<Finding> out = new ArrayList<>();
        DatabaseLocation location = location();
        Path file = location.file();
        out.add(new Finding("location", Verdict.OK, location.describe(), null));
        String databaseUrl = environment.get("DATABASE_URL");
        if (databaseUrl != null && !databaseUrl.isBlank()) {
            try {
                Path diesel = DatabaseLocation.resolve(databaseUrl, null).file();
                out.add(diesel.equals(file) ? new Finding("DATABASE_URL", Verdict.OK, "names the same file", null)
                        : new Finding("DATABASE_URL", Verdict.WARN, "names " + diesel + ", a different file",
                        "point DATABASE_URL and session_db_url at the same file, or unset DATABASE_URL"));
            } catch (IllegalArgumentException e) {
                out.add(new Finding("DATABASE_URL", Verdict.WARN, e.getMessage(), "unset or correct DATABASE_URL"));
            }
        }
        if (!Files.exists(file)) {
            out.add(new Finding("file exists", Verdict.FAIL, file + " does not exist",
                    "run `aj init` (or `aj-sessions init`), or pass the right file with --db"));
            return out;
        }
        out.add(new Finding("file exists", Verdict.OK, file + " (" + sizeOf(file) + ")", null));
        try (SessionStore store = openReadOnly()) {
            out.add(new Finding("SQLite database", Verdict.OK, "the file is a SQLite database", null));
            out.add(new Finding("aj's tables", Verdict.OK, "conversations, messages, awful_configs present", null));
            StoreInfo info = store.info();
            out.add(new Finding("schema variant", Verdict.OK, info.variant().description(), null));
            try {
                store.jpa().entityManagerFactory();
                out.add(new Finding("entities validate", Verdict.OK, "the JPA entities match the tables", null));
            } catch (AjSessionsException e) {
                out.add(new Finding("entities validate", Verdict.FAIL, AjSessionsCommand.oneLine(e),
                        "restore the columns aj expects (see `aj-sessions tables`), or re-create the file with reset"));
            }
            StoreInspection inspect = store.inspection();
            out.add(inspect.foreignKeysEnforced()
                    ? new Finding("foreign keys enforced", Verdict.OK, "PRAGMA foreign_keys = 1 on this module's"
                            + " connections", null)
                    : new Finding("foreign keys enforced", Verdict.FAIL, "PRAGMA foreign_keys = 0", "report a bug"));
            List<ForeignKeyViolation> fk = inspect.foreignKeyCheck();
            out.add(fk.isEmpty() ? new Finding("foreign_key_check", Verdict.OK, "clean", null)
                    : new Finding("foreign_key_check", Verdict.FAIL, fk.size() + " violation(s), e.g. "
                            + fk.get(0).describe(), "delete the orphaned rows, or restore a backup"));
            List<String> integrity = inspect.integrityCheck();
            out.add(integrity.equals(List.of("ok")) ? new Finding("integrity_check", Verdict.OK, "ok", null)
                    : new Finding("integrity_check", Verdict.FAIL, integrity.get(0),
                            "restore a backup (sqlite3 FILE .recover may save what is left)"));
            int latest = StoreInfo.LATEST_SCHEMA_VERSION;
            out.add(info.schemaVersion() >= latest
                    ? new Finding("migrations", Verdict.OK, "schema version " + info.schemaVersion() + " (up to date)",
                            null)
                    : new Finding("migrations", Verdict.WARN, "schema version " + info.schemaVersion() + ", this build"
                            + " has " + latest + " (aj does not need them; this module's index speeds reads)",
                            "aj-sessions migrate"));
            String journal = info.journalMode();
            out.add(new Finding("journal mode", Verdict.OK, journal + ("wal".equalsIgnoreCase(journal)
                    ? " (aj can write while others read; keep the -wal and -shm files with the database)"
                    : " (aj's default; a long read elsewhere makes aj's writes fail at once)"), null));
            long keys = inspect.storedApiKeys();
            Set<PosixFilePermission> perms = permissions(file);
            boolean open = perms != null && (perms.contains(PosixFilePermission.GROUP_READ)
                    || perms.contains(PosixFilePermission.OTHERS_READ));
            if (keys > 0 && open) {
                out.add(new Finding("file permissions", Verdict.FAIL, "readable by other users while " + keys
                        + " config snapshot(s) hold an API key", "chmod 600 " + file));
            } else {
                out.add(new Finding("file permissions", Verdict.OK, (perms == null ? "not a POSIX file system"
                        : java.nio.file.attribute.PosixFilePermissions.toString(perms)) + ", " + keys
                        + " stored API key(s)", null));
            }
            List<AjHazard> hazards = inspect.ajHazards(20);
            List<AjHazard> fatal = hazards.stream().filter(AjHazard::fatal).toList();
            List<AjHazard> tolerated = hazards.stream().filter(h -> !h.fatal()).toList();
            if (fatal.isEmpty()) {
                out.add(new Finding("rows aj would fail on", Verdict.OK, "none", null));
            }
            for (AjHazard h : fatal) {
                out.add(new Finding("rows aj would fail on", Verdict.FAIL, h.problem(),
                        "export the session, fix or delete it (aj-sessions delete SESSION)"));
            }
            if (tolerated.isEmpty()) {
                out.add(new Finding("odd rows aj tolerates", Verdict.OK, "none", null));
            }
            for (AjHazard h : tolerated) {
                out.add(new Finding("odd rows aj tolerates", Verdict.WARN, h.problem(), h.problem().contains("names no"
                        + " conversation") ? "export keeps it; delete it if it is not needed"
                        : "aj reads it; `export` refuses it unless --convert"));
            }
        } catch (DatabaseFileException e) {
            out.add(new Finding("SQLite database", Verdict.FAIL, AjSessionsCommand.oneLine(e),
                    "check --db / session_db_url, or restore a backup"));
        } catch (SchemaException e) {
            if (e.differences().isEmpty()) {
                out.add(new Finding("aj's tables", Verdict.FAIL, AjSessionsCommand.oneLine(e),
                        "point --db or session_db_url at the file aj uses (see `aj-sessions where`), or run `aj init`"));
            } else {
                out.add(new Finding("schema variant", Verdict.FAIL, "the tables drifted from every variant aj makes: "
                        + String.join("; ", e.differences()), "restore the columns and constraints named, or export"
                        + " the sessions, `aj-sessions reset`, and import them"));
            }
        }
        return out;
    }

    private static String sizeOf(Path file) {
        try {
            return Style.bytes(Files.size(file));
        } catch (java.io.IOException e) {
            return "size unknown";
        }
    }

    private static Set<PosixFilePermission> permissions(Path file) {
        try {
            return Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException | java.io.IOException e) {
            return null;
        }
    }
}
