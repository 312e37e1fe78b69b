package io.github.ajsessions.spring.test;

import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.spring.AjSessionsProperties;
import io.github.ajsessions.testkit.AjDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/** Creates the per-context file of {@link AjSessionsTestDatabase}. */
public class AjSessionsTestDatabaseCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
                                                     List<ContextConfigurationAttributes> configAttributes) {
        return MergedAnnotations.from(testClass, SearchStrategy.TYPE_HIERARCHY).get(AjSessionsTestDatabase.class)
                .synthesize(a -> a.isPresent())
                .map(a -> (ContextCustomizer) new Customizer(a.variant())).orElse(null);
    }

    /** Equal for equal variants, so that Spring's context cache works as usual. */
    private record Customizer(SchemaVariant variant) implements ContextCustomizer {

        static final String PROPERTY_SOURCE = "aj-sessions test database";

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration merged) {
            Path folder;
            try {
                folder = Files.createTempDirectory("aj-sessions-test"); // owner-only, as the JDK creates it
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary folder for the test's aj.db", e);
            }
            Path file = folder.resolve("aj.db");
            if (variant != SchemaVariant.AJ_SESSIONS && variant != SchemaVariant.EMPTY) {
                AjDatabases.create(file, variant);
            }
            // first, over the application's values and over @DataJpaTest's own @AutoConfigureTestDatabase, which
            // would replace the DataSource with an embedded database
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, Map.of(
                    AjSessionsProperties.PREFIX + ".database", file.toString(),
                    AjSessionsProperties.PREFIX + ".create-if-missing", "true",
                    "spring.test.database.replace", "none")));
            // registered before any bean exists, hence destroyed after all of them: the store is closed first
            if (context.getBeanFactory() instanceof DefaultSingletonBeanRegistry registry) {
                registry.registerDisposableBean("ajSessionsTestDatabaseFolder", () -> deleteTree(folder));
            }
        }

        private static void deleteTree(Path folder) {
            if (!Files.exists(folder)) {
                return;
            }
            try (Stream<Path> paths = Files.walk(folder)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the test's folder " + folder, e);
            }
        }
    }
}
