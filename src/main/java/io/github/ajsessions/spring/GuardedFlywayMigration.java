package io.github.ajsessions.spring;

import io.github.ajsessions.api.SessionStore;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;

/**
 * Spring Boot's Flyway migration, kept off aj's file. Boot starts its Flyway whenever flyway-core is on
 * the class path, which this module puts there, and would then either refuse aj's non-empty schema
 * ("Found non-empty schema(s) main but no schema history table") or write the application's history
 * table into aj's file. aj's schema is this module's to migrate, with its own history table.
 *
 * <ul>
 *   <li>Flyway on the store's pool (the application's DataSource is the store's, Boot's default wiring):
 *       skipped, with one line in the log;</li>
 *   <li>Flyway on another connection to aj's file (e.g. {@code spring.flyway.url=jdbc:sqlite:...aj.db}):
 *       refused at startup;</li>
 *   <li>Flyway on any other database: the delegate runs as it would have.</li>
 * </ul>
 */
final class GuardedFlywayMigration implements FlywayMigrationStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedFlywayMigration.class);

    private final ObjectProvider<SessionStore> store;
    private final FlywayMigrationStrategy delegate;

    GuardedFlywayMigration(ObjectProvider<SessionStore> store, FlywayMigrationStrategy delegate) {
        this.store = store;
        this.delegate = delegate;
    }

    @Override
    public void migrate(Flyway flyway) {
        SessionStore aj = store.getIfAvailable();
        DataSource target = flyway.getConfiguration().getDataSource();
        if (aj != null && target != null) {
            if (AjDataSources.isStorePool(target, aj)) {
                LOG.info("Spring Boot's Flyway migration does not run on aj's database {}: aj-sessions migrates it"
                        + " (history table aj_sessions_schema_history). For migrations of your own, point"
                        + " spring.flyway.url at your application's database.", aj.file());
                return;
            }
            if (AjDataSources.opensStoreFileDirectly(target, aj)) {
                throw new IllegalStateException("Spring Boot's Flyway is configured to migrate aj's file " + aj.file()
                        + " (" + AjDataSources.jdbcUrl(target) + "): its history table and migrations must not go"
                        + " into aj's file, which aj-sessions migrates. Point spring.flyway.url at your application's"
                        + " own database, or set spring.flyway.enabled=false");
            }
        }
        delegate.migrate(flyway);
    }
}
