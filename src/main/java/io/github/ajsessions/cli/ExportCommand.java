package io.github.ajsessions.cli;

import io.github.ajsessions.api.Progress;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.SafeFiles;
import io.github.ajsessions.model.SessionSummary;
import io.github.ajsessions.api.SessionTransfer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "export", description = {"Export sessions (all by default) as JSON holding every column of the three"
        + " tables, or as Markdown for reading. API keys are left out unless --include-secrets."},
        footer = {"%nExample:%n  aj-sessions export -o sessions.json%n  aj-sessions export demo --format markdown"
            + " -o demo.md"})
final class ExportCommand extends BaseCommand {

    /** Export formats. */
    enum Format { json, markdown }

    @Parameters(arity = "0..*", paramLabel = "SESSION", description = "Sessions to export (default: all, with rows of"
            + " no session).")
    List<String> sessions = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE (owner-only) instead of"
            + " standard output.")
    Path output;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json", description = "json or markdown"
            + " (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--include-secrets", description = "Also write api_key of each config snapshot.")
    boolean includeSecrets;

    @Option(names = "--convert", description = "Export rows the JSON cannot hold exactly (content stored as a BLOB, a"
            + " number or bytes that are not UTF-8; dynamic other than 0 or 1) converted: content as text (invalid"
            + " bytes as U+FFFD), dynamic as true when non-zero; each named on standard error. Without it such rows"
            + " refuse the export.")
    boolean convert;

    @Override
    public Integer call() throws Exception {
        try (SessionStore store = openReadOnly(); ProgressBar bar = progress("export")) {
            if (output == null) {
                // streamed to standard output, never held whole (a PrintWriter, so that tests can capture it);
                // no progress bar: when standard output is the terminal the bar would be drawn into the JSON
                PrintWriter stdout = out();
                if (format == Format.json) {
                    warn(store.transfer().exportJson(sessions, includeSecrets, anomalies(), stdout, Progress.NONE));
                } else {
                    for (String name : markdownSessions(store)) {
                        stdout.print(ShowCommand.markdown(name, store.history(name)));
                    }
                }
                stdout.flush();
                bar.close();
            } else {
                Path target = output.toAbsolutePath().normalize();
                Path temp = SafeFiles.partialFile(target);
                // by identity: the database (or a side file of it) reached through a link, "..", a hard link
                SafeFiles.refuseLiveFile(target, store.file(), "export destination");
                SafeFiles.refuseLiveFile(temp, store.file(), "temporary export file");
                if (Files.isDirectory(target)) {
                    throw new IllegalArgumentException("export destination " + target + " is a folder");
                }
                if (Files.exists(target) && !Files.isRegularFile(target)) {
                    throw new IllegalArgumentException("export destination " + target + " is not a regular file");
                }
                Path folder = target.getParent();
                if (folder == null || !Files.isDirectory(folder)) {
                    throw new IllegalArgumentException("folder " + folder + " of export destination " + target
                            + " does not exist");
                }
                SafeFiles.removeDeadPartialFiles(target).forEach(p -> err().println("removed " + p
                        + ", left by an export that was killed"));
                boolean ours = false;
                try {
                    // owner-only from its first byte: an export may hold API keys (--include-secrets)
                    SafeFiles.createOwnerOnly(temp);
                    ours = true;
                    try (OutputStream file = Files.newOutputStream(temp)) {
                        write(store, file, bar);
                    }
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    throw SafeFiles.writeFailure(target, e);
                } catch (RuntimeException e) {
                    // the export wraps a failed write of the file; reads fail with SQLException, never IOException
                    IOException write = ioCause(e);
                    if (write != null) {
                        throw SafeFiles.writeFailure(target, write);
                    }
                    throw e;
                } finally {
                    if (ours) {
                        Files.deleteIfExists(temp);
                    }
                }
                bar.close();
                err().println("wrote " + target);
            }
        }
        return ExitCodes.OK;
    }

    private void write(SessionStore store, OutputStream to, ProgressBar bar) throws IOException {
        if (format == Format.json) {
            warn(store.transfer().exportJson(sessions, includeSecrets, anomalies(), to, bar));
            return;
        }
        for (String name : markdownSessions(store)) {
            to.write(ShowCommand.markdown(name, store.history(name)).getBytes(StandardCharsets.UTF_8));
        }
    }

    private SessionTransfer.Anomalies anomalies() {
        return convert ? SessionTransfer.Anomalies.CONVERT : SessionTransfer.Anomalies.REFUSE;
    }

    private void warn(List<String> converted) {
        converted.forEach(w -> err().println("warning: converted " + TerminalText.line(w)));
        if (converted.size() >= SessionTransfer.ANOMALIES_NAMED) {
            err().println("warning: and possibly more rows converted (aj-sessions doctor lists them)");
        }
    }

    private static IOException ioCause(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof IOException io) {
                return io;
            }
        }
        return null;
    }

    /** @return the sessions named on the command line, else every session of the file */
    private List<String> markdownSessions(SessionStore store) {
        return sessions.isEmpty()
                ? store.listSessions().stream().map(SessionSummary::name).distinct().toList()
                : sessions;
    }
}
