package io.github.ajsessions.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The top command: {@code aj-sessions [--db PATH] COMMAND ...}. */
@Command(name = "aj-sessions", versionProvider = AjSessionsCommand.Version.class,
        description = {"Inspect, check, back up and maintain aj's session database (aj.db), safely while aj uses it.",
            ""},
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            WhereCommand.class, InitCommand.class, MigrateCommand.class, DoctorCommand.class, TablesCommand.class,
            SessionsCommand.class, ShowCommand.class, TailCommand.class, SearchCommand.class, ExportCommand.class,
            ImportCommand.class, BackupCommand.class, VacuumCommand.class, CheckCommand.class, ResetCommand.class,
            DeleteCommand.class, DemoCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nFinding the file:%n",
        footer = {"  --db PATH, else session_db_url in aj's config.yaml, else aj's default location;"
                + " `aj-sessions where` shows which.",
            "",
            "Exit codes:",
            "  0 ok   1 problems found (check, doctor)   2 usage   3 file or schema problem",
            "  4 locked by another process   5 session not found   6 refused   7 unexpected error",
            "",
            "Example:",
            "  aj-sessions --db ~/.config/aj/aj.db tail -n 10"})
public final class AjSessionsCommand implements Runnable {

    @Mixin
    GlobalOptions global;

    @picocli.CommandLine.Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
    boolean version;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Runs the command line with {@code out} and {@code err} as its output, for {@link Main} and for
     * tests (no {@code System.exit}).
     *
     * @return the exit code
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new AjSessionsCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean verbose = parseResult.expandedArgs().contains("--verbose");
            PrintWriter to = commandLine.getErr();
            to.println(commandLine.getColorScheme().errorText("aj-sessions: " + oneLine(e)));
            if (verbose) {
                e.printStackTrace(to);
            } else if (ExitCodes.of(e) == ExitCodes.INTERNAL) {
                to.println("(rerun with --verbose for the stack trace)");
            }
            to.flush();
            return ExitCodes.of(e);
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    static String oneLine(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        if (!(e instanceof io.github.ajsessions.api.AjSessionsException) && ExitCodes.of(e) == ExitCodes.INTERNAL) {
            message = e.getClass().getSimpleName() + ": " + message;
        }
        return message.replace('\n', ' ').replaceAll(" {2,}", " ");
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = AjSessionsCommand.class.getPackage().getImplementationVersion();
            return new String[] {"aj-sessions " + (v == null ? "(development build)" : v)};
        }
    }
}
