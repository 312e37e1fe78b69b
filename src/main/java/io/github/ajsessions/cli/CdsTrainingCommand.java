package io.github.ajsessions.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * Hidden: the run the build records a class-data-sharing archive from ({@code -XX:ArchiveClassesAtExit},
 * see the launcher {@code target/aj-sessions}). Runs the common commands on a throw-away sample file
 * so that the classes they load are in the archive, then deletes the file.
 */
@Command(name = "cds-training", hidden = true, description = "Exercise the common commands (used by the build).")
final class CdsTrainingCommand extends BaseCommand {

    @Override
    public Integer call() throws Exception {
        Path folder = Files.createTempDirectory("aj-sessions-cds-");
        try {
            String db = folder.resolve("aj.db").toString();
            StringWriter sink = new StringWriter();
            for (List<String> args : List.of(List.of("demo"), List.of("tail"), List.of("sessions"),
                    List.of("sessions", "--json"), List.of("tables"), List.of("show", "demo"), List.of("where"),
                    List.of("check"), List.of("search", "log"), List.of("export"),
                    List.of("backup", folder.resolve("b.db").toString()), List.of("doctor"), List.of("--help"))) {
                String[] withDb = Stream.concat(Stream.of("--db", db), args.stream()).toArray(String[]::new);
                int code = AjSessionsCommand.execute(withDb, new PrintWriter(sink), new PrintWriter(sink));
                if (code != ExitCodes.OK) {
                    err().println("training run '" + String.join(" ", args) + "' exited with " + code + ":\n" + sink);
                    return code;
                }
            }
            out().println("ok");
            return ExitCodes.OK;
        } finally {
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
