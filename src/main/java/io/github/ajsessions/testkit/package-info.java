/**
 * A JUnit 5 extension for entity-level tests: each test gets a {@link io.github.ajsessions.api.SessionStore}
 * on a fresh file in a temporary folder, migrated, or pre-created as one of aj's schema variants.
 * Requires {@code junit-jupiter-api} on the test class path; never used by main code.
 */
package io.github.ajsessions.testkit;
