package io.github.ajsessions.internal.bootstrap;

import io.github.ajsessions.internal.errors.SqliteErrors;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConfig;

/**
 * The connection layer's {@link DataSource}: opens sqlite-jdbc connections to one file with the
 * {@link ConnectionSettings} applied at open (busy timeout, foreign keys, read-only), and hands each out as
 * an {@link ExplicitTransactionConnection}, whose write transactions begin {@code IMMEDIATE} and end with
 * no lock held. Not a pool: every call opens a connection; the store puts HikariCP in front
 * ({@link Pools#open}).
 *
 * <p>{@code unwrap} answers {@link WriteLockStatistics} with the lock holds of every connection it opened.
 * {@code toString} shows the settings (the file, the busy timeout, the flags); there is no secret to hide:
 * no user name or password is kept, and {@link #getConnection(String, String)} ignores both.
 */
public final class ExplicitTransactionDataSource implements DataSource {

    private final ConnectionSettings settings;
    private final String url;
    private final Properties properties;
    private final boolean queryOnly;
    private final LockHoldStatistics statistics = new LockHoldStatistics();
    private final WriteGate gate;
    private PrintWriter logWriter;
    private volatile int loginTimeoutSeconds = 5;

    private ExplicitTransactionDataSource(ConnectionSettings settings, boolean queryOnly) {
        this.settings = settings;
        this.url = "jdbc:sqlite:" + settings.file();
        this.queryOnly = queryOnly;
        this.gate = WriteGate.of(settings.file());
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setBusyTimeout(settings.busyTimeoutMillis());
        if (settings.foreignKeys()) {
            sqlite.enforceForeignKeys(true);
        }
        if (settings.readOnly() && !queryOnly) {
            sqlite.setReadOnly(true);
        }
        this.properties = sqlite.toProperties();
    }

    /**
     * The data source for {@code settings}. Opens nothing, except for a read-only one: it asks SQLite for
     * the file's journal mode first, because SQLite's read-only open is fragile in WAL mode (such a
     * connection cannot create or write the {@code -shm} file, and fails with SQLITE_READONLY (CANTINIT,
     * RECOVERY) whenever another process has just removed or is re-creating the side files, seen with
     * aj-style writers next to the CLI's readers). On a WAL file the connections are opened read-write and
     * refuse every write with {@code PRAGMA query_only = 1} instead.
     */
    public static ExplicitTransactionDataSource create(ConnectionSettings settings) {
        return new ExplicitTransactionDataSource(settings, settings.readOnly() && walMode(settings));
    }

    /**
     * @return whether the file is in WAL mode, asked of SQLite (never read from Java: opening and closing
     *         the file here would drop this process's SQLite locks on it); a read-only connection that cannot
     *         even read the journal mode is in the WAL trouble {@link #create} avoids
     */
    static boolean walMode(ConnectionSettings settings) {
        SQLiteConfig probe = new SQLiteConfig();
        probe.setReadOnly(true);
        probe.setBusyTimeout(settings.busyTimeoutMillis());
        try (Connection c = probe.createConnection("jdbc:sqlite:" + settings.file());
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
            return rs.next() && "wal".equalsIgnoreCase(rs.getString(1));
        } catch (SQLException e) {
            return SqliteErrors.primaryCode(e) == SqliteErrors.SQLITE_READONLY;
        }
    }

    /** @return the settings every connection is opened with */
    public ConnectionSettings settings() {
        return settings;
    }

    /** @return whether writes are refused with {@code PRAGMA query_only} rather than the read-only open flag */
    boolean queryOnly() {
        return queryOnly;
    }

    /** @return a new connection: its transactions as {@link ExplicitTransactionConnection} describes */
    @Override
    public Connection getConnection() throws SQLException {
        Connection raw = JDBC.createConnection(url, properties);
        if (raw == null) {
            throw new SQLException("sqlite-jdbc did not accept " + url);
        }
        if (queryOnly) {
            try (Statement st = raw.createStatement()) {
                st.execute("PRAGMA query_only = 1");
            } catch (SQLException | RuntimeException e) {
                try {
                    raw.close();
                } catch (SQLException closeFailure) {
                    e.addSuppressed(closeFailure);
                }
                throw e;
            }
        }
        return new ExplicitTransactionConnection(raw, statistics, gate, settings.busyTimeoutMillis());
    }

    /** @return {@link #getConnection()}: a local file has no users; both arguments are ignored */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // a local file opens at once; kept because Hikari waits this long for its add-connection
        // executor when closing (0 makes it warn at every close)
        this.loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging parent logger");
    }

    /** @return this, or the {@link WriteLockStatistics} of its connections */
    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        if (type.isInstance(statistics)) {
            return type.cast(statistics);
        }
        throw new SQLException("not a wrapper for " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this) || type.isInstance(statistics);
    }

    @Override
    public String toString() {
        return "ExplicitTransactionDataSource[" + url + ", busyTimeout=" + settings.busyTimeoutMillis() + " ms"
                + ", foreignKeys=" + settings.foreignKeys() + ", readOnly=" + settings.readOnly()
                + (queryOnly ? " (query_only)" : "") + "]";
    }
}
