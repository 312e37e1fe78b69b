/**
 * Reading {@code sqlite_master}, naming the schema variant, running the module's Flyway migrations
 * under their own location and history table, and turning validation failures into precise
 * messages. Internal.
 */
package io.github.ajsessions.internal.schema;
