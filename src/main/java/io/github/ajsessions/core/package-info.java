/**
 * What the API and its implementation both speak in: the store's configuration
 * ({@link io.github.ajsessions.core.StoreConfig}), where the file is and how that was decided
 * ({@link io.github.ajsessions.core.DatabaseLocation}, found as aj finds it), which of aj's schema variants a
 * file has ({@link io.github.ajsessions.core.SchemaVariant}), the rules for the files the module writes
 * ({@link io.github.ajsessions.core.SafeFiles}), and the exceptions, one
 * {@link io.github.ajsessions.core.AjSessionsException} subtype per refusal. Imports only
 * {@code io.github.ajsessions.model}.
 */
package io.github.ajsessions.core;
