package io.github.ajsessions.core;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where aj's database is, and how that was decided. aj's own rules, in order: an explicit path or
 * URL; else {@code session_db_url} from aj's {@code config.yaml} (used verbatim, relative to the
 * working directory, no {@code ~} expansion; empty means the default); else
 * {@code <config dir>/aj.db}, where the config dir is {@code $XDG_CONFIG_HOME/aj} or
 * {@code $HOME/.config/aj} on Linux ({@code $HOME} from the environment, as aj reads it), {@code ~/Library/Application Support/com.awful-sec.aj} on macOS and
 * {@code %APPDATA%\awful-sec\aj\config} on Windows.
 *
 * @param file         the database file, absolute
 * @param source       which rule decided it
 * @param ajConfigFile aj's {@code config.yaml} that was consulted (it may not exist)
 * @param access       what the URL's {@code mode} parameter allows; {@link Access#READ_WRITE_CREATE} for a path
 */
public record DatabaseLocation(Path file, Source source, Path ajConfigFile, Access access) {

    /** What a {@code file:} URI's {@code mode} parameter allows, as SQLite reads it. */
    public enum Access {
        /** Read and write; created when missing (no {@code mode}, or {@code mode=rwc}). */
        READ_WRITE_CREATE,
        /** Read and write; never created ({@code mode=rw}). */
        READ_WRITE,
        /** Read only ({@code mode=ro}): every command or call that writes is refused. */
        READ_ONLY
    }

    /** Requires every component. */
    public DatabaseLocation {
        java.util.Objects.requireNonNull(file, "file must not be null");
        java.util.Objects.requireNonNull(source, "source must not be null");
        java.util.Objects.requireNonNull(access, "access must not be null");
    }

    /** A location with {@link Access#READ_WRITE_CREATE}, as a plain path gives. */
    public DatabaseLocation(Path file, Source source, Path ajConfigFile) {
        this(file, source, ajConfigFile, Access.READ_WRITE_CREATE);
    }

    /** Which rule gave the file. */
    public enum Source {
        /** An explicit path or URL (a flag, the builder). */
        EXPLICIT,
        /** {@code session_db_url} in aj's {@code config.yaml}. */
        AJ_CONFIG,
        /** The platform's default, {@code <config dir>/aj.db}. */
        PLATFORM_DEFAULT
    }

    /**
     * Resolves with this process's environment, home folder and working directory.
     *
     * @param explicit     a path or URL, or {@code null}
     * @param ajConfigFile aj's config to read, or {@code null} for the platform default
     * @throws IllegalArgumentException for a URL this module cannot use or an unreadable config.yaml
     */
    public static DatabaseLocation resolve(String explicit, Path ajConfigFile) {
        return LocationResolver.forThisProcess().resolve(explicit, ajConfigFile);
    }

    /**
     * Resolves as {@link #resolve(String, Path)} does, with {@code environment} in place of this process's
     * environment variables ({@code HOME}, {@code XDG_CONFIG_HOME}, {@code APPDATA}).
     */
    public static DatabaseLocation resolve(String explicit, Path ajConfigFile, Map<String, String> environment) {
        return LocationResolver.forEnvironment(environment).resolve(explicit, ajConfigFile);
    }

    /**
     * Refuses a write when the URL asked for a read-only open.
     *
     * @param what the write, for the message, e.g. {@code "delete"}
     * @throws DatabaseFileException {@link DatabaseFileException.Problem#READ_ONLY}
     */
    public void requireWritable(String what) {
        if (access == Access.READ_ONLY) {
            throw new DatabaseFileException(file, DatabaseFileException.Problem.READ_ONLY, "database " + file
                    + " was given read-only (mode=ro): " + what + " writes to it and was refused", null);
        }
    }

    /** @return where aj's config.yaml is by default on this machine */
    public static Path defaultAjConfigFile() {
        return LocationResolver.forThisProcess().defaultConfigFile();
    }

    /** @return e.g. {@code /home/u/.config/aj/aj.db (from session_db_url in /home/u/.config/aj/config.yaml)} */
    public String describe() {
        switch (source) {
            case EXPLICIT:
                return file + " (given explicitly)";
            case AJ_CONFIG:
                return file + " (from session_db_url in " + ajConfigFile + ")";
            default:
                return file + " (aj's default; " + ajConfigFile + " sets no session_db_url)";
        }
    }

    /** @return one line on where aj itself looks for its file, for messages about a file without aj's tables */
    public String whereAjLooks() {
        try {
            DatabaseLocation aj = DatabaseLocation.resolve(null, ajConfigFile);
            if (aj.file().equals(file)) {
                return "aj also uses this file (" + aj.describe() + ")";
            }
            String databaseUrl = System.getenv("DATABASE_URL");
            return "aj uses " + aj.describe()
                    + (databaseUrl != null && !databaseUrl.isEmpty() ? "; DATABASE_URL (Diesel CLI) is " + databaseUrl : "");
        } catch (RuntimeException e) {
            return "aj's config could not be read: " + e.getMessage();
        }
    }
}
