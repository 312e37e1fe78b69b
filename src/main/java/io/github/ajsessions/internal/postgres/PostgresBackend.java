package io.github.ajsessions.internal.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.internal.backend.Backend;
import io.github.ajsessions.internal.schema.SchemaManager;
import io.github.ajsessions.model.AjRowIdGenerator;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

/**
 * A PostgreSQL server behind the session API: a HikariCP pool over the driver (credentials as driver
 * properties, never in the pool's URL), the module's own migrations, and write transactions serialised
 * per database with a transaction-scoped advisory lock, as SQLite's {@code BEGIN IMMEDIATE} serialises
 * them per file: a find-or-create (check, then insert) cannot race, and appends from many instances
 * commit one after the other.
 */
public final class PostgresBackend implements Backend {

    /** The advisory lock key of the write transactions, shared with JPA's id generator. */
    static final long WRITE_LOCK_KEY = AjRowIdGenerator.POSTGRES_WRITE_LOCK_KEY;

    private final PgUrl url;

    private PostgresBackend(PgUrl url) {
        this.url = url;
    }

    /** An open pool over a migrated (or validated) schema. */
    public record Opened(PostgresBackend backend, PgUrl url, HikariDataSource pool, SchemaManager.Outcome schema) {
    }

    /**
     * Connects, then migrates or validates the schema per {@link StoreConfig#schemaMode()}.
     *
     * @throws io.github.ajsessions.core.DatabaseFileException unreachable server, refused credentials, no such database
     * @throws io.github.ajsessions.core.SchemaException       foreign tables, or a schema newer than this build
     */
    public static Opened open(StoreConfig config) {
        PgUrl url = PgUrl.parse(config.database());
        requireDriver();
        HikariDataSource pool = pool(url, config.maximumPoolSize(), config.busyTimeout(),
                config.schemaMode() == StoreConfig.SchemaMode.READ_ONLY, "aj-sessions(" + url + ")");
        try {
            SchemaManager.Outcome schema = PgSchema.prepare(pool, url.where(), config);
            return new Opened(new PostgresBackend(url), url, pool, schema);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * @throws IllegalStateException the optional PostgreSQL driver or Flyway's PostgreSQL support is not on the
     *                               class path
     */
    public static void requireDriver() {
        for (String[] needed : new String[][] {{"org.postgresql.Driver", "org.postgresql:postgresql"},
                {"org.flywaydb.database.postgresql.PostgreSQLDatabaseType", "org.flywaydb:flyway-database-postgresql"}}) {
            try {
                Class.forName(needed[0], false, PostgresBackend.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("a jdbc:postgresql: URL needs " + needed[1]
                        + " on the class path (an optional dependency of aj-sessions)", e);
            }
        }
    }

    /** A pool on {@code url} of at least 2 connections; fails at once, translated, when the server cannot be reached or refuses. */
    public static HikariDataSource pool(PgUrl url, int size, Duration busyTimeout, boolean readOnly, String name) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(name);
        hikari.setJdbcUrl(url.jdbcUrl());
        hikari.setDataSourceProperties(url.properties());
        // Flyway holds two connections while migrating (its lock, and the work)
        hikari.setMaximumPoolSize(Math.max(2, size));
        hikari.setMinimumIdle(1);
        hikari.setAutoCommit(true);
        hikari.setReadOnly(readOnly);
        hikari.setInitializationFailTimeout(1);
        hikari.setConnectionTimeout(Math.max(30_000L, busyTimeout.toMillis() + 5_000L));
        try {
            return new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw PgErrors.translate(e, url.where(), busyTimeout, "cannot connect to " + url.where());
        }
    }

    /** @return the server and database, without credentials */
    public PgUrl url() {
        return url;
    }

    @Override
    public boolean isPostgres() {
        return true;
    }

    @Override
    public WriteTx beginWrite(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement st = connection.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(" + WRITE_LOCK_KEY + ")");
        } catch (SQLException | RuntimeException e) {
            endQuietly(connection, e);
            throw e;
        }
        return new WriteTx() {
            private boolean ended;

            @Override
            public void commit() throws SQLException {
                connection.commit();
                ended = true;
                connection.setAutoCommit(true);
            }

            @Override
            public void close() throws SQLException {
                if (ended) {
                    return;
                }
                ended = true;
                connection.rollback();
                connection.setAutoCommit(true);
            }
        };
    }

    private static void endQuietly(Connection connection, Exception failure) {
        try {
            connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public RuntimeException translate(Throwable failure, Path where, Duration busyTimeout, String whatFailed) {
        return PgErrors.translate(failure, where, busyTimeout, whatFailed);
    }

    @Override
    public String journalMode(DataSource dataSource) {
        return "postgresql";
    }

    /**
     * {@code setval} of each table's identity sequence to the table's highest id, when that lies above the
     * sequence's last value: an identity column ({@code GENERATED BY DEFAULT}) does not move its sequence
     * when a row is inserted with an id of its own, so without this the next {@code nextval} would hand out
     * an id the import already used.
     */
    @Override
    public void followKeptIds(Connection connection, List<String> tables) throws SQLException {
        for (String table : tables) {
            if (!PgSchema.TABLES.contains(table)) {
                throw new IllegalArgumentException("not one of the module's tables: " + table);
            }
            try (Statement st = connection.createStatement()) {
                st.execute("SELECT setval(s, m) FROM (SELECT pg_get_serial_sequence('" + table + "', 'id') AS s,"
                        + " (SELECT max(id) FROM " + table + ") AS m) AS kept"
                        + " WHERE m > coalesce(pg_sequence_last_value(CAST(s AS regclass)), 0)");
            }
        }
    }
}
