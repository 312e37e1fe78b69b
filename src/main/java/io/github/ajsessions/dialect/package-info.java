/**
 * The Hibernate dialect for aj's file, {@link io.github.ajsessions.dialect.AjSqliteDialect}: public, for
 * JPA hosts that configure Hibernate themselves.
 */
package io.github.ajsessions.dialect;
