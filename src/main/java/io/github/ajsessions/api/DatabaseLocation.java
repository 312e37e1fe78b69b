package io.github.ajsessions.api;

import io.github.ajsessions.internal.bootstrap.LocationResolver;
import java.nio.file.Path;

/**
 * Where aj's database is, and how that was decided. aj's own rules, in order: an explicit path or
 * URL; else {@code session_db_url} from aj's {@code config.yaml} (used verbatim, relative to the
 * working directory, no {@code ~} expansion; empty means the default); else
 * {@code <config dir>/aj.db}, where the config dir is {@code $XDG_CONFIG_HOME/aj} or
 * {@code ~/.config/aj} on Linux, {@code ~/Library/Application Support/com.awful-sec.aj} on macOS and
 * {@code %APPDATA%\awful-sec\aj\config} on Windows.
 *
 * @param file         the database file, absolute
 * @param source       which rule decided it
 * @param ajConfigFile aj's {@code config.yaml} that was consulted (it may not exist)
 */
public record DatabaseLocation(Path file, Source source, Path ajConfigFile) {

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
}
