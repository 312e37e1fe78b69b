package io.github.ajsessions.core;

import java.nio.file.Path;

/**
 * A search on a store opened {@link StoreConfig.SchemaMode#READ_ONLY} found no search index in the
 * file: search once with a store that may write, which creates it. The CLI exits with code 3 (the file).
 */
public final class SearchIndexMissingException extends AjSessionsException {
    /** @param cause SQLite's "no such table" */
    public SearchIndexMissingException(Path database, Throwable cause) {
        super(database, "no search index in " + database + " yet: search once with a store that may write", cause);
    }
}
