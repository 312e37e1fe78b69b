/**
 * Opening a store: resolving the file, the Hikari pool with its SQLite settings on every connection,
 * and building the EntityManagerFactory. Internal: a user never imports it.
 */
package io.github.ajsessions.internal.bootstrap;
