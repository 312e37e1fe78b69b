package io.github.ajsessions.internal.postgres;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * A {@code jdbc:postgresql://host[:port]/database?param=value&...} URL, split into what may be shown
 * and what may not. The secrets ({@code password}, {@code sslpassword}) are taken out of the URL and
 * handed to the driver as properties, so that no URL a pool, a log or an exception message may print
 * holds them; the user is taken out too (it goes beside the password). Every other parameter
 * ({@code sslmode}, {@code sslrootcert}, {@code connectTimeout}, {@code currentSchema}, ...) stays in
 * the URL as given: the driver honours it.
 *
 * <p>Credentials, first found wins: the URL's {@code user}/{@code password}; then the environment's
 * {@code PGUSER}/{@code PGPASSWORD}; else the driver's own rules (the OS user name, {@code ~/.pgpass}
 * or {@code PGPASSFILE}). {@link #toString()} never prints a secret.
 */
public final class PgUrl {

    /** The scheme this backend accepts. */
    public static final String PREFIX = "jdbc:postgresql:";

    private final String safeUrl;
    private final String display;
    private final String user;
    private final String password;
    private final String sslPassword;

    private PgUrl(String safeUrl, String display, String user, String password, String sslPassword) {
        this.safeUrl = safeUrl;
        this.display = display;
        this.user = user;
        this.password = password;
        this.sslPassword = sslPassword;
    }

    /** @return whether {@code url} names a PostgreSQL server */
    public static boolean accepts(String url) {
        return url != null && url.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /** Parses with this process's environment. */
    public static PgUrl parse(String url) {
        return parse(url, System.getenv());
    }

    /**
     * @param environment where {@code PGUSER} and {@code PGPASSWORD} are read
     * @throws IllegalArgumentException not a {@code jdbc:postgresql:} URL (the message never holds the URL's
     *                                  parameters, which may be secret)
     */
    public static PgUrl parse(String url, Map<String, String> environment) {
        if (!accepts(url)) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)");
        }
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        String user = null;
        String password = null;
        String sslPassword = null;
        List<String> kept = new ArrayList<>();
        if (q >= 0) {
            for (String pair : url.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = (eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                String lower = key.toLowerCase(Locale.ROOT);
                if (lower.equals("user")) {
                    user = value;
                } else if (lower.equals("password")) {
                    password = value;
                } else if (lower.equals("sslpassword")) {
                    sslPassword = value;
                } else {
                    kept.add(pair);
                }
            }
        }
        if (base.contains("@")) {
            // user:password@host is not the JDBC driver's syntax; refuse without echoing it
            throw new IllegalArgumentException("a PostgreSQL JDBC URL takes the user and password as parameters"
                    + " (jdbc:postgresql://host:port/database?user=...&password=...), not before the host");
        }
        if (user == null) {
            user = blankToNull(environment.get("PGUSER"));
        }
        if (password == null) {
            password = blankToNull(environment.get("PGPASSWORD"));
        }
        String safe = kept.isEmpty() ? base : base + "?" + String.join("&", kept);
        String display = base.substring(PREFIX.length());
        if (display.startsWith("//")) {
            display = display.substring(2);
        }
        return new PgUrl(safe, "postgresql@" + display, user, password, sslPassword);
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** @return the URL without user and secrets, for the driver (with {@link #properties()}) */
    public String jdbcUrl() {
        return safeUrl;
    }

    /** @return the user, or {@code null} for the driver's default */
    public String user() {
        return user;
    }

    /** @return the password, or {@code null} (the driver then reads {@code ~/.pgpass}); never print it */
    String password() {
        return password;
    }

    /** @return the driver properties with the credentials */
    public Properties properties() {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        if (sslPassword != null) {
            p.setProperty("sslpassword", sslPassword);
        }
        return p;
    }

    /**
     * @return a path-shaped name of the server and database for messages and {@code SessionStore.file()},
     *         e.g. {@code postgresql@127.0.0.1:5432/aj}: no parameter, no credential
     */
    public Path where() {
        return Path.of(display);
    }

    /** @return {@link #where()} as text */
    @Override
    public String toString() {
        return display;
    }
}
