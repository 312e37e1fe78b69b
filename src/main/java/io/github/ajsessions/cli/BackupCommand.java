package io.github.ajsessions.cli;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.api.StoreMaintenance.BackupResult;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "backup", description = {"Copy the database consistently while aj (or anything) keeps using it:"
        + " SQLite's online backup into a temporary file, PRAGMA integrity_check, then an atomic rename."
        + " Never leaves a torn file."},
        footer = {"%nExample:%n  aj-sessions backup ~/backups/aj-$(date +%%F).db"})
final class BackupCommand extends BaseCommand {

    @Parameters(paramLabel = "DEST", description = "The backup file to create, or a folder to create it in.")
    Path destination;

    @Option(names = "--force", description = "Replace DEST if it exists.")
    boolean force;

    @Override
    public Integer call() {
        BackupResult result;
        try (SessionStore store = openReadOnly(); ProgressBar bar = progress("backup")) {
            result = store.maintenance().backup(destination, force, bar);
        }
        result.removedLeftovers().forEach(p -> err().println("removed " + p + ", left by a backup that was killed"));
        out().println("backed up " + location().file() + " to " + result.file() + " (" + Style.bytes(result.bytes())
                + ", integrity_check ok)");
        return ExitCodes.OK;
    }
}
