package io.github.ajsessions.api;

import io.github.ajsessions.core.ReadOnlyStoreException;
import io.github.ajsessions.core.SchemaException;
import io.github.ajsessions.core.StoreConfig;
import io.github.ajsessions.internal.bootstrap.EntityManagerFactories;
import io.github.ajsessions.model.AjIdLimit;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * JPA on the store's file, for code of the caller's own ({@link SessionStore#jpa()}): the
 * EntityManagerFactory over the store's pool, and the JPA transaction template. Hibernate boots, and
 * validates the entities against the file, on the first call (or when the store opens, with
 * {@link StoreConfig#entityManagerFactoryAtOpen()}). Thread-safe; closed with the store.
 */
public final class JpaAccess {

    private final SessionStore store;
    private final DataSource pool;
    private final Object lock = new Object();
    private volatile EntityManagerFactory emf;

    JpaAccess(SessionStore store, DataSource pool, EntityManagerFactory emf) {
        this.store = store;
        this.pool = pool;
        this.emf = emf;
    }

    /**
     * Runs {@code work} in one write transaction ({@code BEGIN IMMEDIATE ... COMMIT}) with the same
     * error translation as the session operations. Keep it short: aj cannot write meanwhile.
     *
     * @throws ReadOnlyStoreException the store was opened read-only
     */
    public <T> T inTransaction(Function<EntityManager, T> work) {
        // the id-limit warning of the entities (a JPA listener) names this file
        return AjIdLimit.namingFile(store.file(), () -> writeTransaction(work));
    }

    /** Runs {@code work} with an EntityManager outside a transaction (auto-commit reads). */
    public <T> T withEntityManager(Function<EntityManager, T> work) {
        EntityManager em = entityManagerFactory().createEntityManager();
        try {
            return work.apply(em);
        } catch (RuntimeException e) {
            throw translate(e);
        } finally {
            em.close();
        }
    }

    /**
     * @return the EntityManagerFactory; built, and the entities validated by Hibernate against the
     *         file, on the first call unless built when the store opened
     * @throws SchemaException the entities do not match the file's tables
     */
    public EntityManagerFactory entityManagerFactory() {
        EntityManagerFactory built = emf;
        if (built == null) {
            synchronized (lock) {
                built = emf;
                if (built == null) {
                    try {
                        built = EntityManagerFactories.build(pool, store.file(), true, store.hibernateDialect());
                    } catch (RuntimeException e) {
                        throw translate(e);
                    }
                    emf = built;
                }
            }
        }
        return built;
    }

    /** @return whether Hibernate has booted for this store */
    boolean built() {
        return emf != null;
    }

    private <T> T writeTransaction(Function<EntityManager, T> work) {
        Jdbc.requireWritable(store);
        EntityManager em = entityManagerFactory().createEntityManager();
        EntityTransaction tx = em.getTransaction();
        try {
            tx.begin();
            T result = work.apply(em);
            tx.commit();
            return result;
        } catch (RuntimeException e) {
            if (tx.isActive()) {
                try {
                    tx.rollback();
                } catch (RuntimeException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
            }
            throw translate(e);
        } finally {
            em.close();
        }
    }

    private RuntimeException translate(RuntimeException e) {
        return store.backend().translate(e, store.file(), store.config().busyTimeout(), null);
    }

    /** Closes the EntityManagerFactory when it was built; idempotent. */
    void close() {
        EntityManagerFactory built = emf;
        if (built != null && built.isOpen()) {
            built.close();
        }
    }
}
