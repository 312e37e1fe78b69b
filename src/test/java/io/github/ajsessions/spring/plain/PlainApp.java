package io.github.ajsessions.spring.plain;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** An application with no beans of its own, for the cases where aj's file is not its database. */
@SpringBootApplication
public class PlainApp {
}
