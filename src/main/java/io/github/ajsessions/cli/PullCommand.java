package io.github.ajsessions.cli;

import io.github.ajsessions.api.PostgresSync;
import io.github.ajsessions.core.StoreConfig.SchemaMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "pull", description = {"Write a session of a PostgreSQL server into this aj.db, in aj's layout (new"
        + " ids, its messages in order, its config snapshots), in one transaction, so that aj can continue it. A"
        + " session that does not start with aj's preamble is refused; so is a local name that exists."},
        footer = {"%nExample:%n  aj-sessions pull research --from 'jdbc:postgresql://db.example:5432/aj?user=me' --as research-team"})
final class PullCommand extends BaseCommand {

    @Parameters(paramLabel = "SESSION", description = "The session name on the server (exact, case-sensitive).")
    String session;

    @Option(names = "--from", required = true, paramLabel = "URL", description = "The server: jdbc:postgresql://HOST:PORT/DATABASE[?PARAMS].")
    String from;

    @Option(names = "--origin", paramLabel = "ORIGIN", description = "Which machine's session, when several synced one of"
            + " that name (as `sync` prints it: HOST:PATH; \"\" for one written on the server).")
    String origin;

    @Option(names = "--as", paramLabel = "NAME", description = "The local name (default: the same name).")
    String as;

    @Override
    public Integer call() {
        location().requireWritable("pull");
        PostgresSync.PullResult r = PostgresSync.pull(from, session, origin, config(SchemaMode.MIGRATE).build(), as);
        out().println("pulled session '" + TerminalText.line(r.session()) + "': " + r.messages() + " message(s), "
                + r.snapshots() + " config snapshot(s)");
        return ExitCodes.OK;
    }
}
