package io.github.ajsessions.cli;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.api.StoreMaintenance.VacuumResult;
import io.github.ajsessions.core.StoreConfig.SchemaMode;
import picocli.CommandLine.Command;

@Command(name = "vacuum", description = "Reclaim free space (VACUUM) and print the size before and after. Holds the"
        + " write lock while it runs.",
        footer = {"%nExample:%n  aj-sessions vacuum"})
final class VacuumCommand extends BaseCommand {
    @Override
    public Integer call() {
        VacuumResult r;
        try (SessionStore store = open(SchemaMode.VALIDATE)) {
            r = store.maintenance().vacuum();
        }
        out().println("vacuumed " + location().file() + ": " + Style.bytes(r.bytesBefore()) + " -> "
                + Style.bytes(r.bytesAfter()) + " (" + r.bytesBefore() + " -> " + r.bytesAfter() + " bytes)");
        return ExitCodes.OK;
    }
}
