package io.github.ajsessions.core;

import io.github.ajsessions.core.DatabaseLocation.Access;
import io.github.ajsessions.core.DatabaseLocation.Source;
import java.io.IOException;
import java.io.Reader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * aj's rules for finding its database, with the platform, environment, home folder and working
 * directory as inputs so that every platform's rule can be tested anywhere.
 */
final class LocationResolver {

    /** The platforms aj knows a config folder for. */
    public enum Platform { LINUX, MACOS, WINDOWS }

    private final Platform platform;
    private final Map<String, String> env;
    private final Path accountHome;
    private final Path workingDirectory;

    /**
     * @param env              the environment variables ({@code HOME}, {@code XDG_CONFIG_HOME}, {@code APPDATA})
     * @param accountHome      the account's home folder from the password database (Java's {@code user.home}),
     *                         used only when {@code HOME} is unset or empty, as Rust's {@code dirs} crate does
     * @param workingDirectory what relative paths are relative to
     */
    public LocationResolver(Platform platform, Map<String, String> env, Path accountHome, Path workingDirectory) {
        this.platform = platform;
        this.env = env;
        this.accountHome = accountHome;
        this.workingDirectory = workingDirectory;
    }

    /** @return a resolver for this JVM's OS, environment, {@code user.home} and {@code user.dir} */
    public static LocationResolver forThisProcess() {
        return forEnvironment(System.getenv());
    }

    /** @return a resolver for this JVM's OS, {@code user.home} and {@code user.dir} with {@code env} as the environment */
    public static LocationResolver forEnvironment(Map<String, String> env) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        Platform platform = os.startsWith("windows") ? Platform.WINDOWS
                : os.startsWith("mac") || os.contains("darwin") ? Platform.MACOS : Platform.LINUX;
        return new LocationResolver(platform, env, Path.of(System.getProperty("user.home")),
                Path.of(System.getProperty("user.dir")));
    }

    /**
     * @return the home folder as aj finds it: {@code $HOME} when set and not empty (the {@code dirs} crate
     *         reads the environment first), else the account's home; on Windows always the account's
     */
    public Path home() {
        String fromEnv = platform == Platform.WINDOWS ? null : env.get("HOME");
        return fromEnv != null && !fromEnv.isEmpty() ? workingDirectory.resolve(fromEnv).normalize() : accountHome;
    }

    /** @return aj's config folder on this platform (the {@code dirs} crate's config dir plus aj's name) */
    public Path configDirectory() {
        Path home = home();
        switch (platform) {
            case MACOS:
                return home.resolve("Library").resolve("Application Support").resolve("com.awful-sec.aj");
            case WINDOWS:
                String appData = env.get("APPDATA");
                Path roaming = appData != null && !appData.isEmpty() ? Path.of(appData)
                        : home.resolve("AppData").resolve("Roaming");
                return roaming.resolve("awful-sec").resolve("aj").resolve("config");
            default:
                String xdg = env.get("XDG_CONFIG_HOME");
                // the dirs crate ignores a relative XDG_CONFIG_HOME, as the XDG spec says
                Path base = xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                        : home.resolve(".config");
                return base.resolve("aj");
        }
    }

    /** @return {@code <config dir>/config.yaml} */
    public Path defaultConfigFile() {
        return configDirectory().resolve("config.yaml");
    }

    /**
     * @param explicit     a path or URL given by the user, or {@code null}
     * @param ajConfigFile aj's config to read, or {@code null} for {@link #defaultConfigFile()}
     */
    public DatabaseLocation resolve(String explicit, Path ajConfigFile) {
        Path configFile = ajConfigFile != null ? ajConfigFile.toAbsolutePath() : defaultConfigFile();
        if (explicit != null && !explicit.isBlank()) {
            if (explicit.regionMatches(true, 0, "jdbc:postgresql:", 0, "jdbc:postgresql:".length())) {
                // never echoed: the URL may hold a password
                throw new IllegalArgumentException("a PostgreSQL URL is not aj's file; this works on aj's SQLite"
                        + " file only");
            }
            Target t = target(explicit, "the given database");
            return new DatabaseLocation(t.file(), Source.EXPLICIT, configFile, t.access());
        }
        String fromConfig = readSessionDbUrl(configFile);
        if (fromConfig != null && !fromConfig.isEmpty()) {
            Target t = target(fromConfig, "session_db_url in " + configFile);
            return new DatabaseLocation(t.file(), Source.AJ_CONFIG, configFile, t.access());
        }
        return new DatabaseLocation(configDirectory().resolve("aj.db").toAbsolutePath(), Source.PLATFORM_DEFAULT,
                configFile);
    }

    /**
     * @return {@code session_db_url} from aj's config, or {@code null} when the file or the key is absent
     * @throws IllegalArgumentException when the file exists but is not YAML aj could read
     */
    static String readSessionDbUrl(Path configFile) {
        if (!Files.isRegularFile(configFile)) {
            return null;
        }
        Object root;
        try (Reader reader = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (IOException | YAMLException e) {
            throw new IllegalArgumentException("cannot read aj's config " + configFile + ": "
                    + java.util.Objects.toString(e.getMessage(), "").lines().findFirst().orElse(""), e);
        }
        if (root == null) {
            return null;
        }
        if (!(root instanceof Map)) {
            throw new IllegalArgumentException("aj's config " + configFile + " is not a YAML mapping");
        }
        Object value = ((Map<?, ?>) root).get("session_db_url");
        if (value == null) {
            return null;
        }
        if (!(value instanceof String)) {
            throw new IllegalArgumentException("session_db_url in " + configFile + " must be a string, was "
                    + value);
        }
        return (String) value;
    }

    /** A file and how a URL's parameters allow it to be opened. */
    record Target(Path file, Access access) {
    }

    /** Turns a path or a {@code jdbc:sqlite:}, {@code sqlite://} or {@code file:} URL into an absolute path. */
    Path toPath(String location, String what) {
        return target(location, what).file();
    }

    /**
     * Turns a path or a {@code jdbc:sqlite:}, {@code sqlite://} or {@code file:} URL into an absolute path
     * and the access its parameters ask for. Every parameter is honoured or refused, never dropped: a
     * {@code file:} URI's {@code mode=ro|rw|rwc} is honoured; any other parameter, and any sqlite-jdbc
     * setting after {@code jdbc:sqlite:PATH?}, is refused by name.
     *
     * @throws IllegalArgumentException for an in-memory database, a remote host, no file, or a parameter not honoured
     */
    Target target(String location, String what) {
        String text = location;
        if (text.startsWith("jdbc:sqlite:")) {
            text = text.substring("jdbc:sqlite:".length());
            int query = text.indexOf('?');
            if (query >= 0 && !text.startsWith("file:")) {
                // sqlite-jdbc reads "?name=value" after the file as its settings (pragmas, open mode): this module
                // sets those itself, so a setting given here would be silently overridden
                throw new IllegalArgumentException(what + " '" + location + "' has sqlite-jdbc settings this module"
                        + " does not honour: " + text.substring(query + 1).replace("&", ", ")
                        + " (remove them; for a read-only open use file:PATH?mode=ro)");
            }
        } else if (text.startsWith("sqlite://")) {
            text = text.substring("sqlite://".length());
        }
        if (text.equals(":memory:") || text.contains("mode=memory")) {
            throw new IllegalArgumentException(what + " is an in-memory database ('" + location
                    + "'): aj's sessions live in a file");
        }
        Access access = Access.READ_WRITE_CREATE;
        if (text.startsWith("file:")) {
            String rest = text.substring("file:".length());
            access = uriAccess(rest, location, what);
            text = fileUriPath(rest);
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException(what + " names no file: '" + location + "'");
        }
        Path path = Path.of(text);
        return new Target((path.isAbsolute() ? path : workingDirectory.resolve(path)).normalize(), access);
    }

    /** @return the access a {@code file:} URI's query asks for; refuses every parameter it does not honour */
    private static Access uriAccess(String rest, String location, String what) {
        int q = rest.indexOf('?');
        if (q < 0) {
            return Access.READ_WRITE_CREATE;
        }
        int hash = rest.indexOf('#', q);
        String query = hash < 0 ? rest.substring(q + 1) : rest.substring(q + 1, hash);
        Access access = Access.READ_WRITE_CREATE;
        List<String> refused = new ArrayList<>();
        for (String parameter : query.split("&")) {
            if (parameter.isEmpty()) {
                continue;
            }
            int eq = parameter.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? parameter : parameter.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(parameter.substring(eq + 1), StandardCharsets.UTF_8);
            if (name.equals("mode") && value.equals("ro")) {
                access = Access.READ_ONLY;
            } else if (name.equals("mode") && value.equals("rw")) {
                access = Access.READ_WRITE;
            } else if (name.equals("mode") && value.equals("rwc")) {
                access = Access.READ_WRITE_CREATE;
            } else {
                refused.add(parameter);
            }
        }
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException(what + " '" + location + "' has URL parameters this module does not"
                    + " honour: " + String.join(", ", refused) + " (only mode=ro, mode=rw and mode=rwc are)");
        }
        return access;
    }

    private static String fileUriPath(String rest) {
        int cut = rest.length();
        for (char c : new char[] {'?', '#'}) {
            int at = rest.indexOf(c);
            if (at >= 0) {
                cut = Math.min(cut, at);
            }
        }
        String path = rest.substring(0, cut);
        if (path.startsWith("//")) {
            // file://host/path: only an empty host or localhost is a local file
            int slash = path.indexOf('/', 2);
            String host = slash < 0 ? path.substring(2) : path.substring(2, slash);
            if (!host.isEmpty() && !host.equals("localhost")) {
                throw new IllegalArgumentException("file URL with a remote host '" + host + "' is not a local file");
            }
            path = slash < 0 ? "" : path.substring(slash);
        }
        return URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
