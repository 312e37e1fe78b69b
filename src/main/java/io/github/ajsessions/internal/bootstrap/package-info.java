/**
 * The connection layer: a {@link javax.sql.DataSource} whose connections carry the SQLite settings and begin
 * write transactions {@code IMMEDIATE}, the statement cache, the Hikari pool over it, and building the
 * EntityManagerFactory. Internal: not exported by the module.
 */
package io.github.ajsessions.internal.bootstrap;
