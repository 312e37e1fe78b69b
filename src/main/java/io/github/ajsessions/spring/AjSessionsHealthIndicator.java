package io.github.ajsessions.spring;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.api.StoreInfo;
import io.github.ajsessions.internal.errors.SqliteErrors;
import io.github.ajsessions.internal.postgres.PgErrors;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.sqlite.SQLiteConfig;

/**
 * Actuator health of aj's file: reachable, the schema variant and version, the journal mode, SQLite's
 * {@code quick_check}, and whether another connection holds an exclusive lock right now. Up when the
 * file answers and {@code quick_check} says {@code ok}; down otherwise, with the error's one line. Its
 * output holds no row data and no API key. Detail {@code backend} is {@code sqlite}.
 *
 * <p>On a PostgreSQL server ({@code backend} {@code postgresql}): the server as {@code database}
 * ({@code host:port/database}, no user, password or other URL parameter), its version, the schema the
 * tables are in, the schema variant and version; up when the server answers through the store's pool.
 *
 * <p>The lock probe only reads (one statement, busy timeout 0, on a connection of its own): it sees an
 * exclusive lock (a commit in progress in another process, which holds every reader off). It does not
 * take the write lock to look for a pending write transaction, since aj, which has no busy timeout,
 * would fail if it tried to write at that moment.
 */
public class AjSessionsHealthIndicator implements HealthIndicator {

    /** Most problems {@code quick_check} reports in the health details. */
    static final int QUICK_CHECK_LIMIT = 3;

    private final SessionStore store;

    /** @param store the store whose file is checked */
    public AjSessionsHealthIndicator(SessionStore store) {
        this.store = store;
    }

    @Override
    public Health health() {
        return AjDataSources.isPostgres(store) ? serverHealth() : fileHealth();
    }

    /**
     * A PostgreSQL server: reachable through the store's pool, the server's version, the schema the tables
     * are in, and the module's schema version. No quick check or lock probe: the server keeps its own
     * integrity, and a lock there makes a writer wait, not fail.
     */
    private Health serverHealth() {
        Health.Builder health = new Health.Builder().withDetail("backend", "postgresql")
                .withDetail("database", store.file().toString());
        try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_setting('server_version'), current_schema()")) {
            rs.next();
            StoreInfo info = store.info();
            health.withDetail("serverVersion", rs.getString(1)).withDetail("schema", String.valueOf(rs.getString(2)))
                    .withDetail("variant", info.variant().name()).withDetail("schemaVersion", info.schemaVersion());
            return health.up().build();
        } catch (SQLException | RuntimeException e) {
            RuntimeException translated = PgErrors.translate(e, store.file(), store.config().busyTimeout(),
                    "cannot check " + store.file());
            return health.down().withDetail("error", String.valueOf(translated.getMessage())).build();
        }
    }

    private Health fileHealth() {
        Health.Builder health = new Health.Builder().withDetail("backend", "sqlite")
                .withDetail("file", store.file().toString());
        try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement()) {
            StoreInfo info = store.info();
            health.withDetail("variant", info.variant().name()).withDetail("schemaVersion", info.schemaVersion())
                    .withDetail("journalMode", info.journalMode());
            List<String> problems = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("PRAGMA quick_check(" + QUICK_CHECK_LIMIT + ")")) {
                while (rs.next()) {
                    problems.add(rs.getString(1));
                }
            }
            boolean ok = problems.equals(List.of("ok"));
            health.withDetail("quickCheck", ok ? "ok" : problems);
            health.withDetail("lock", lockState());
            return (ok ? health.up() : health.down()).build();
        } catch (SQLException | RuntimeException e) {
            RuntimeException translated = SqliteErrors.translate(e, store.file(), store.config().busyTimeout(),
                    "cannot check " + store.file());
            // the message only: the exception's chain may quote a statement, never useful on a health page
            return health.down().withDetail("error", String.valueOf(translated.getMessage())).build();
        }
    }

    private String lockState() {
        SQLiteConfig probe = new SQLiteConfig();
        probe.setBusyTimeout(0);
        try (Connection c = probe.createConnection("jdbc:sqlite:" + store.file()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master")) {
            rs.next();
            return "none";
        } catch (SQLException e) {
            int code = SqliteErrors.primaryCode(e);
            if (code == SqliteErrors.SQLITE_BUSY || code == SqliteErrors.SQLITE_LOCKED) {
                return "exclusive (another connection is committing)";
            }
            return "unknown: " + e.getMessage();
        }
    }
}
