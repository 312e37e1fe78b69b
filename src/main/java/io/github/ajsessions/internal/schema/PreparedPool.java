package io.github.ajsessions.internal.schema;

import com.zaxxer.hikari.HikariDataSource;
import io.github.ajsessions.core.DatabaseLocation;
import io.github.ajsessions.core.SafeFiles;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.internal.bootstrap.Pools;
import io.github.ajsessions.internal.errors.SqliteErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A pool over a file that is identified and migrated (or adopted), with the journal-mode policy
 * applied: what {@link #open} hands to {@code SessionStore} and to the persistence unit's
 * connection provider.
 *
 * @param created whether this open created the file
 */
public record PreparedPool(DatabaseLocation location, HikariDataSource pool, SchemaManager.Outcome schema,
                           boolean created) {
    /** Undoes the open after a later failure: closes the pool, removes the file if this open made it. */
    public void discard() {
        pool.close();
        if (created) {
            deleteQuietly(location.file());
        }
    }

    /**
     * The first steps of opening a store, in order: resolve the file, check it ({@link Pools#prepareFile}),
     * open the pool, identify the schema and migrate, adopt or refuse it, apply the journal policy. On
     * failure the pool is closed and a file created here removed; the failure is translated.
     */
    public static PreparedPool open(StoreConfig config) {
        DatabaseLocation location = DatabaseLocation.resolve(config.database(), config.ajConfigFile());
        Path file = location.file();
        if (location.access() == DatabaseLocation.Access.READ_ONLY) {
            // mode=ro is honoured: SQLite's read-only open, so that every write is refused, whatever the caller asked
            config = config.toBuilder().schemaMode(StoreConfig.SchemaMode.READ_ONLY)
                    .journalMode(StoreConfig.JournalMode.KEEP).build();
        }
        boolean created = Pools.prepareFile(file, config, location.access());
        HikariDataSource pool = null;
        try {
            pool = Pools.open(file, config);
            SchemaManager.Outcome schema = SchemaManager.prepare(pool, file, config,
                    location.whereAjLooks());
            Pools.applyJournalMode(pool, file, config);
            return new PreparedPool(location, pool, schema, created);
        } catch (RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            if (created) {
                deleteQuietly(file);
            }
            throw SqliteErrors.translate(e, file, config.busyTimeout(), null);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            // made through a dangling symbolic link: remove what was made, keep the link as it was
            Files.deleteIfExists(Files.isSymbolicLink(file) ? SafeFiles.writtenPath(file) : file);
        } catch (IOException ignored) {
            // best effort: the file was empty and ours
        }
    }
}
