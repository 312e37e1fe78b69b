/**
 * For a plain JPA application: the connection provider of the {@code aj-sessions} persistence unit
 * ({@code META-INF/persistence.xml}), which opens the file as {@code SessionStore.open} does.
 */
package io.github.ajsessions.jpa;
