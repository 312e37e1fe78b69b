package io.github.ajsessions.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine;

/** The top command: {@code aj-sessions [--db PATH] COMMAND ...}. */
@Command(name = "aj-sessions", versionProvider = AjSessionsCommand.Version.class,
        description = {"Inspect, check, back up and maintain aj's session database (aj.db), safely while aj uses it.",
            ""},
        synopsisSubcommandLabel = "COMMAND",
        footerHeading = "%nFinding the file:%n",
        footer = {"  --db PATH, else session_db_url in aj's config.yaml, else aj's default location;"
                + " `aj-sessions where` shows which.",
            "",
            "Exit codes:",
            "  0 ok   1 problems found (check, doctor)   2 usage   3 file, schema, read-only, disk full or failed write",
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
        return execute(args, out, err, () -> null);
    }

    /**
     * As {@link #execute(String[], PrintWriter, PrintWriter)}; {@code outFailure} names why writing to
     * {@code out} failed, when it did ({@link PrintWriter} keeps only that it did). No false success: a
     * failed write to either stream (a full disk, {@code /dev/full}, a closed pipe) turns exit code 0
     * into {@link ExitCodes#FILE}, with one line on standard error.
     */
    static int execute(String[] args, PrintWriter out, PrintWriter err, Supplier<java.io.IOException> outFailure) {
        CommandLine cli = new CommandLine(new AjSessionsCommand());
        // picocli reflects over every registered command before parsing, a start-up cost per command:
        // when the command is known from the arguments, register only that one
        String wanted = commandName(args);
        for (Map.Entry<String, Supplier<Object>> command : COMMANDS.entrySet()) {
            if (wanted == null || wanted.equals(command.getKey())) {
                cli.addSubcommand(command.getKey(), command.getValue().get());
            }
        }
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
        if (out.checkError()) { // flushes, then tells whether any write failed
            java.io.IOException why = outFailure.get();
            String reason = why == null || why.getMessage() == null ? "an I/O error"
                    : why.getMessage().substring(0, 1).toLowerCase(java.util.Locale.ROOT) + why.getMessage().substring(1);
            err.println("aj-sessions: write failed on standard output: " + reason
                    + (code == ExitCodes.OK ? "; the output is incomplete" : ""));
            code = code == ExitCodes.OK ? ExitCodes.FILE : code;
        }
        if (err.checkError() && code == ExitCodes.OK) {
            code = ExitCodes.FILE;
        }
        return code;
    }

    /** Every command, in the order of the help. */
    private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("where", WhereCommand::new);
        COMMANDS.put("init", InitCommand::new);
        COMMANDS.put("migrate", MigrateCommand::new);
        COMMANDS.put("doctor", DoctorCommand::new);
        COMMANDS.put("tables", TablesCommand::new);
        COMMANDS.put("sessions", SessionsCommand::new);
        COMMANDS.put("show", ShowCommand::new);
        COMMANDS.put("tail", TailCommand::new);
        COMMANDS.put("search", SearchCommand::new);
        COMMANDS.put("export", ExportCommand::new);
        COMMANDS.put("import", ImportCommand::new);
        COMMANDS.put("backup", BackupCommand::new);
        COMMANDS.put("vacuum", VacuumCommand::new);
        COMMANDS.put("check", CheckCommand::new);
        COMMANDS.put("reset", ResetCommand::new);
        COMMANDS.put("delete", DeleteCommand::new);
        COMMANDS.put("sync", SyncCommand::new);
        COMMANDS.put("pull", PullCommand::new);
        COMMANDS.put("demo", DemoCommand::new);
        COMMANDS.put("cds-training", CdsTrainingCommand::new);
        COMMANDS.put("help", CommandLine.HelpCommand::new);
    }

    /** Top-level options that take a value, to skip when looking for the command name. */
    private static final Set<String> OPTIONS_WITH_VALUE = Set.of("--db", "--aj-config", "--busy-timeout");

    /** @return the command named in {@code args}, or {@code null} (none, unknown, or help: register all) */
    static String commandName(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (OPTIONS_WITH_VALUE.contains(a)) {
                i++;
            } else if (!a.startsWith("-")) {
                return COMMANDS.containsKey(a) && !a.equals("help") ? a : null;
            }
        }
        return null;
    }

    static String oneLine(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        if (!(e instanceof io.github.ajsessions.core.AjSessionsException) && ExitCodes.of(e) == ExitCodes.INTERNAL) {
            message = e.getClass().getSimpleName() + ": " + message;
        }
        // an error can name a session or a value read from the file: escaped as all text from the file is
        return TerminalText.line(message.replace('\n', ' ').replaceAll(" {2,}", " "));
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
