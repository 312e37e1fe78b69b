package io.github.ajsessions.internal.bootstrap;

import io.github.ajsessions.core.DatabaseLocation;
import io.github.ajsessions.core.StoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What every connection to one file is opened with: the input of
 * {@link ExplicitTransactionDataSource#create}. Immutable, validated once.
 *
 * @param file        the database file (a {@code jdbc:sqlite:} or {@code file:} URL is first resolved to it,
 *                    as {@link #of(StoreConfig)} does)
 * @param busyTimeout how long a statement waits for another process's lock, 0 to
 *                    {@link StoreConfig#MAXIMUM_BUSY_TIMEOUT}
 * @param foreignKeys whether {@code PRAGMA foreign_keys} is on for every connection (aj's files rely on it;
 *                    sqlite-jdbc starts with it off)
 * @param readOnly    whether every write is refused: SQLite's read-only open flag, or
 *                    {@code PRAGMA query_only} on a file in WAL mode (see {@link ExplicitTransactionDataSource})
 */
public record ConnectionSettings(Path file, Duration busyTimeout, boolean foreignKeys, boolean readOnly) {

    /** Validates. */
    public ConnectionSettings {
        Objects.requireNonNull(file, "file must not be null");
        Objects.requireNonNull(busyTimeout, "busyTimeout must not be null");
        if (busyTimeout.isNegative()) {
            throw new IllegalArgumentException("busyTimeout must be >= 0 ms, was " + busyTimeout.toMillis() + " ms");
        }
        if (busyTimeout.compareTo(StoreConfig.MAXIMUM_BUSY_TIMEOUT) > 0) {
            throw new IllegalArgumentException("busyTimeout must be <= " + Integer.MAX_VALUE + " ms, was "
                    + busyTimeout.toMillis() + " ms");
        }
    }

    /**
     * @return the settings of a store's connections to {@code file}: {@code config}'s busy timeout, foreign
     *         keys on, read-only when its schema mode is {@link StoreConfig.SchemaMode#READ_ONLY}
     */
    public static ConnectionSettings of(Path file, StoreConfig config) {
        return new ConnectionSettings(file, config.busyTimeout(), true,
                config.schemaMode() == StoreConfig.SchemaMode.READ_ONLY);
    }

    /**
     * @return {@link #of(Path, StoreConfig)} for the file {@code config} names, found as aj finds it when it
     *         names none ({@link DatabaseLocation#resolve})
     */
    public static ConnectionSettings of(StoreConfig config) {
        return of(DatabaseLocation.resolve(config.database(), config.ajConfigFile()).file(), config);
    }

    /** @return {@code busyTimeout} in milliseconds, as SQLite takes it */
    int busyTimeoutMillis() {
        return (int) busyTimeout.toMillis();
    }
}
