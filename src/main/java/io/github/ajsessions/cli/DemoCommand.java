package io.github.ajsessions.cli;

import io.github.ajsessions.api.ConfigSnapshot;
import io.github.ajsessions.api.Preamble;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.model.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "demo", description = {"Make a sample aj.db (in a new temporary folder unless --db names a new file;"
        + " never aj's own file) holding the seed's example (session demo, user message Hi), a few turns and a config"
        + " snapshot, then show it."},
        footer = {"%nExample:%n  aj-sessions demo%n  aj-sessions --db ./sample.db demo"})
final class DemoCommand extends BaseCommand {

    @Override
    public Integer call() throws Exception {
        Path file;
        if (db() != null) {
            location().requireWritable("demo");
            file = location().file();
            if (Files.exists(file)) {
                throw new ExitCodes.RefusedException("demo writes a new sample file, and " + file + " exists already;"
                        + " give a path that does not exist, or leave out --db");
            }
        } else {
            file = Files.createTempDirectory("aj-sessions-demo-").resolve("aj.db");
        }
        try (SessionStore store = SessionStore.open(StoreConfig.builder().database(file).build())) {
            // the seed's example: the session demo, started with aj's preamble so that aj can continue it
            store.findOrCreateSession("demo", Preamble.defaults());
            store.appendMessage("demo", Role.USER, "Hi");
            store.appendMessage("demo", Role.ASSISTANT, "Hello! How can I help you today?");
            store.recordConfigSnapshot("demo", new ConfigSnapshot("http://localhost:11434/v1", "sk-demo-0000",
                    "qwen2.5:7b-instruct", 8192, 2048, List.of("<|im_end|>")));
            store.appendTurn("demo", "What is a write-ahead log, in one sentence?",
                    "A write-ahead log records each change before it is applied, so a crash can be recovered from.");
            store.appendTurn("demo", "And why does aj.db care?",
                    "Because in WAL mode aj can keep writing while another program reads the same file.");
            Style s = style();
            out().println(s.bold("sample database: ") + file);
            out().println();
            ShowCommand.print(this, "demo", store.history("demo"), ShowCommand.Format.text);
            out().println();
            Style.Table t = new Style.Table("SESSION", "MESSAGES", "LAST ID", "MODEL").numeric(1, 2);
            store.listSessions().forEach(x -> t.row(TerminalText.line(x.name()), x.messageCount(),
                    x.lastMessageId(), TerminalText.line(x.latestModel())));
            out().print(t.render(s));
        }
        out().println();
        out().println("Try: target/aj-sessions --db " + file + " tail");
        out().println("     target/aj-sessions --db " + file + " doctor");
        out().println("(target/aj-sessions starts the same jar faster; `java -jar target/aj-sessions.jar` works too)");
        return ExitCodes.OK;
    }
}
