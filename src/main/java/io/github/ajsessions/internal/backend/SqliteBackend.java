package io.github.ajsessions.internal.backend;

import io.github.ajsessions.internal.bootstrap.WriteTransaction;
import io.github.ajsessions.internal.errors.SqliteErrors;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

/** aj's SQLite file: {@code BEGIN IMMEDIATE} write transactions, SQLite's result codes, its journal mode. */
public final class SqliteBackend implements Backend {

    /** The one instance: it holds no state. */
    public static final SqliteBackend INSTANCE = new SqliteBackend();

    private SqliteBackend() {
    }

    @Override
    public boolean isPostgres() {
        return false;
    }

    @Override
    public WriteTx beginWrite(Connection connection) throws SQLException {
        WriteTransaction tx = WriteTransaction.immediate(connection);
        return new WriteTx() {
            @Override
            public void commit() throws SQLException {
                tx.commit();
            }

            @Override
            public void close() throws SQLException {
                tx.close();
            }
        };
    }

    @Override
    public RuntimeException translate(Throwable failure, Path where, Duration busyTimeout, String whatFailed) {
        return SqliteErrors.translate(failure, where, busyTimeout, whatFailed);
    }

    @Override
    public String journalMode(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Nothing to do: SQLite's AUTOINCREMENT counter ({@code sqlite_sequence}) follows an explicit id itself. */
    @Override
    public void followKeptIds(Connection connection, List<String> tables) {
    }
}
