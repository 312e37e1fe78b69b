/**
 * aj's data: the JPA entities that map aj's three tables ({@code conversations}, {@code messages},
 * {@code awful_configs}) column by column and their converters, the role list, and one immutable record per
 * row kind ({@code SessionRecord}, {@code MessageRecord}, {@code SnapshotRecord}, and {@code SessionSummary}
 * for a listed session) for everything outside JPA. Imports nothing else of the module.
 */
package io.github.ajsessions.model;
