package io.github.ajsessions.spring;

import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.internal.postgres.PgUrl;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code aj.sessions.*} properties: {@link StoreConfig}'s settings, plus the switches of the Spring
 * Boot support. Only {@code aj.sessions.database} is usually needed, and not even that when the file is
 * where aj looks for it.
 */
@ConfigurationProperties(prefix = AjSessionsProperties.PREFIX)
public class AjSessionsProperties {

    /** The prefix of these properties. */
    public static final String PREFIX = "aj.sessions";

    /** Whether to configure anything at all: the SessionStore bean, its DataSource, JPA, health. */
    private boolean enabled = true;

    /**
     * aj's file: a path, jdbc:sqlite: or file: URL. Unset: found as aj finds it (session_db_url in aj's
     * config.yaml, else the platform's default, ~/.config/aj/aj.db on Linux). Or a PostgreSQL server:
     * jdbc:postgresql://host:port/database (currentSchema=... picks the schema).
     */
    private String database;

    /**
     * The user on a PostgreSQL server (aj.sessions.database a jdbc:postgresql: URL); unset: the URL's user
     * parameter, PGUSER, else the driver's default.
     */
    private String username;

    /**
     * The password on a PostgreSQL server; unset: the URL's password parameter, PGPASSWORD, else ~/.pgpass.
     * Never printed.
     */
    private String password;

    /** aj's config.yaml to read session_db_url from; unset: the platform's default location. */
    private Path ajConfigFile;

    /** Whether a missing file (in an existing folder) is created with aj's schema, owner-only. */
    private boolean createIfMissing;

    /** How long a statement waits for another process's lock (0 fails at once). */
    private Duration busyTimeout = StoreConfig.DEFAULT_BUSY_TIMEOUT;

    /** Pooled connections, at least 1. */
    private int maximumPoolSize = StoreConfig.DEFAULT_MAXIMUM_POOL_SIZE;

    /** What opening may do to the schema: MIGRATE (create, adopt, apply the module's migrations), VALIDATE, READ_ONLY. */
    private StoreConfig.SchemaMode schemaMode = StoreConfig.SchemaMode.MIGRATE;

    /** The journal-mode policy: KEEP (aj's rollback journal stays), WAL (switch persistently), DELETE. */
    private StoreConfig.JournalMode journalMode = StoreConfig.JournalMode.KEEP;

    /** Whether config snapshots written through the store keep the API key (aj stores it). */
    private boolean storeApiKeys = true;

    /** Whether the store's pool becomes the application's DataSource when the application defines none. */
    private boolean dataSource = true;

    /**
     * Whether the application's JPA gets aj's entities, the dialect and Hibernate's validation, when its
     * DataSource is the store's.
     */
    private boolean jpa = true;

    /** @return the {@link StoreConfig} these properties describe */
    public StoreConfig toStoreConfig() {
        return StoreConfig.builder().database(databaseWithCredentials()).ajConfigFile(ajConfigFile).busyTimeout(busyTimeout)
                .maximumPoolSize(maximumPoolSize).schemaMode(schemaMode).journalMode(journalMode)
                .storeApiKeys(storeApiKeys).build();
    }

    /**
     * @return {@link #getDatabase()} with {@link #getUsername()} and {@link #getPassword()} as URL parameters,
     *         where the PostgreSQL URL parser takes them out again (the pool's URL never holds them)
     * @throws IllegalArgumentException a user or password for a database that is not a PostgreSQL URL, or one
     *                                  given both here and in the URL
     */
    private String databaseWithCredentials() {
        if (username == null && password == null) {
            return database;
        }
        if (!PgUrl.accepts(database)) {
            throw new IllegalArgumentException(PREFIX + ".username and " + PREFIX + ".password are for a PostgreSQL"
                    + " server (" + PREFIX + ".database=jdbc:postgresql://host:port/database); aj's SQLite file has no"
                    + " credentials");
        }
        String query = database.indexOf('?') < 0 ? "" : database.substring(database.indexOf('?') + 1);
        StringBuilder url = new StringBuilder(database).append(query.isEmpty() ? (database.endsWith("?") ? "" : "?") : "&");
        List<String> added = new ArrayList<>();
        if (username != null) {
            added.add("user=" + URLEncoder.encode(username, StandardCharsets.UTF_8));
        }
        if (password != null) {
            added.add("password=" + URLEncoder.encode(password, StandardCharsets.UTF_8));
        }
        for (String pair : query.split("&")) {
            String key = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
            if ((username != null && key.equalsIgnoreCase("user")) || (password != null && key.equalsIgnoreCase("password"))) {
                throw new IllegalArgumentException("the " + key.toLowerCase(Locale.ROOT) + " is given both in "
                        + PREFIX + ".database and in " + PREFIX + "." + (key.equalsIgnoreCase("user") ? "username"
                        : "password") + ": give it once");
            }
        }
        return url.append(String.join("&", added)).toString();
    }

    /** @return whether the Spring Boot support is on; default {@code true} */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled {@code false} to configure nothing */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return the file as configured, or {@code null} for aj's rules */
    public String getDatabase() {
        return database;
    }

    /**
     * @param database a path, {@code jdbc:sqlite:} or {@code file:} URL, a {@code jdbc:postgresql:} URL; {@code null}
     *                 for aj's rules
     */
    public void setDatabase(String database) {
        this.database = database;
    }

    /** @return the PostgreSQL user, or {@code null} */
    public String getUsername() {
        return username;
    }

    /** @param username the PostgreSQL user; only with a {@code jdbc:postgresql:} database */
    public void setUsername(String username) {
        this.username = username;
    }

    /** @return the PostgreSQL password, or {@code null}; never print it */
    public String getPassword() {
        return password;
    }

    /** @param password the PostgreSQL password; only with a {@code jdbc:postgresql:} database */
    public void setPassword(String password) {
        this.password = password;
    }

    /** @return aj's config file, or {@code null} for the platform default */
    public Path getAjConfigFile() {
        return ajConfigFile;
    }

    /** @param ajConfigFile aj's {@code config.yaml} */
    public void setAjConfigFile(Path ajConfigFile) {
        this.ajConfigFile = ajConfigFile;
    }

    /** @return whether a missing file is created; default {@code false} */
    public boolean isCreateIfMissing() {
        return createIfMissing;
    }

    /** @param createIfMissing {@code true} to create a missing file with aj's schema (schema mode MIGRATE) */
    public void setCreateIfMissing(boolean createIfMissing) {
        this.createIfMissing = createIfMissing;
    }

    /** @return the busy timeout; default 5 s */
    public Duration getBusyTimeout() {
        return busyTimeout;
    }

    /** @param busyTimeout 0 … 2^31-1 ms */
    public void setBusyTimeout(Duration busyTimeout) {
        this.busyTimeout = busyTimeout;
    }

    /** @return the pool size; default 4 */
    public int getMaximumPoolSize() {
        return maximumPoolSize;
    }

    /** @param maximumPoolSize at least 1 */
    public void setMaximumPoolSize(int maximumPoolSize) {
        this.maximumPoolSize = maximumPoolSize;
    }

    /** @return the schema mode; default MIGRATE */
    public StoreConfig.SchemaMode getSchemaMode() {
        return schemaMode;
    }

    /** @param schemaMode MIGRATE, VALIDATE or READ_ONLY */
    public void setSchemaMode(StoreConfig.SchemaMode schemaMode) {
        this.schemaMode = schemaMode;
    }

    /** @return the journal-mode policy; default KEEP */
    public StoreConfig.JournalMode getJournalMode() {
        return journalMode;
    }

    /** @param journalMode KEEP, WAL or DELETE */
    public void setJournalMode(StoreConfig.JournalMode journalMode) {
        this.journalMode = journalMode;
    }

    /** @return whether API keys are stored; default {@code true} */
    public boolean isStoreApiKeys() {
        return storeApiKeys;
    }

    /** @param storeApiKeys {@code false} to store config snapshots with an empty key */
    public void setStoreApiKeys(boolean storeApiKeys) {
        this.storeApiKeys = storeApiKeys;
    }

    /** @return whether the store's pool becomes the application's DataSource; default {@code true} */
    public boolean isDataSource() {
        return dataSource;
    }

    /** @param dataSource {@code false} to leave the application's DataSource to the application */
    public void setDataSource(boolean dataSource) {
        this.dataSource = dataSource;
    }

    /** @return whether the application's JPA is set up for aj's file; default {@code true} */
    public boolean isJpa() {
        return jpa;
    }

    /** @param jpa {@code false} to leave JPA to the application */
    public void setJpa(boolean jpa) {
        this.jpa = jpa;
    }

    @Override
    public String toString() {
        // a PostgreSQL URL may hold a password (masked as StoreConfig's toString masks it)
        return "AjSessionsProperties{database=" + (database == null ? null
                : database.replaceAll("(?i)([?&;](?:ssl)?password=)[^&]*", "$1****"))
                + (username == null ? "" : ", username=" + username) + (password == null ? "" : ", password=****")
                + ", schemaMode=" + schemaMode + ", journalMode="
                + journalMode + "}";
    }
}
