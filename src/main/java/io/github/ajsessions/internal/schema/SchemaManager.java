package io.github.ajsessions.internal.schema;

import io.github.ajsessions.core.DatabaseFileException;
import io.github.ajsessions.core.DatabaseLockedException;
import io.github.ajsessions.core.SchemaException;
import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.core.StoreConfig.SchemaMode;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.internal.bootstrap.WriteTransaction;
import io.github.ajsessions.internal.errors.SqliteErrors;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Identifies the file, then migrates, adopts or refuses it, before any entity touches it.
 *
 * <p>Migrations live under {@link #LOCATION} with their own history table {@link #HISTORY_TABLE}, so
 * that a host application's Flyway on {@code classpath:db/migration} neither runs nor sees them.
 */
public final class SchemaManager {

    /** Where the module's migrations are (not Flyway's default location). */
    public static final String LOCATION = "classpath:io/github/ajsessions/migration";
    /** The module's Flyway history table, beside aj's tables. */
    public static final String HISTORY_TABLE = "aj_sessions_schema_history";
    /** The newest migration this build has. */
    public static final int LATEST_VERSION = 2;

    /** What preparing the schema found and did. */
    public record Outcome(SchemaVariant variant, int version, List<String> applied) {
    }

    private SchemaManager() {
    }

    /**
     * @param whereAjLooks one line on where aj's config points, for the "tables missing" message
     * @throws SchemaException when the file is foreign, an unknown variant, or newer than this build
     */
    public static Outcome prepare(DataSource dataSource, Path file, StoreConfig config, String whereAjLooks) {
        SchemaInspector.Inspection inspection;
        int version;
        try (Connection c = dataSource.getConnection()) {
            inspection = SchemaInspector.inspect(c);
            version = appliedVersion(c);
        } catch (SQLException e) {
            // a corrupt or truncated file fails here first: report it as such, not as a lifecycle error
            throw SqliteErrors.translate(e, file, config.busyTimeout(), "cannot read the schema of " + file);
        }
        if (inspection.foreign()) {
            throw new SchemaException(file, "no aj tables (conversations, messages, awful_configs) in " + file
                    + "; it holds other tables " + inspection.tables() + ". Is it the right file? " + whereAjLooks,
                    List.of(), null);
        }
        if (!inspection.known()) {
            throw new SchemaException(file, "the schema of " + file + " is not one of aj's known variants"
                    + " (aj-init, diesel-cli, docs-option-c); nothing was changed. Differences from the closest",
                    inspection.differences(), null);
        }
        if (version > LATEST_VERSION) {
            throw new SchemaException(file, file + " was migrated by a newer aj-sessions (schema version " + version
                    + ", this build knows up to " + LATEST_VERSION + "); upgrade aj-sessions", List.of(), null);
        }
        SchemaVariant variant = inspection.variant();
        if (variant == SchemaVariant.EMPTY && version > 0) {
            // Flyway would not run V1 again, and Hibernate would only say "missing table"
            throw new SchemaException(file, "aj's tables are gone from " + file + " although its history ("
                    + HISTORY_TABLE + ") says schema version " + version + "; " + whereAjLooks
                    + ". Restore the file from a backup, or delete it and run `aj init`", List.of(), null);
        }
        if (config.schemaMode() != SchemaMode.MIGRATE) {
            if (variant == SchemaVariant.EMPTY) {
                throw new SchemaException(file, "no aj tables in " + file + " (an empty database); " + whereAjLooks
                        + ". Run `aj init`, or open it with schema mode MIGRATE to create them", List.of(), null);
            }
            return new Outcome(variant, version, List.of());
        }
        if (version == LATEST_VERSION) {
            // up to date: skip Flyway's start-up, which costs more in a fresh JVM than the rest of the check
            return new Outcome(variant, version, List.of());
        }
        return migrate(dataSource, file, config, variant, version);
    }

    private static Outcome migrate(DataSource dataSource, Path file, StoreConfig config, SchemaVariant variant,
                                   int version) {
        Flyway flyway = Flyway.configure(SchemaManager.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                .baselineVersion("1")
                .baselineDescription("adopted " + variant.name().toLowerCase(Locale.ROOT).replace('_', '-')
                        + " schema")
                .cleanDisabled(true)
                .validateMigrationNaming(true)
                .load();
        // Flyway retries creating its history table for about 10 s when another process holds the write
        // lock (aj in the middle of a turn) and then reports a migration failure; wait the busy timeout
        // for the lock first, and report a lock as a lock
        try (Connection c = dataSource.getConnection()) {
            WriteTransaction.immediate(c).close(); // waits up to the busy timeout for the lock, then lets it go
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, file, config.busyTimeout(), "cannot write to " + file);
        }
        List<String> applied = new ArrayList<>();
        try {
            if (variant != SchemaVariant.EMPTY && version == 0) {
                // aj's tables exist and Flyway has never seen the file: adopt them as V1, never re-create
                flyway.baseline();
                applied.add("1 (baseline: adopted the existing " + variant.description() + " schema)");
            }
            MigrateResult result = flyway.migrate();
            result.migrations.forEach(m -> applied.add(m.version + " " + m.description));
        } catch (FlywayException e) {
            // another process (aj, sqlite3) held the lock past the busy timeout: say so, not "migration failed"
            RuntimeException translated = SqliteErrors.translate(e, file, config.busyTimeout(), null);
            if (translated instanceof DatabaseLockedException || translated instanceof DatabaseFileException) {
                throw translated;
            }
            throw new SchemaException(file, "migrating " + file + " failed: " + e.getMessage().lines().findFirst()
                    .orElse(""), List.of(), e);
        }
        return new Outcome(variant == SchemaVariant.EMPTY ? SchemaVariant.AJ_SESSIONS : variant, LATEST_VERSION,
                applied);
    }

    /** @return the highest successful version in the history table, 0 when there is none */
    public static int appliedVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '"
                     + HISTORY_TABLE + "'")) {
            if (!rs.next() || rs.getInt(1) == 0) {
                return 0;
            }
        }
        int max = 0;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version, success FROM " + HISTORY_TABLE
                     + " WHERE version IS NOT NULL")) {
            while (rs.next()) {
                int v;
                try {
                    v = Integer.parseInt(rs.getString(1).trim());
                } catch (NumberFormatException e) {
                    continue;
                }
                if (rs.getInt(2) == 0) {
                    return -v; // a failed migration: let Flyway report it
                }
                max = Math.max(max, v);
            }
        }
        return max;
    }
}
