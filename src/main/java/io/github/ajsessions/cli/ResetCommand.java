package io.github.ajsessions.cli;

import io.github.ajsessions.api.StoreMaintenance.ResetResult;
import io.github.ajsessions.api.StoreMaintenance;
import io.github.ajsessions.core.StoreConfig.SchemaMode;
import java.io.Console;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "reset", description = {"Empty the file and re-create aj's schema, in one step other processes see"
        + " whole. Writes a backup next to the file first (unless --no-backup) and asks for confirmation (unless"
        + " --yes)."},
        footer = {"%nExample:%n  aj-sessions reset --yes"})
final class ResetCommand extends BaseCommand {

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
    boolean yes;

    @Option(names = "--no-backup", description = "Do not write the backup first.")
    boolean noBackup;

    @Override
    public Integer call() {
        Path file = location().file();
        location().requireWritable("reset");
        if (!yes) {
            Console console = System.console();
            if (console == null) {
                throw new ExitCodes.RefusedException("reset deletes every session in " + file
                        + "; pass --yes to confirm (no terminal to ask on)");
            }
            String answer = console.readLine("Delete every session in %s%s? Type yes: ", file,
                    noBackup ? " (NO backup)" : " (a backup is written first)");
            if (answer == null || !answer.trim().equalsIgnoreCase("yes")) {
                throw new ExitCodes.RefusedException("reset of " + file + " not confirmed; nothing changed");
            }
        }
        ResetResult result;
        try (ProgressBar bar = progress("backup")) {
            result = StoreMaintenance.reset(config(SchemaMode.MIGRATE).build(), !noBackup, bar);
        }
        result.removedLeftovers().forEach(p -> err().println("removed " + p + ", left by a reset that was killed"));
        if (result.backup() != null) {
            out().println("backed up to " + result.backup());
        }
        out().println("reset " + file + ": empty, schema " + result.variant().description());
        return ExitCodes.OK;
    }
}
