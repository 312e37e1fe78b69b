/**
 * The public entry point: {@link io.github.ajsessions.api.SessionStore} (opens, migrates and validates
 * an aj.db, owns the pool), its {@link io.github.ajsessions.core.StoreConfig}, the session operations
 * (one transaction each), the records they return (one per row kind), JPA access
 * ({@link io.github.ajsessions.api.JpaAccess}) and the exceptions, one type per refusal.
 */
package io.github.ajsessions.api;
