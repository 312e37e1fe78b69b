package io.github.ajsessions.api;

import io.github.ajsessions.internal.bootstrap.WriteTransaction;
import io.github.ajsessions.internal.errors.SqliteErrors;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Plain JDBC on the store's pool, for the operations that need no entity (listings, checks, bulk
 * import): each call is one short statement in auto-commit, or one {@code BEGIN IMMEDIATE ... COMMIT}.
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
        } catch (SQLException e) {
            throw translate(e);
        } catch (RuntimeException e) {
            throw translateRuntime(e);
        }
    }

    /** Runs {@code work} in one {@code BEGIN IMMEDIATE ... COMMIT}; rolled back on any failure (a failed rollback is suppressed). */
    <T> T write(Work<T> work) {
        if (store.config().schemaMode() == StoreConfig.SchemaMode.READ_ONLY) {
            throw new IllegalStateException("the store on " + store.file() + " was opened read-only");
        }
        try (Connection c = store.dataSource().getConnection(); WriteTransaction tx = WriteTransaction.immediate(c)) {
            T result = work.apply(c);
            tx.commit();
            return result;
        } catch (SQLException e) {
            throw translate(e);
        } catch (RuntimeException e) {
            throw translateRuntime(e);
        }
    }

    AjSessionsException translate(SQLException e) {
        return SqliteErrors.translateSql(e, store.file(), store.config().busyTimeout());
    }

    private RuntimeException translateRuntime(RuntimeException e) {
        return SqliteErrors.translateRuntime(e, store.file(), store.config().busyTimeout());
    }

    /** @return {@code name} as a quoted SQL identifier */
    static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
