package io.github.ajsessions.spring.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A Spring Boot application as a user writes one: no DataSource, no entity scan, no dialect of its own. */
@SpringBootApplication
public class TestApp {
}
