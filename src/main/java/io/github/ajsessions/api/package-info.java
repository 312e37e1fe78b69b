/**
 * The public entry point: {@link io.github.ajsessions.api.SessionStore} (opens, migrates and validates
 * an aj.db, owns the pool), the session operations (one transaction each), export and import, inspection,
 * search, maintenance and JPA access ({@link io.github.ajsessions.api.JpaAccess}). The configuration and the
 * exceptions are in {@link io.github.ajsessions.core}, the row records in {@link io.github.ajsessions.model}.
 */
package io.github.ajsessions.api;
