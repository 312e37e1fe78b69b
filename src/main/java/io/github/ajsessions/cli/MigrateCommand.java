package io.github.ajsessions.cli;

import picocli.CommandLine.Command;

@Command(name = "migrate", description = {"Apply this module's pending migrations to an existing file (an index;"
        + " aj's tables are never altered). Idempotent."},
        footer = {"%nExample:%n  aj-sessions migrate"})
final class MigrateCommand extends InitCommand {
    @Override
    boolean mustExist() {
        return true;
    }
}
