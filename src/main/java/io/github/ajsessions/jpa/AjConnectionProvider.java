package io.github.ajsessions.jpa;

import com.zaxxer.hikari.HikariDataSource;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.internal.bootstrap.EntityManagerFactories;
import io.github.ajsessions.internal.postgres.PgUrl;
import io.github.ajsessions.internal.postgres.PostgresBackend;
import io.github.ajsessions.internal.schema.PreparedPool;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.service.UnknownUnwrapTypeException;
import org.hibernate.service.spi.Configurable;
import org.hibernate.service.spi.Stoppable;

/**
 * The connection provider of the {@code aj-sessions} persistence unit ({@code META-INF/persistence.xml}),
 * so that a plain JPA application gets what {@link io.github.ajsessions.api.SessionStore#open} does:
 * the same file resolution, the same Hikari pool (foreign keys on every connection, busy timeout,
 * IMMEDIATE write transactions) and the same migration or adoption, which runs here, before Hibernate
 * validates the entities.
 *
 * <p>Properties (all optional):
 * <ul>
 *   <li>{@code jakarta.persistence.jdbc.url} (or {@code hibernate.connection.url}): a path,
 *       {@code jdbc:sqlite:} or {@code file:} URL; absent, the file is found as aj finds it. Or a
 *       {@code jdbc:postgresql:} URL, with {@code hibernate.dialect} set to PostgreSQL's: the server's
 *       schema is then made or checked by the module's PostgreSQL migrations</li>
 *   <li>{@value #BUSY_TIMEOUT} (milliseconds), {@value #MAXIMUM_POOL_SIZE}, {@value #SCHEMA_MODE}
 *       ({@code MIGRATE}, {@code VALIDATE}, {@code READ_ONLY}), {@value #JOURNAL_MODE} ({@code KEEP},
 *       {@code WAL}, {@code DELETE}), {@value #AJ_CONFIG_FILE}: as in {@link StoreConfig}, same defaults</li>
 * </ul>
 */
public class AjConnectionProvider implements ConnectionProvider, Configurable, Stoppable {

    private static final long serialVersionUID = 1L;

    /** Busy timeout in milliseconds; default 5000. */
    public static final String BUSY_TIMEOUT = "aj_sessions.busy_timeout";
    /** Pool size; default 4. */
    public static final String MAXIMUM_POOL_SIZE = "aj_sessions.maximum_pool_size";
    /** {@code MIGRATE} (default), {@code VALIDATE} or {@code READ_ONLY}. */
    public static final String SCHEMA_MODE = "aj_sessions.schema_mode";
    /** {@code KEEP} (default), {@code WAL} or {@code DELETE}. */
    public static final String JOURNAL_MODE = "aj_sessions.journal_mode";
    /** aj's {@code config.yaml}, consulted when no URL is given; default: the platform's. */
    public static final String AJ_CONFIG_FILE = "aj_sessions.aj_config_file";

    private transient HikariDataSource pool;
    private transient Path file;
    private transient StoreConfig config;

    @Override
    public void configure(Map<String, Object> settings) {
        String url = text(settings, "jakarta.persistence.jdbc.url");
        if (url == null) {
            url = text(settings, "hibernate.connection.url");
        }
        boolean postgres = PgUrl.accepts(url);
        if (url != null && url.startsWith("jdbc:") && !url.startsWith("jdbc:sqlite:") && !postgres) {
            // without the parameters: they may hold a password
            int q = url.indexOf('?');
            throw new IllegalArgumentException("persistence unit " + EntityManagerFactories.UNIT
                    + " works on aj's SQLite file or a PostgreSQL server; jakarta.persistence.jdbc.url was '"
                    + (q < 0 ? url : url.substring(0, q) + "?...") + "'");
        }
        if (postgres && "io.github.ajsessions.dialect.AjSqliteDialect".equals(text(settings, "hibernate.dialect"))) {
            throw new IllegalArgumentException("persistence unit " + EntityManagerFactories.UNIT + " on a PostgreSQL"
                    + " URL needs hibernate.dialect = " + PostgreSQLDialect.class.getName() + " (the unit names SQLite's)");
        }
        StoreConfig.Builder builder = StoreConfig.builder().database(url);
        String value = text(settings, BUSY_TIMEOUT);
        if (value != null) {
            builder.busyTimeout(Duration.ofMillis(number(BUSY_TIMEOUT, value)));
        }
        value = text(settings, MAXIMUM_POOL_SIZE);
        if (value != null) {
            builder.maximumPoolSize((int) number(MAXIMUM_POOL_SIZE, value));
        }
        value = text(settings, SCHEMA_MODE);
        if (value != null) {
            builder.schemaMode(choice(StoreConfig.SchemaMode.class, SCHEMA_MODE, value));
        }
        value = text(settings, JOURNAL_MODE);
        if (value != null) {
            builder.journalMode(choice(StoreConfig.JournalMode.class, JOURNAL_MODE, value));
        }
        value = text(settings, AJ_CONFIG_FILE);
        if (value != null) {
            builder.ajConfigFile(Path.of(value));
        }
        config = builder.build();
        // the same steps as SessionStore.open
        if (postgres) {
            PostgresBackend.Opened opened = PostgresBackend.open(config);
            file = opened.url().where();
            pool = opened.pool();
            return;
        }
        PreparedPool prepared = PreparedPool.open(config);
        file = prepared.location().file();
        pool = prepared.pool();
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (pool == null) {
            throw new SQLException("the aj-sessions connection provider is not configured or was stopped");
        }
        return pool.getConnection();
    }

    @Override
    public void closeConnection(Connection connection) throws SQLException {
        connection.close();
    }

    @Override
    public boolean supportsAggressiveRelease() {
        return false;
    }

    @Override
    public void stop() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }

    /** @return the database file this provider opened (on PostgreSQL: the server's path-shaped name) */
    public Path file() {
        return file;
    }

    @Override
    public boolean isUnwrappableAs(Class<?> type) {
        return type.isInstance(this) || (pool != null && type.isInstance(pool));
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        if (pool != null && type.isInstance(pool)) {
            return type.cast(pool);
        }
        throw new UnknownUnwrapTypeException(type);
    }

    private static String text(Map<String, Object> settings, String key) {
        Object value = settings.get(key);
        if (value == null) {
            return null;
        }
        String text = value.toString().trim();
        return text.isEmpty() ? null : text;
    }

    private static long number(String key, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, was '" + value + "'", e);
        }
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String key, String value) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " must be one of " + java.util.Arrays.toString(
                    type.getEnumConstants()) + ", was '" + value + "'", e);
        }
    }
}
