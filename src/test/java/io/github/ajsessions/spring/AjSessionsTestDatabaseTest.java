package io.github.ajsessions.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.spring.plain.PlainApp;
import io.github.ajsessions.spring.test.AjSessionsTestDatabase;
import io.github.ajsessions.spring.test.AjSessionsTestDatabaseCustomizerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextCustomizer;

/** The context customizer behind {@link AjSessionsTestDatabase}, driven by hand. */
class AjSessionsTestDatabaseTest {

    @AjSessionsTestDatabase(variant = SchemaVariant.AJ_INIT)
    static class AjInit {
    }

    @AjSessionsTestDatabase(variant = SchemaVariant.AJ_INIT)
    static class AlsoAjInit {
    }

    @AjSessionsTestDatabase
    static class Migrated {
    }

    static class NotAnnotated {
    }

    private final AjSessionsTestDatabaseCustomizerFactory factory = new AjSessionsTestDatabaseCustomizerFactory();

    @Test
    void equalConfigurationsGiveEqualCustomizersSoSpringCachesTheirContext() {
        assertThat(factory.createContextCustomizer(AjInit.class, List.of()))
                .isEqualTo(factory.createContextCustomizer(AlsoAjInit.class, List.of()))
                .isNotEqualTo(factory.createContextCustomizer(Migrated.class, List.of()));
        assertThat(factory.createContextCustomizer(NotAnnotated.class, List.of())).isNull();
    }

    @Test
    void theContextGetsItsOwnFileInTheVariantAndTheFolderGoesAfterTheStoreClosed() {
        ContextCustomizer customizer = factory.createContextCustomizer(AjInit.class, List.of());
        SessionStore store;
        Path folder;
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(PlainApp.class)
                .web(WebApplicationType.NONE).initializers(c -> customizer.customizeContext(c, null))
                .run("--aj.sessions.database=/nonexistent/never-used.db")) {
            store = context.getBean(SessionStore.class);
            folder = store.file().getParent();
            assertThat(store.info().variant()).isEqualTo(SchemaVariant.AJ_INIT);
            assertThat(folder.getFileName().toString()).startsWith("aj-sessions-test");
            assertThat(Files.isRegularFile(store.file())).isTrue();
        }
        assertThat(folder).doesNotExist();
        assertThat(store.dataSource()).extracting(ds -> ((com.zaxxer.hikari.HikariDataSource) ds).isClosed())
                .isEqualTo(true);
    }
}
