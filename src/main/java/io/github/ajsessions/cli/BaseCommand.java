package io.github.ajsessions.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.DatabaseLocation;
import io.github.ajsessions.core.StoreConfig.SchemaMode;
import io.github.ajsessions.core.StoreConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the global options, the output streams, opening the store. */
abstract class BaseCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @ParentCommand
    AjSessionsCommand root;

    @Spec
    CommandSpec spec;

    /**
     * The process environment ({@code HOME}, {@code XDG_CONFIG_HOME}, {@code DATABASE_URL}); replaced by
     * tests (the JVM's own cannot be changed).
     */
    static java.util.Map<String, String> environment = System.getenv();

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    Style style() {
        return new Style(spec.commandLine().getColorScheme().ansi().enabled());
    }

    /** @return {@code --db} given after the command name, else before it, else {@code null} */
    String db() {
        return global.db != null ? global.db : root == null ? null : root.global.db;
    }

    Path ajConfig() {
        return global.ajConfig != null ? global.ajConfig : root == null ? null : root.global.ajConfig;
    }

    boolean verbose() {
        return global.verbose || root != null && root.global.verbose;
    }

    DatabaseLocation location() {
        return DatabaseLocation.resolve(db(), ajConfig(), environment);
    }

    StoreConfig.Builder config(SchemaMode mode) {
        Long busy = global.busyTimeoutMs != null ? global.busyTimeoutMs : root == null ? null : root.global.busyTimeoutMs;
        StoreConfig.Builder b = StoreConfig.builder().database(db()).ajConfigFile(ajConfig()).schemaMode(mode)
                .maximumPoolSize(2);
        if (busy != null) {
            b.busyTimeout(java.time.Duration.ofMillis(busy));
        }
        return b;
    }

    /** Opens the file read-only: SQLite refuses every write, and no Hibernate boot unless an entity is needed. */
    SessionStore openReadOnly() {
        return SessionStore.open(config(SchemaMode.READ_ONLY).build());
    }

    /**
     * Opens the file for a command that writes to it.
     *
     * @throws io.github.ajsessions.core.DatabaseFileException when the URL asked for a read-only open ({@code mode=ro})
     */
    SessionStore open(SchemaMode mode) {
        // a server URL has no file location (mode=ro and the like are SQLite's); the store checks it
        if (mode != SchemaMode.READ_ONLY && !isServerUrl(db())) {
            location().requireWritable(spec.name());
        }
        return SessionStore.open(config(mode).build());
    }

    /** @return whether {@code db} is a PostgreSQL URL, which has no file location to check */
    static boolean isServerUrl(String db) {
        return db != null && db.regionMatches(true, 0, "jdbc:postgresql:", 0, "jdbc:postgresql:".length());
    }

    ProgressBar progress(String what) {
        return new ProgressBar(err(), what);
    }

    static ObjectMapper json() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    void printJson(Object value) throws Exception {
        out().println(json().writeValueAsString(value));
        out().flush();
    }
}
