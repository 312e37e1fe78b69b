package io.github.ajsessions.core;

import java.nio.file.Path;

/**
 * A write was asked of a store opened {@link StoreConfig.SchemaMode#READ_ONLY}; nothing was written.
 * The CLI exits with code 6 (refused).
 */
public final class ReadOnlyStoreException extends AjSessionsException {
    /** @param database the file the store was opened on */
    public ReadOnlyStoreException(Path database) {
        super(database, "the store on " + database + " was opened read-only", null);
    }
}
