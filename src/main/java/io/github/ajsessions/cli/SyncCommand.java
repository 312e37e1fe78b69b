package io.github.ajsessions.cli;

import io.github.ajsessions.api.PostgresSync;
import io.github.ajsessions.core.StoreConfig.SchemaMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "sync", description = {"Copy this aj.db's sessions, messages and config snapshots into a PostgreSQL"
        + " server: only what is new since this file's last sync (a second run writes nothing), each row with its"
        + " origin (this machine and file) and its aj id. The file is opened read-only and read in short pages, so aj"
        + " can keep writing. A session renamed here is renamed there; one deleted here is deleted there only with"
        + " --prune. API keys stay here unless --include-secrets. Credentials: user and password as URL parameters,"
        + " or PGUSER/PGPASSWORD or ~/.pgpass (better: a URL on the command line is visible to other users)."},
        footer = {"%nExample:%n  PGPASSWORD=... aj-sessions sync --to 'jdbc:postgresql://db.example:5432/aj?user=me&sslmode=require'"})
final class SyncCommand extends BaseCommand {

    @Option(names = "--to", required = true, paramLabel = "URL", description = "The server: jdbc:postgresql://HOST:PORT/DATABASE[?PARAMS].")
    String to;

    @Option(names = "--prune", description = "Also delete on the server the sessions deleted from this file.")
    boolean prune;

    @Option(names = "--include-secrets", description = "Copy the API keys of the config snapshots too (default: stored as \"\").")
    boolean includeSecrets;

    @Override
    public Integer call() {
        PostgresSync.SyncResult r;
        try (ProgressBar bar = progress("sync")) {
            r = PostgresSync.sync(config(SchemaMode.READ_ONLY).build(), to, prune, includeSecrets,
                    n -> bar.update(n, -1));
        }
        out().println("synced " + TerminalText.line(r.origin()) + ": " + r.sessions() + " new session(s), "
                + r.messages() + " message(s), " + r.snapshots() + " config snapshot(s), " + r.renamed()
                + " renamed, " + r.pruned() + " pruned");
        return ExitCodes.OK;
    }
}
