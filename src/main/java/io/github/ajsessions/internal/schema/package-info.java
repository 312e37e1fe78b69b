/**
 * Reading {@code sqlite_master}, naming the schema variant, running the module's Flyway migrations
 * under their own location and history table, turning validation failures into precise messages, and
 * opening a store's pool over an identified and migrated file ({@code PreparedPool}). Internal.
 */
package io.github.ajsessions.internal.schema;
