package io.github.ajsessions.spring;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.model.AwfulConfig;
import io.github.ajsessions.model.Conversation;
import io.github.ajsessions.model.Message;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.ClassUtils;

/**
 * Watches the beans that could reach aj's file around the store, and the JPA beans that must know it.
 *
 * <ul>
 *   <li>a {@link DataSource} of the application's that opens aj's file directly (a {@code jdbc:sqlite:}
 *       URL of it): refused, since its connections would have foreign keys off, sqlite-jdbc's busy
 *       timeout and deferred write transactions;</li>
 *   <li>Liquibase on aj's file: refused (it would write its changelog tables there);</li>
 *   <li>when the application's DataSource is the store's pool: aj's entity classes are added to the
 *       persistence unit's managed types (next to the application's own) and Hibernate's JPA dialect
 *       translates SQLite's codes with {@link AjSqliteExceptionTranslator} (PostgreSQL's SQLSTATEs with
 *       {@link AjPostgresExceptionTranslator} when the store is on a server).</li>
 * </ul>
 */
final class AjSessionsPostProcessor implements BeanPostProcessor {

    private static final List<String> ENTITIES = List.of(Conversation.class.getName(), Message.class.getName(),
            AwfulConfig.class.getName());
    private static final String PERSISTENCE_MANAGED_TYPES =
            "org.springframework.orm.jpa.persistenceunit.PersistenceManagedTypes";
    private static final String HIBERNATE_VENDOR_ADAPTER = "org.springframework.orm.jpa.vendor.HibernateJpaVendorAdapter";
    private static final String SPRING_LIQUIBASE = "liquibase.integration.spring.SpringLiquibase";

    private final ObjectProvider<SessionStore> store;
    private final ObjectProvider<DataSource> dataSource;
    private final boolean jpa;

    AjSessionsPostProcessor(ObjectProvider<SessionStore> store, ObjectProvider<DataSource> dataSource, boolean jpa) {
        this.store = store;
        this.dataSource = dataSource;
        this.jpa = jpa;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
        if (isA(bean, SPRING_LIQUIBASE)) {
            refuseLiquibaseOnAjFile(bean, beanName);
        }
        return bean;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        if (bean instanceof DataSource) {
            refuseDirectAccess((DataSource) bean, beanName);
        } else if (jpa && isA(bean, PERSISTENCE_MANAGED_TYPES)) {
            return jpaOnStore() ? JpaTypes.withAjEntities(bean) : bean;
        } else if (jpa && isA(bean, HIBERNATE_VENDOR_ADAPTER) && jpaOnStore()) {
            JpaTypes.translateWith(bean, store.getObject());
        }
        return bean;
    }

    private void refuseDirectAccess(DataSource candidate, String beanName) {
        SessionStore aj = store.getIfAvailable();
        if (aj != null && AjDataSources.opensStoreFileDirectly(candidate, aj)) {
            throw new IllegalStateException("DataSource '" + beanName + "' opens aj's file " + aj.file()
                    + " directly (" + AjDataSources.jdbcUrl(candidate) + "): its connections would have foreign keys"
                    + " off, sqlite-jdbc's busy timeout and deferred write transactions. Remove spring.datasource.url"
                    + " and set aj.sessions.database=" + aj.file() + " instead (aj-sessions then supplies the"
                    + " DataSource), or return sessionStore.dataSource() from your DataSource bean");
        }
    }

    private void refuseLiquibaseOnAjFile(Object liquibase, String beanName) {
        SessionStore aj = store.getIfAvailable();
        if (aj == null) {
            return;
        }
        DataSource target;
        try {
            Method getter = liquibase.getClass().getMethod("getDataSource");
            target = (DataSource) getter.invoke(liquibase);
        } catch (ReflectiveOperationException | ClassCastException e) {
            return; // a Liquibase we do not know how to ask: left alone
        }
        if (target != null && (AjDataSources.isStorePool(target, aj) || AjDataSources.opensStoreFileDirectly(target, aj))) {
            throw new IllegalStateException("Liquibase ('" + beanName + "') would run on aj's file " + aj.file()
                    + " and write its changelog tables there; aj-sessions migrates that file. Point"
                    + " spring.liquibase.url at your application's own database, or set spring.liquibase.enabled=false");
        }
    }

    private boolean jpaOnStore() {
        SessionStore aj = store.getIfAvailable();
        DataSource used = dataSource.getIfUnique();
        return aj != null && used != null && AjDataSources.isStorePool(used, aj);
    }

    private static boolean isA(Object bean, String className) {
        ClassLoader loader = bean.getClass().getClassLoader();
        if (!ClassUtils.isPresent(className, loader)) {
            return false;
        }
        return ClassUtils.resolveClassName(className, loader).isInstance(bean);
    }

    /** The JPA classes, touched only once {@link #isA} found them present. */
    private static final class JpaTypes {

        static Object withAjEntities(Object bean) {
            org.springframework.orm.jpa.persistenceunit.PersistenceManagedTypes types =
                    (org.springframework.orm.jpa.persistenceunit.PersistenceManagedTypes) bean;
            List<String> classes = new ArrayList<>(types.getManagedClassNames());
            for (String entity : ENTITIES) {
                if (!classes.contains(entity)) {
                    classes.add(entity);
                }
            }
            List<String> packages = List.copyOf(types.getManagedPackages());
            URL root = types.getPersistenceUnitRootUrl();
            List<String> all = List.copyOf(classes);
            return new org.springframework.orm.jpa.persistenceunit.PersistenceManagedTypes() {
                @Override
                public List<String> getManagedClassNames() {
                    return all;
                }

                @Override
                public List<String> getManagedPackages() {
                    return packages;
                }

                @Override
                public URL getPersistenceUnitRootUrl() {
                    return root;
                }
            };
        }

        static void translateWith(Object bean, SessionStore store) {
            Object dialect = ((org.springframework.orm.jpa.JpaVendorAdapter) bean).getJpaDialect();
            if (dialect instanceof org.springframework.orm.jpa.vendor.HibernateJpaDialect) {
                ((org.springframework.orm.jpa.vendor.HibernateJpaDialect) dialect).setJdbcExceptionTranslator(
                        AjSessionsAutoConfiguration.exceptionTranslator(store));
            }
        }
    }
}
