/**
 * Small JDBC helpers (identifier quoting, ids, single values) shared by the internal packages and the
 * API; a leaf that imports nothing else of the module, so that sharing them adds no cycle.
 */
package io.github.ajsessions.internal.jdbc;
