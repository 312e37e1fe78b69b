/**
 * Opening a store: resolving the file, the connection layer (a {@link javax.sql.DataSource} whose
 * connections carry the SQLite settings and begin write transactions {@code IMMEDIATE}), the Hikari pool
 * over it, and building the EntityManagerFactory. Internal: a user never imports it.
 */
package io.github.ajsessions.internal.bootstrap;
