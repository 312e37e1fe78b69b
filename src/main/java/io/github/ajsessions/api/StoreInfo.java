package io.github.ajsessions.api;

import io.github.ajsessions.core.DatabaseLocation;
import io.github.ajsessions.core.SchemaVariant;
import java.nio.file.Path;
import java.util.List;

/**
 * What a store found when it opened, and the file's journal mode now ({@link SessionStore#info()}).
 *
 * @param location          where the file is and how that was decided
 * @param variant           the schema variant found when opening ({@link SchemaVariant#AJ_SESSIONS} for a
 *                          file created here)
 * @param schemaVersion     the module's schema version of the file (0 when validate-only found no history)
 * @param appliedMigrations the migrations applied when opening, e.g. {@code "2 messages conversation index"};
 *                          often empty
 * @param journalMode       the file's journal mode when asked, e.g. {@code "delete"} (aj's) or {@code "wal"}
 */
public record StoreInfo(DatabaseLocation location, SchemaVariant variant, int schemaVersion,
                        List<String> appliedMigrations, String journalMode) {

    /** The newest schema version of this module's migrations. */
    public static final int LATEST_SCHEMA_VERSION = io.github.ajsessions.internal.schema.SchemaManager.LATEST_VERSION;

    /** Copies the list. */
    public StoreInfo {
        appliedMigrations = List.copyOf(appliedMigrations);
    }

    /** @return the database file */
    public Path file() {
        return location.file();
    }
}
