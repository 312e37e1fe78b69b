package io.github.ajsessions.cli;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.api.SessionTransfer.ImportResult;
import io.github.ajsessions.api.SessionTransfer.OnExisting;
import io.github.ajsessions.core.SafeFiles;
import io.github.ajsessions.core.StoreConfig.SchemaMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import", description = {"Import a JSON export, in one transaction. A session whose name exists"
        + " already is refused unless --on-existing says otherwise. Creates the file if missing."},
        footer = {"%nExample:%n  aj-sessions --db ./copy.db import sessions.json%n"
            + "  aj-sessions import sessions.json --on-existing rename"})
final class ImportCommand extends BaseCommand {

    @Parameters(paramLabel = "FILE", description = "The export to read, or - for standard input.")
    String file;

    @Option(names = "--on-existing", paramLabel = "POLICY", defaultValue = "refuse",
            description = "refuse, skip or rename (to \"NAME (imported)\") a session that exists (default: ${DEFAULT-VALUE}).")
    String onExisting;

    @Override
    public Integer call() {
        OnExisting policy;
        try {
            policy = OnExisting.valueOf(onExisting.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--on-existing must be refuse, skip or rename, was '" + onExisting + "'");
        }
        location().requireWritable("import");
        Path database = location().file();
        // a file this import creates is removed again when the import fails: no empty database left behind
        boolean existed = Files.exists(database);
        ImportResult result;
        try {
            result = importFrom(policy);
        } catch (RuntimeException e) {
            if (!existed) {
                SafeFiles.deleteWithSideFiles(SafeFiles.writtenPath(database));
            }
            throw e;
        }
        out().println("imported " + result.sessions() + " session(s), " + result.messages() + " message(s), "
                + result.configs() + " config snapshot(s)" + (result.idsKept() ? " with their ids" : " under new ids"));
        result.skipped().forEach(n -> out().println("skipped existing session '" + TerminalText.line(n) + "'"));
        result.renamed().forEach((from, to) -> out().println("imported '" + TerminalText.line(from) + "' as '"
                + TerminalText.line(to) + "'"));
        return ExitCodes.OK;
    }

    private ImportResult importFrom(OnExisting policy) {
        ImportResult result;
        try (InputStream in = file.equals("-") ? System.in : Files.newInputStream(Path.of(file));
             SessionStore store = open(SchemaMode.MIGRATE); ProgressBar bar = progress("import")) {
            result = store.transfer().importJson(in, policy, bar);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UncheckedIOException("export file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return result;
    }
}
