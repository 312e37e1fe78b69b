package io.github.ajsessions.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link io.github.ajsessions.api.SessionStore} opens aj's file. Immutable and validated once, by
 * {@link Builder#build()}.
 *
 * <pre>{@code
 * StoreConfig config = StoreConfig.builder()
 *         .database("/home/me/.config/aj/aj.db")   // or leave unset: aj's own rules find it
 *         .busyTimeout(Duration.ofSeconds(5))
 *         .build();
 * }</pre>
 *
 * @param database        an explicit path, {@code jdbc:sqlite:} or {@code file:} URL, or a {@code jdbc:postgresql:}
 *                        URL (the same tables on a server; user and password as URL parameters, or
 *                        PGUSER/PGPASSWORD/~/.pgpass); {@code null} to find
 *                        the file as aj does (its {@code config.yaml}, then the platform default)
 * @param ajConfigFile    aj's {@code config.yaml} to read {@code session_db_url} from; {@code null} for the
 *                        platform's default location
 * @param busyTimeout     how long a statement waits for another process's lock; default
 *                        {@link #DEFAULT_BUSY_TIMEOUT}
 * @param maximumPoolSize pooled connections; default {@link #DEFAULT_MAXIMUM_POOL_SIZE}
 * @param schemaMode      migrate, validate only, or read-only; default {@link SchemaMode#MIGRATE}
 * @param journalMode     what to do with the file's journal mode; default {@link JournalMode#KEEP}
 * @param storeApiKeys    whether config snapshots keep the API key; default {@code true}, as aj does
 * @param entityManagerFactoryAtOpen whether {@link io.github.ajsessions.api.SessionStore#open} builds the
 *                        EntityManagerFactory, so that Hibernate validates the entities before it returns; default {@code false}:
 *                        built on first JPA use (the session API never needs it)
 */
public record StoreConfig(String database, Path ajConfigFile, Duration busyTimeout, int maximumPoolSize,
                          SchemaMode schemaMode, JournalMode journalMode, boolean storeApiKeys,
                          boolean entityManagerFactoryAtOpen) {

    /** Default busy timeout: 5 seconds. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(5);
    /** Default pool size: 4 connections (SQLite has one writer at a time; readers share). */
    public static final int DEFAULT_MAXIMUM_POOL_SIZE = 4;
    /** Largest busy timeout accepted: SQLite takes it as a 32-bit count of milliseconds. */
    public static final Duration MAXIMUM_BUSY_TIMEOUT = Duration.ofMillis(Integer.MAX_VALUE);

    /** What opening the store may do to the file's schema. */
    public enum SchemaMode {
        /**
         * Create aj's schema in an empty or new file, adopt a known aj variant (baseline) and apply
         * this module's pending migrations (an index). Never alters aj's tables.
         */
        MIGRATE,
        /** Check the file; write nothing to its schema. Writes through the store still work. */
        VALIDATE,
        /** Open the file read-only (SQLite refuses every write); check only. */
        READ_ONLY
    }

    /**
     * The journal-mode policy. aj never changes the journal mode, so an aj-made file is in the
     * rollback journal ({@code delete}), where any read in progress makes aj's commit fail at once
     * (aj has no busy timeout). WAL lets aj write while this module reads, but is a persistent change
     * to a file aj owns, and {@code aj reset} deletes only the main file: hence never a side effect.
     *
     * <p>In WAL mode aj's writes no longer fail because this module is reading; they still fail when
     * they meet one of this module's write transactions, whatever the mode (the measurements are in
     * persistence-notes, "Journal mode"). Hence the default stays {@link #KEEP}; choose {@link #WAL}
     * for a long-running JVM program that reads heavily while aj is in use.
     */
    public enum JournalMode {
        /** Leave the file's journal mode as it is (default). */
        KEEP,
        /** Switch the file to WAL, persistently ({@code PRAGMA journal_mode=WAL}). */
        WAL,
        /** Switch the file back to the rollback journal aj creates ({@code PRAGMA journal_mode=DELETE}). */
        DELETE
    }

    /** Validates as the builder does. */
    public StoreConfig {
        Objects.requireNonNull(busyTimeout, "busyTimeout must not be null");
        Objects.requireNonNull(schemaMode, "schemaMode must not be null");
        Objects.requireNonNull(journalMode, "journalMode must not be null");
        if (busyTimeout.isNegative()) {
            throw new IllegalArgumentException("busyTimeout must be >= 0 ms, was " + busyTimeout.toMillis() + " ms");
        }
        if (busyTimeout.compareTo(MAXIMUM_BUSY_TIMEOUT) > 0) {
            throw new IllegalArgumentException("busyTimeout must be <= " + Integer.MAX_VALUE + " ms, was "
                    + busyTimeout.toMillis() + " ms");
        }
        if (maximumPoolSize < 1) {
            throw new IllegalArgumentException("maximumPoolSize must be >= 1, was " + maximumPoolSize);
        }
        if (database != null && database.isBlank()) {
            throw new IllegalArgumentException("database must not be blank, was '" + database + "'");
        }
        if (schemaMode == SchemaMode.READ_ONLY && journalMode != JournalMode.KEEP) {
            throw new IllegalArgumentException("journalMode " + journalMode
                    + " changes the file and cannot be combined with schemaMode READ_ONLY");
        }
    }

    /** @return every setting; a password in a PostgreSQL URL is shown as {@code ****} */
    @Override
    public String toString() {
        return "StoreConfig[database=" + masked(database)
                + ", ajConfigFile=" + ajConfigFile + ", busyTimeout=" + busyTimeout + ", maximumPoolSize="
                + maximumPoolSize + ", schemaMode=" + schemaMode + ", journalMode=" + journalMode + ", storeApiKeys="
                + storeApiKeys + ", entityManagerFactoryAtOpen=" + entityManagerFactoryAtOpen + "]";
    }

    /**
     * @return {@code text} with the value of every {@code password} and {@code sslpassword} parameter of a
     *         PostgreSQL URL replaced by {@code ****}; any other text unchanged ({@code null} stays null)
     */
    static String masked(String text) {
        if (text == null || !text.regionMatches(true, 0, "jdbc:postgresql:", 0, "jdbc:postgresql:".length())) {
            return text;
        }
        return text.replaceAll("(?i)([?&;](?:ssl)?password=)[^&]*", "$1****");
    }

    /** @return a builder with every default */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the defaults for an explicit file */
    public static StoreConfig forFile(Path file) {
        return builder().database(file.toString()).build();
    }

    /** @return a builder holding this config's values */
    public Builder toBuilder() {
        return new Builder().database(database).ajConfigFile(ajConfigFile).busyTimeout(busyTimeout)
                .maximumPoolSize(maximumPoolSize).schemaMode(schemaMode).journalMode(journalMode)
                .storeApiKeys(storeApiKeys).entityManagerFactoryAtOpen(entityManagerFactoryAtOpen);
    }

    /** Builds a {@link StoreConfig}; every setter has the default named in the record's Javadoc. */
    public static final class Builder {
        private String database;
        private Path ajConfigFile;
        private Duration busyTimeout = DEFAULT_BUSY_TIMEOUT;
        private int maximumPoolSize = DEFAULT_MAXIMUM_POOL_SIZE;
        private SchemaMode schemaMode = SchemaMode.MIGRATE;
        private JournalMode journalMode = JournalMode.KEEP;
        private boolean storeApiKeys = true;
        private boolean entityManagerFactoryAtOpen;

        private Builder() {
        }

        /** @param database a path, {@code jdbc:sqlite:} or {@code file:} URL; {@code null} to resolve as aj does */
        public Builder database(String database) {
            this.database = database;
            return this;
        }

        /** @param database an explicit file */
        public Builder database(Path database) {
            this.database = database == null ? null : database.toString();
            return this;
        }

        /** @param ajConfigFile aj's {@code config.yaml}; {@code null} for the platform default */
        public Builder ajConfigFile(Path ajConfigFile) {
            this.ajConfigFile = ajConfigFile;
            return this;
        }

        /** @param busyTimeout how long to wait for another process's lock, 0 to fail at once */
        public Builder busyTimeout(Duration busyTimeout) {
            this.busyTimeout = busyTimeout;
            return this;
        }

        /** @param maximumPoolSize at least 1 */
        public Builder maximumPoolSize(int maximumPoolSize) {
            this.maximumPoolSize = maximumPoolSize;
            return this;
        }

        /** @param schemaMode migrate, validate only, or read-only */
        public Builder schemaMode(SchemaMode schemaMode) {
            this.schemaMode = schemaMode;
            return this;
        }

        /** @param journalMode the journal-mode policy */
        public Builder journalMode(JournalMode journalMode) {
            this.journalMode = journalMode;
            return this;
        }

        /**
         * @param storeApiKeys {@code false} to write config snapshots with an empty {@code api_key}.
         *                     aj then sees its first snapshot differ from its config and appends one
         *                     snapshot (with the key) on its next turn.
         */
        public Builder storeApiKeys(boolean storeApiKeys) {
            this.storeApiKeys = storeApiKeys;
            return this;
        }

        /**
         * @param atOpen {@code true} to boot Hibernate in {@link io.github.ajsessions.api.SessionStore#open} and have
         *               it validate the entities against the file there (Hibernate's boot, the larger part of an
         *               open from a cold JVM); a
         *               mismatch then fails the open instead of the first JPA call
         */
        public Builder entityManagerFactoryAtOpen(boolean atOpen) {
            this.entityManagerFactoryAtOpen = atOpen;
            return this;
        }

        /** @throws IllegalArgumentException naming the property, the limit and the value given */
        public StoreConfig build() {
            return new StoreConfig(database, ajConfigFile, busyTimeout, maximumPoolSize, schemaMode, journalMode,
                    storeApiKeys, entityManagerFactoryAtOpen);
        }
    }
}
