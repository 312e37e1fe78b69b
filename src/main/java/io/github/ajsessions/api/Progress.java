package io.github.ajsessions.api;

/**
 * Told how far a long operation (backup, import, export, search indexing) has come. Called from the
 * thread doing the work; keep it cheap.
 */
@FunctionalInterface
public interface Progress {

    /** Reports nothing. */
    Progress NONE = (done, total) -> { };

    /**
     * @param done  units done so far (pages, rows)
     * @param total units in all, or {@code -1} when unknown
     */
    void update(long done, long total);
}
