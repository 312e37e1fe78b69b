/**
 * Spring test support: {@link io.github.ajsessions.spring.test.AjSessionsTestDatabase} gives a Spring test
 * context its own fresh aj.db, migrated or in one of aj's variants. Optional: needs spring-test and Spring
 * Boot's test auto-configuration.
 */
package io.github.ajsessions.spring.test;
