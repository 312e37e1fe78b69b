package io.github.ajsessions.api;

import io.github.ajsessions.core.ReadOnlyStoreException;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.internal.backend.Backend;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The JDBC transaction template of the store: each call is statements in auto-commit, or one write
 * transaction of the store's backend ({@code BEGIN IMMEDIATE ... COMMIT} on SQLite, {@link
 * Backend#beginWrite}), every failure translated once, by the backend.
 */
final class Jdbc {

    /** Work on a connection. */
    @FunctionalInterface
    interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    private final SessionStore store;

    Jdbc(SessionStore store) {
        this.store = store;
    }

    /** Runs {@code work} in auto-commit: each statement is its own short read. */
    <T> T read(Work<T> work) {
        try (Connection c = store.dataSource().getConnection()) {
            return work.apply(c);
        } catch (SQLException | RuntimeException e) {
            throw translate(e);
        }
    }

    /**
     * Runs {@code work} in one write transaction of the backend; rolled back on any failure (a failed
     * rollback is suppressed).
     *
     * @throws ReadOnlyStoreException the store was opened read-only
     */
    <T> T write(Work<T> work) {
        requireWritable(store);
        try (Connection c = store.dataSource().getConnection(); Backend.WriteTx tx = store.backend().beginWrite(c)) {
            T result = work.apply(tx.connection());
            tx.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            throw translate(e);
        }
    }

    /** @throws ReadOnlyStoreException the store was opened {@link StoreConfig.SchemaMode#READ_ONLY} */
    static void requireWritable(SessionStore store) {
        if (store.config().schemaMode() == StoreConfig.SchemaMode.READ_ONLY) {
            throw new ReadOnlyStoreException(store.file());
        }
    }

    RuntimeException translate(Exception e) {
        return store.backend().translate(e, store.file(), store.config().busyTimeout(), null);
    }
}
