package io.github.ajsessions.cli;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.api.SessionTransfer;
import io.github.ajsessions.api.SessionTransfer.CheckedExport;
import io.github.ajsessions.api.SessionTransfer.ImportResult;
import io.github.ajsessions.api.SessionTransfer.OnExisting;
import io.github.ajsessions.core.InvalidExportException;
import io.github.ajsessions.core.SafeFiles;
import io.github.ajsessions.core.StoreConfig.SchemaMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import", description = {"Import a JSON export, in one transaction. The whole input is read and"
        + " checked first: anything aj cannot live with (a session aj panics on, an id aj cannot read, a role it does"
        + " not know, a malformed value) refuses all of it, each problem named, and the file is not touched. A"
        + " session whose name exists already is refused unless --on-existing says otherwise. Creates the file if"
        + " missing."},
        footer = {"%nExample:%n  aj-sessions --db ./copy.db import sessions.json%n"
            + "  aj-sessions import sessions.json --on-existing rename%n"
            + "  aj-sessions import hand-edited.json --allow-warnings"})
final class ImportCommand extends BaseCommand {

    @Parameters(paramLabel = "FILE", description = "The export to read, or - for standard input.")
    String file;

    @Option(names = "--on-existing", paramLabel = "POLICY", defaultValue = "refuse",
            description = "refuse, skip or rename (to \"NAME (imported)\") a session that exists (default: ${DEFAULT-VALUE}).")
    String onExisting;

    @Option(names = "--allow-warnings", description = "Import what aj can use and skip or repair the rest (a session"
            + " aj would panic on is skipped; an id aj cannot read gets a new one; a bad dynamic is stored as false),"
            + " each named on standard error.")
    boolean allowWarnings;

    @Override
    public Integer call() {
        OnExisting policy;
        try {
            policy = OnExisting.valueOf(onExisting.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--on-existing must be refuse, skip or rename, was '" + onExisting + "'");
        }
        // a server has no file location; its store checks the URL when opened
        boolean server = isServerUrl(db());
        if (!server) {
            location().requireWritable("import");
        }
        Path database = server ? null : location().file();
        // the whole input is read and checked before the database is opened at all: a refused input leaves it
        // byte-identical (opening it for writing would adopt it: a history table, an index; on a server, migrate)
        CheckedExport checked = readInput(database);
        if (!checked.problems().isEmpty() && !allowWarnings) {
            InvalidExportException refused = new InvalidExportException(database, "cannot import " + source() + ": "
                    + checked.problems().size() + " problem(s) aj cannot live with; nothing was imported"
                    + " (--allow-warnings imports what aj can use and skips or repairs the rest)", checked.problems());
            err().println("aj-sessions: " + TerminalText.line(refused.headline()));
            checked.problems().forEach(p -> err().println("  " + TerminalText.line(p.describe())));
            return ExitCodes.of(refused);
        }
        boolean existed = server || Files.exists(database);
        if (existed && policy == OnExisting.REFUSE && !server) {
            // conflicts found with a read-only open, for the same reason
            try (SessionStore store = openReadOnly()) {
                List<String> conflicts = store.transfer().existingSessions(checked.data());
                if (!conflicts.isEmpty()) {
                    throw SessionTransfer.sessionsExist(store.file(), conflicts);
                }
            }
        }
        // a file this import creates is removed again when the import fails: no empty database left behind
        ImportResult result;
        try (SessionStore store = open(SchemaMode.MIGRATE); ProgressBar bar = progress("import")) {
            result = store.transfer().importChecked(checked, policy, true, bar);
        } catch (RuntimeException e) {
            if (!existed) {
                SafeFiles.deleteWithSideFiles(SafeFiles.writtenPath(database));
            }
            throw e;
        }
        result.warnings().forEach(w -> err().println("warning: " + TerminalText.line(w)));
        out().println("imported " + result.sessions() + " session(s), " + result.messages() + " message(s), "
                + result.configs() + " config snapshot(s)" + (result.idsKept() ? " with their ids" : " under new ids"));
        result.skipped().forEach(n -> out().println("skipped existing session '" + TerminalText.line(n) + "'"));
        result.renamed().forEach((from, to) -> out().println("imported '" + TerminalText.line(from) + "' as '"
                + TerminalText.line(to) + "'"));
        return ExitCodes.OK;
    }

    private String source() {
        return file.equals("-") ? "standard input" : file;
    }

    private CheckedExport readInput(Path database) {
        try (InputStream in = file.equals("-") ? System.in : Files.newInputStream(Path.of(file))) {
            return SessionTransfer.readAndCheck(in);
        } catch (InvalidExportException e) {
            throw new InvalidExportException(database, "cannot import " + source() + ": " + e.getMessage(), List.of());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UncheckedIOException("export file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
