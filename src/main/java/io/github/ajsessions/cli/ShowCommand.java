package io.github.ajsessions.cli;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.model.MessageRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "show", description = "Print a conversation in order (read-only).",
        footer = {"%nExample:%n  aj-sessions show demo%n  aj-sessions show research --last 6 --format markdown"})
final class ShowCommand extends BaseCommand {

    /** Output formats of show and export. */
    enum Format { text, json, markdown }

    @Parameters(paramLabel = "SESSION", description = "The session name (exact, case-sensitive).")
    String session;

    @Option(names = "--last", paramLabel = "N", description = "Only the last N messages.")
    Integer last;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json or markdown (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() throws Exception {
        if (last != null && last < 0) {
            throw new IllegalArgumentException("--last must be >= 0, was " + last);
        }
        List<MessageRecord> messages;
        try (SessionStore store = openReadOnly()) {
            messages = last == null ? store.history(session) : store.lastMessages(session, last);
        }
        print(this, session, messages, format);
        return ExitCodes.OK;
    }

    static void print(BaseCommand command, String session, List<MessageRecord> messages, Format format) throws Exception {
        switch (format) {
            case json: {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("session", session);
                m.put("messages", messages.stream().map(x -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("id", x.id());
                    row.put("role", x.role().dbValue());
                    row.put("content", x.content());
                    row.put("dynamic", x.dynamic());
                    return row;
                }).toList());
                command.printJson(m);
                break;
            }
            case markdown:
                command.out().print(markdown(session, messages));
                break;
            default: {
                // text from the file never reaches the terminal raw
                Style s = command.style();
                command.out().println(s.bold("session " + TerminalText.line(session))
                        + s.dim(" (" + messages.size() + " messages)"));
                for (MessageRecord x : messages) {
                    String content = TerminalText.content(x.content()).replace("\n", "\n" + " ".repeat(19));
                    command.out().println(s.dim(String.format("%7d", x.id())) + "  " + s.role(x.role().dbValue())
                            + " " + content);
                }
            }
        }
        command.out().flush();
    }

    /** The conversation as Markdown, its text escaped as on a terminal (a Markdown file is read with cat too). */
    static String markdown(String session, List<MessageRecord> messages) {
        StringBuilder b = new StringBuilder("# Session `").append(TerminalText.line(session).replace("`", "'"))
                .append("`\n\n");
        for (MessageRecord x : messages) {
            String role = x.role().dbValue();
            b.append("### ").append(Character.toUpperCase(role.charAt(0))).append(role.substring(1))
                    .append(" · message ").append(x.id()).append("\n\n")
                    .append(TerminalText.content(x.content())).append("\n\n");
        }
        return b.toString();
    }
}
