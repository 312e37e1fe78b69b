package io.github.ajsessions.spring;

import io.github.ajsessions.core.DatabaseFileException;
import io.github.ajsessions.core.DatabaseLocation;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.dialect.AjSqliteDialect;
import io.github.ajsessions.internal.postgres.PgUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * Spring Boot auto-configuration of aj-sessions. With the jar on the class path and, at most,
 * {@code aj.sessions.database} set, the application gets:
 *
 * <ul>
 *   <li>a {@link SessionStore} bean, opened as {@link SessionStore#open} opens it (the file found,
 *       identified, adopted or migrated, or refused with the same one-line exception), closed on
 *       shutdown. A missing file fails the start unless {@code aj.sessions.create-if-missing=true};</li>
 *   <li>its pool as the application's {@link DataSource} (foreign keys on, the busy timeout, write
 *       transactions that begin {@code IMMEDIATE}), unless the application defines a DataSource or sets
 *       {@code spring.datasource.url}. A DataSource of the application's that opens aj's file directly is
 *       refused at startup, with what to do instead;</li>
 *   <li>when the application's DataSource is the store's pool: aj's entities added to the persistence
 *       unit, {@link AjSqliteDialect}, {@code ddl-auto} validate (anything that would alter the schema is
 *       refused), {@code jdbc_metadata_extraction_strategy=individually},
 *       {@code hibernate.jdbc.batch_size=32} unless the application sets its own, and
 *       {@link AjSqliteExceptionTranslator} for {@code JdbcTemplate} and JPA;</li>
 *   <li>Spring Boot's Flyway migration (present because this module uses Flyway) never runs on aj's
 *       file; Liquibase is refused there. Both keep working on a database of the application's own;</li>
 *   <li>with Actuator, the {@code ajSessions} health indicator ({@link AjSessionsHealthIndicator}).</li>
 * </ul>
 *
 * <p>Switches: {@code aj.sessions.enabled}, {@code aj.sessions.data-source}, {@code aj.sessions.jpa},
 * {@code management.health.ajsessions.enabled}.
 *
 * <p>With {@code aj.sessions.database} a {@code jdbc:postgresql:} URL (credentials as URL parameters,
 * {@code aj.sessions.username}/{@code aj.sessions.password}, {@code PGUSER}/{@code PGPASSWORD} or
 * {@code ~/.pgpass}) the same beans run on the server: the store migrates the module's PostgreSQL schema,
 * Hibernate picks PostgreSQL's dialect (a SQLite dialect in the application's settings is refused) and
 * validates, {@link AjPostgresExceptionTranslator} translates by SQLSTATE, and the health indicator reports
 * the server. There is no file: no missing-file check, journal mode, {@code quick_check} or lock probe.
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
        "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration"})
@ConditionalOnBooleanProperty(name = AjSessionsProperties.PREFIX + ".enabled", matchIfMissing = true)
@EnableConfigurationProperties(AjSessionsProperties.class)
public class AjSessionsAutoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(AjSessionsAutoConfiguration.class);

    /**
     * {@code hibernate.jdbc.batch_size} set on aj's file unless the application sets its own: the inserts
     * of one flush (a user message and its reply) go to SQLite in one JDBC batch.
     */
    static final int DEFAULT_JDBC_BATCH_SIZE = 32;

    /** Hibernate schema actions that leave the schema alone. */
    private static final Set<String> READ_ONLY_DDL = Set.of("none", "validate");

    /**
     * The store, opened with the properties' settings.
     *
     * @throws io.github.ajsessions.core.AjSessionsException as {@link SessionStore#open} does, and
     *         {@link DatabaseFileException} for a missing file unless {@code create-if-missing} is set
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public SessionStore ajSessionStore(AjSessionsProperties properties) {
        StoreConfig config = properties.toStoreConfig();
        if (!properties.isCreateIfMissing() && config.schemaMode() == StoreConfig.SchemaMode.MIGRATE
                && !PgUrl.accepts(config.database())) {
            refuseMissingFile(DatabaseLocation.resolve(config.database(), config.ajConfigFile()));
        }
        SessionStore store = SessionStore.open(config);
        LOG.info("aj-sessions: {} ({}, schema version {})", store.info().location().describe(),
                store.info().variant(), store.info().schemaVersion());
        return store;
    }

    /** @return the translator of the store's backend: {@link AjSqliteExceptionTranslator} or {@link AjPostgresExceptionTranslator} */
    static SQLExceptionTranslator exceptionTranslator(SessionStore store) {
        return AjDataSources.isPostgres(store)
                ? new AjPostgresExceptionTranslator(store.file(), store.config().busyTimeout())
                : new AjSqliteExceptionTranslator(store.file(), store.config().busyTimeout());
    }

    /**
     * Refuses, before anything is created, a missing file in an existing folder (a missing folder is
     * {@link SessionStore#open}'s own refusal).
     */
    static void refuseMissingFile(DatabaseLocation location) {
        Path file = location.file();
        Path parent = file.getParent();
        if (parent != null && Files.isDirectory(parent) && !Files.exists(file)) {
            throw new DatabaseFileException(file, DatabaseFileException.Problem.NOT_FOUND, "database " + location.describe()
                    + " does not exist (set aj.sessions.database to aj's file, or aj.sessions.create-if-missing=true"
                    + " to create it with aj's schema)", null);
        }
    }

    /** Refuses other ways into aj's file, and sets the application's JPA up when it runs on the store. */
    @Bean
    static AjSessionsPostProcessor ajSessionsPostProcessor(ObjectProvider<SessionStore> store,
                                                           ObjectProvider<DataSource> dataSource,
                                                           ApplicationContext context) {
        boolean jpa = context.getEnvironment().getProperty(AjSessionsProperties.PREFIX + ".jpa", Boolean.class, true);
        return new AjSessionsPostProcessor(store, dataSource, jpa);
    }

    /** The store's pool as the application's DataSource. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.jdbc.support.SQLExceptionTranslator")
    @ConditionalOnBooleanProperty(name = AjSessionsProperties.PREFIX + ".data-source", matchIfMissing = true)
    @ConditionalOnMissingBean(DataSource.class)
    @Conditional(NoDataSourceUrl.class)
    static class StoreDataSourceConfiguration {

        /** The store's pool; the store closes it. */
        @Bean(destroyMethod = "")
        DataSource dataSource(SessionStore store) {
            return store.dataSource();
        }

        /** SQLite's result codes, or PostgreSQL's SQLSTATEs, in Spring's exception hierarchy. */
        @Bean
        @ConditionalOnMissingBean(SQLExceptionTranslator.class)
        SQLExceptionTranslator ajSqliteExceptionTranslator(SessionStore store) {
            return exceptionTranslator(store);
        }
    }

    /** Hibernate's settings for aj's file, when the application's JPA runs on the store's pool. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer")
    @ConditionalOnBooleanProperty(name = AjSessionsProperties.PREFIX + ".jpa", matchIfMissing = true)
    static class JpaConfiguration {

        @Bean
        HibernatePropertiesCustomizer ajSessionsHibernateProperties(SessionStore store,
                                                                    ObjectProvider<DataSource> dataSource) {
            return properties -> {
                DataSource used = dataSource.getIfUnique();
                if (used != null && AjDataSources.isStorePool(used, store)) {
                    if (AjDataSources.isPostgres(store)) {
                        customizePostgres(properties, store.file());
                    } else {
                        customize(properties, store.file());
                    }
                }
            };
        }

        static void customize(Map<String, Object> properties, Path file) {
            Object dialect = properties.get("hibernate.dialect");
            if (dialect == null || String.valueOf(dialect).equals("org.hibernate.community.dialect.SQLiteDialect")) {
                properties.put("hibernate.dialect", AjSqliteDialect.class.getName());
            }
            // Why batch: messages and snapshots get their ids before the insert, so Hibernate can batch their
            // inserts without reordering them (hibernate.order_inserts stays off); sqlite-jdbc runs a batch as
            // one loop over the compiled statement, skipping the SELECT last_insert_rowid() it runs after every
            // single INSERT for getGeneratedKeys. A failing row still fails with SQLite's code (sqlite-jdbc
            // throws its SQLiteException from the batch), so the translation is the same.
            properties.putIfAbsent("hibernate.jdbc.batch_size", DEFAULT_JDBC_BATCH_SIZE);
            validateOnly(properties, file);
        }

        /**
         * On a PostgreSQL server: Hibernate's own PostgreSQL dialect, which Hibernate picks from the
         * connection when none is named (naming it is deprecated); a SQLite dialect left over in the
         * application's settings is refused. Validation as on SQLite.
         */
        static void customizePostgres(Map<String, Object> properties, Path where) {
            Object dialect = properties.get("hibernate.dialect");
            String name = dialect instanceof Class<?> type ? type.getName() : String.valueOf(dialect);
            if (dialect != null && name.toLowerCase(Locale.ROOT).contains("sqlite")) {
                throw new IllegalStateException("the Hibernate dialect " + name + " is SQLite's, but aj.sessions.database"
                        + " is the PostgreSQL server " + where + ": remove spring.jpa.database-platform (or"
                        + " spring.jpa.properties.hibernate.dialect); Hibernate then picks PostgreSQL's");
            }
            validateOnly(properties, where);
        }

        private static void validateOnly(Map<String, Object> properties, Path file) {
            Object ddl = properties.get("hibernate.hbm2ddl.auto");
            if (ddl != null && !READ_ONLY_DDL.contains(String.valueOf(ddl).trim().toLowerCase(Locale.ROOT))) {
                throw new IllegalStateException("spring.jpa.hibernate.ddl-auto=" + ddl + " would let Hibernate change"
                        + " aj's tables in " + file + "; aj-sessions creates and migrates that schema: remove the"
                        + " setting (Hibernate then validates the entities) or set it to validate");
            }
            // the standard JPA spelling of the same thing, passed through spring.jpa.properties
            for (String key : new String[] {"jakarta.persistence.schema-generation.database.action",
                    "javax.persistence.schema-generation.database.action"}) {
                Object action = properties.get(key);
                if (action != null && !READ_ONLY_DDL.contains(String.valueOf(action).trim().toLowerCase(Locale.ROOT))) {
                    throw new IllegalStateException("spring.jpa.properties." + key + "=" + action + " would let"
                            + " Hibernate change aj's tables in " + file + "; aj-sessions creates and migrates that"
                            + " schema: remove the setting");
                }
            }
            properties.put("hibernate.hbm2ddl.auto", "validate");
            // the grouped default reads every table of the file and fails on the typeless columns of the FTS5
            // search index (NoSuchElementException); only the mapped tables need reading
            properties.put("hibernate.hbm2ddl.jdbc_metadata_extraction_strategy", "individually");
        }
    }

    /** Keeps Spring Boot's Flyway migration off aj's file. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.flywaydb.core.Flyway",
            "org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy"})
    static class FlywayConfiguration {

        @Bean
        @ConditionalOnMissingBean
        FlywayMigrationStrategy ajSessionsFlywayMigrationStrategy(ObjectProvider<SessionStore> store) {
            return new GuardedFlywayMigration(store, Flyway::migrate);
        }

        /** Puts the same guard around a migration strategy of the application's own. */
        @Bean
        static BeanPostProcessor ajSessionsFlywayStrategyGuard(ObjectProvider<SessionStore> store) {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    if (bean instanceof FlywayMigrationStrategy && !(bean instanceof GuardedFlywayMigration)) {
                        return new GuardedFlywayMigration(store, (FlywayMigrationStrategy) bean);
                    }
                    return bean;
                }
            };
        }
    }

    /** The health indicator, with Actuator's health support present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnEnabledHealthIndicator("ajsessions")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "ajSessionsHealthIndicator")
        AjSessionsHealthIndicator ajSessionsHealthIndicator(SessionStore store) {
            return new AjSessionsHealthIndicator(store);
        }
    }

    /** Matches when the application does not configure {@code spring.datasource.url}. */
    static class NoDataSourceUrl extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String url = context.getEnvironment().getProperty("spring.datasource.url");
            return url == null || url.isBlank() ? ConditionOutcome.match("no spring.datasource.url")
                    : ConditionOutcome.noMatch("spring.datasource.url is set: the application's own DataSource");
        }
    }
}
