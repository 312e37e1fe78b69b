/**
 * aj-sessions: aj's SQLite chat-session file through JPA/Hibernate and a JDBC session API.
 *
 * <p>Exported: the entry point and session operations ({@code api}), the configuration, location, schema
 * variants and exceptions they speak in ({@code core}), the entities and row records ({@code model}), the
 * persistence unit's connection provider ({@code jpa}) and Hibernate dialect ({@code dialect}), and the JUnit 5
 * test kit ({@code testkit}), the Spring Boot support ({@code spring}, {@code spring.test}), and the chat memory adapters ({@code ai}). Everything under {@code internal} and the command line ({@code cli}) are not part
 * of the API.
 */
module io.github.ajsessions {
    requires transitive java.sql;
    requires transitive jakarta.persistence;
    requires transitive org.hibernate.orm.core;
    requires transitive org.hibernate.orm.community.dialects;
    requires java.logging;
    requires com.zaxxer.hikari;
    requires org.xerial.sqlitejdbc;
    // flyway-core declares no module name: this is the name derived from its file name
    requires flyway.core;
    requires org.yaml.snakeyaml;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires info.picocli;
    // the PostgreSQL backend only (jdbc:postgresql: URLs, sync, pull): the application brings the driver
    requires static org.postgresql.jdbc;
    // the test kit only: users bring their own JUnit
    requires static org.junit.jupiter.api;
    // the chat memory adapters only: the application brings Spring AI or LangChain4j
    // (spring-ai-model and langchain4j-core declare no module name: these are derived from their file names)
    requires static transitive spring.ai.model;
    requires static spring.boot.autoconfigure;
    requires static spring.context;
    requires static spring.core;
    requires static transitive langchain4j.core;
    // the Spring Boot support only (io.github.ajsessions.spring): the application brings Spring Boot 4
    requires static spring.beans;
    requires static spring.tx;
    requires static spring.jdbc;
    requires static spring.orm;
    requires static spring.test;
    requires static spring.boot;
    requires static spring.boot.jdbc;
    requires static spring.boot.hibernate;
    requires static spring.boot.flyway;
    requires static spring.boot.health;
    requires static spring.boot.jdbc.test;

    exports io.github.ajsessions.api;
    exports io.github.ajsessions.core;
    exports io.github.ajsessions.model;
    exports io.github.ajsessions.jpa;
    exports io.github.ajsessions.dialect;
    exports io.github.ajsessions.testkit;
    exports io.github.ajsessions.spring;
    exports io.github.ajsessions.spring.test;
    exports io.github.ajsessions.ai;
    exports io.github.ajsessions.ai.springai;
    exports io.github.ajsessions.ai.langchain4j;

    // Hibernate reads and writes the entities' fields and builds proxies
    opens io.github.ajsessions.model to org.hibernate.orm.core;
    // Spring reads the auto-configuration and subclasses it for its bean methods
    opens io.github.ajsessions.ai.springai to spring.core, spring.beans, spring.context;
    // Spring reads the auto-configuration, binds the properties and instantiates the test support
    opens io.github.ajsessions.spring to spring.core, spring.beans, spring.context, spring.boot;
    opens io.github.ajsessions.spring.test to spring.core, spring.beans, spring.context, spring.test;
    // picocli sets the commands' annotated fields
    opens io.github.ajsessions.cli to info.picocli;
    // resources read through class loaders (Flyway's migrations, the variants' DDL): a class loader finds a
    // named module's resource only in a package opened to everyone
    opens io.github.ajsessions.migration;
    opens io.github.ajsessions.variants;
    opens io.github.ajsessions.postgresql.migration;
}
