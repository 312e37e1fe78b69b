package io.github.ajsessions.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootVersion;

/** Run with -Pboot35: on Spring Boot 3.5 the application fails at startup with one message naming the supported versions. */
class UnsupportedSpringBootTest {

    @TempDir
    Path folder;

    @Test
    void theApplicationFailsAtStartupNamingTheSupportedVersions() {
        Path db = folder.resolve("aj.db");
        Throwable failure = catchThrowable(() -> SpringApplication.run(ExampleApplication.class,
                "--aj.sessions.database=" + db, "--aj.sessions.create-if-missing=true").close());
        assertThat(failure).isInstanceOf(IllegalStateException.class).hasNoCause()
                .hasMessageStartingWith("aj-sessions supports Spring Boot 4.0 or later with Hibernate ORM 7.1 or later"
                        + " (Jakarta Persistence 3.2); this application runs Spring Boot " + SpringBootVersion.getVersion()
                        + " with Hibernate ORM 6.6.");
        assertThat(folder).isEmptyDirectory();
    }
}
