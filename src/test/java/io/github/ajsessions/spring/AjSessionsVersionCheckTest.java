package io.github.ajsessions.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AjSessionsVersionCheckTest {

    @Test
    void springBoot35WithHibernate66IsRefusedWithTheSupportedVersions() {
        assertThat(AjSessionsVersionCheck.problem("3.5.7", "6.6.33.Final")).isEqualTo("aj-sessions supports Spring Boot"
                + " 4.0 or later with Hibernate ORM 7.1 or later (Jakarta Persistence 3.2); this application runs"
                + " Spring Boot 3.5.7 with Hibernate ORM 6.6.33.Final. Upgrade to Spring Boot 4.0, or set"
                + " aj.sessions.enabled=false to leave aj-sessions out of the Spring configuration");
    }

    @Test
    void springBoot4WithItsHibernateIsAccepted() {
        assertThat(AjSessionsVersionCheck.problem("4.0.7", "7.2.19.Final")).isNull();
        assertThat(AjSessionsVersionCheck.problem("4.1.0", "7.4.15.Final")).isNull();
        assertThat(AjSessionsVersionCheck.problem("4.0.0", "7.1.8.Final")).isNull();
        assertThat(AjSessionsVersionCheck.problem("4.0.7", "7.0.10.Final")).isNotNull();
    }
}
