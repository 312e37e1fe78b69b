package io.github.ajsessions.spring;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.api.StoreInfo;
import io.github.ajsessions.internal.errors.SqliteErrors;
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
 * output holds no row data and no API key.
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
        Health.Builder health = new Health.Builder().withDetail("file", store.file().toString());
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
