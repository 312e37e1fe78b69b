/**
 * The public entry point: {@link io.github.ajsessions.api.SessionStore} (opens, migrates and validates
 * an aj.db, owns the pool and the EntityManagerFactory), its {@link io.github.ajsessions.api.StoreConfig},
 * the session operations (one transaction each) and the exceptions they throw.
 */
package io.github.ajsessions.api;
