/**
 * Spring Boot support: the auto-configuration ({@link io.github.ajsessions.spring.AjSessionsAutoConfiguration}:
 * the store bean, its pool as the DataSource, JPA set up for aj's file, Flyway and Liquibase kept off it),
 * the {@code aj.sessions.*} properties, SQLite's codes in Spring's exception hierarchy, and the health
 * indicator. Optional: the application brings Spring Boot; nothing else in the module reaches this package.
 */
package io.github.ajsessions.spring;
