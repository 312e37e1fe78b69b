package io.github.ajsessions.bench.springapp;

import java.nio.file.Path;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Spring Boot application of the Spring benchmarks, as a user writes one (as
 * {@code examples/spring-boot} does): no DataSource, entity scan or dialect of its own, only
 * {@code aj.sessions.database}; the auto-configuration supplies the rest. It scans this package only.
 */
@SpringBootApplication
public class BenchSpringApp {

    /** Starts the application on {@code file} (an aj file that exists); the caller closes it. */
    public static ConfigurableApplicationContext start(Path file) {
        return new SpringApplicationBuilder(BenchSpringApp.class).web(WebApplicationType.NONE)
                .run("--aj.sessions.database=" + file, "--spring.main.banner-mode=off",
                        "--spring.jpa.open-in-view=false", "--logging.level.root=warn");
    }
}
