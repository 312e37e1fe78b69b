package io.github.ajsessions.cli;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.api.StoreInfo;
import io.github.ajsessions.core.StoreConfig.SchemaMode;
import java.nio.file.Files;
import picocli.CommandLine.Command;

@Command(name = "init", description = {"Create the file with aj's schema, or bring an existing one up to date.",
    "Idempotent; adopts files made by aj, Diesel or aj's sqlite3 recipe without changing aj's tables."},
        footer = {"%nExample:%n  aj-sessions --db ./aj.db init"})
class InitCommand extends BaseCommand {

    boolean mustExist() {
        return false;
    }

    @Override
    public Integer call() {
        java.nio.file.Path file = location().file();
        boolean existed = Files.exists(file);
        if (mustExist() && !existed) {
            throw new io.github.ajsessions.core.DatabaseFileException(file,
                    io.github.ajsessions.core.DatabaseFileException.Problem.NOT_FOUND,
                    "database " + file + " does not exist (use `init` to create it)", null);
        }
        try (SessionStore store = open(SchemaMode.MIGRATE)) {
            StoreInfo info = store.info();
            out().println((existed ? "" : "created ") + store.file() + ": " + info.variant().description()
                    + ", schema version " + info.schemaVersion());
            if (info.appliedMigrations().isEmpty()) {
                out().println("up to date: nothing applied");
            } else {
                info.appliedMigrations().forEach(m -> out().println("applied " + m));
            }
        }
        return ExitCodes.OK;
    }
}
