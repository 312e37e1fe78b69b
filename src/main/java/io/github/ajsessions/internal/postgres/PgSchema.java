package io.github.ajsessions.internal.postgres;

import io.github.ajsessions.core.SchemaException;
import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.internal.schema.SchemaManager;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The module's schema on a PostgreSQL server, in the connection's current schema ({@code search_path};
 * {@code currentSchema} in the URL picks another): created and upgraded by the module's own Flyway
 * migrations ({@link #LOCATION}, history table {@link SchemaManager#HISTORY_TABLE}), never by
 * Hibernate. Refuses, before writing anything, a schema that holds tables of these names not made
 * here, and one migrated by a newer build.
 */
public final class PgSchema {

    /** The PostgreSQL migrations: a folder of their own, outside the SQLite migrations' folder (Flyway scans recursively). */
    public static final String LOCATION = "classpath:io/github/ajsessions/postgresql/migration";
    /** The newest PostgreSQL migration of this build. */
    public static final int LATEST_VERSION = 1;
    /** The tables the migrations create. */
    static final List<String> TABLES = List.of("conversations", "messages", "awful_configs", "aj_sessions_origins");

    private PgSchema() {
    }

    /** Identifies, then migrates (MIGRATE) or only checks (VALIDATE, READ_ONLY) the schema. */
    public static SchemaManager.Outcome prepare(DataSource dataSource, Path where, StoreConfig config) {
        int version;
        try (Connection c = dataSource.getConnection()) {
            boolean history = tableExists(c, SchemaManager.HISTORY_TABLE);
            List<String> present = new ArrayList<>();
            for (String table : TABLES) {
                if (tableExists(c, table)) {
                    present.add(table);
                }
            }
            if (!history && !present.isEmpty()) {
                throw new SchemaException(where, "the database " + where + " (schema " + currentSchema(c)
                        + ") holds tables that aj-sessions did not create (" + String.join(", ", present)
                        + "); give another database or currentSchema=... in the URL", present, null);
            }
            version = history ? appliedVersion(c) : 0;
        } catch (SQLException e) {
            throw PgErrors.translate(e, where, config.busyTimeout(), "cannot read the schema of " + where);
        }
        if (version > LATEST_VERSION) {
            throw new SchemaException(where, "the schema of " + where + " is version " + version
                    + ", newer than this build knows (" + LATEST_VERSION + "); upgrade aj-sessions", List.of(), null);
        }
        if (config.schemaMode() != StoreConfig.SchemaMode.MIGRATE) {
            if (version < LATEST_VERSION) {
                throw new SchemaException(where, "the schema of " + where + " is version " + version + ", this build"
                        + " needs " + LATEST_VERSION + "; open it once with schema mode MIGRATE", List.of(), null);
            }
            return new SchemaManager.Outcome(SchemaVariant.AJ_SESSIONS, version, List.of());
        }
        try {
            MigrateResult result = Flyway.configure(PgSchema.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations(LOCATION)
                    .table(SchemaManager.HISTORY_TABLE)
                    .failOnMissingLocations(true)
                    .validateMigrationNaming(true)
                    .load()
                    .migrate();
            List<String> applied = new ArrayList<>();
            result.migrations.forEach(m -> applied.add(m.version + " " + m.description));
            return new SchemaManager.Outcome(SchemaVariant.AJ_SESSIONS, LATEST_VERSION, applied);
        } catch (RuntimeException e) {
            throw PgErrors.translate(e, where, config.busyTimeout(), "cannot migrate " + where);
        }
    }

    static boolean tableExists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(quote_ident(current_schema()) || '.' || ?)"
                + " IS NOT NULL")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static String currentSchema(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT current_schema()"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static int appliedVersion(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(CAST(version AS integer)), 0) FROM "
                + SchemaManager.HISTORY_TABLE + " WHERE success AND version IS NOT NULL");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
