package io.github.ajsessions.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Options every command accepts, before or after the command name: mixed into the top command and
 * into each subcommand; a value given after the command name wins.
 */
final class GlobalOptions {

    @Option(names = "--db", paramLabel = "PATH",
            description = "aj's database file (a path, file: or jdbc:sqlite: URL). Default: session_db_url in aj's"
                    + " config.yaml, else aj's default (~/.config/aj/aj.db on Linux).")
    String db;

    @Option(names = "--aj-config", paramLabel = "FILE",
            description = "aj's config.yaml to read session_db_url from. Default: aj's own (~/.config/aj/config.yaml"
                    + " on Linux).")
    Path ajConfig;

    @Option(names = "--busy-timeout", paramLabel = "MS",
            description = "How long to wait for another process's lock, in milliseconds (default: 5000).")
    Long busyTimeoutMs;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--verbose", description = "Log what happens, and print the stack trace of an error.")
    boolean verbose;
}
