package io.github.ajsessions.testkit;

import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.core.StoreConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hands each test a {@link SessionStore} on its own file in a fresh temporary folder, and the
 * file's {@link Path}; closes the store and deletes the folder afterwards.
 *
 * <pre>{@code
 * @ExtendWith(AjSessionsExtension.class)
 * class ChatMemoryTest {
 *     @Test
 *     void keepsTurnsInOrder(SessionStore store) { ... }          // a fresh, migrated file
 *
 *     @Test
 *     @AjVariant(SchemaVariant.AJ_INIT)                          // a file as `aj init` makes it
 *     void readsWhatAjWrote(SessionStore store, Path file) { ... }
 * }
 * }</pre>
 *
 * Register it with {@code @RegisterExtension} and {@link #withConfig} to change the store's settings.
 */
public class AjSessionsExtension implements ParameterResolver, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            AjSessionsExtension.class);

    private final UnaryOperator<StoreConfig.Builder> customizer;

    /** The extension with the store's default settings. */
    public AjSessionsExtension() {
        this(UnaryOperator.identity());
    }

    private AjSessionsExtension(UnaryOperator<StoreConfig.Builder> customizer) {
        this.customizer = customizer;
    }

    /** @return an extension whose stores are built with {@code customizer} applied (the file is set after it) */
    public static AjSessionsExtension withConfig(UnaryOperator<StoreConfig.Builder> customizer) {
        return new AjSessionsExtension(customizer);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        // a @TempDir Path belongs to JUnit's own resolver: both claiming it makes JUnit fail the test
        return type == SessionStore.class || (type == Path.class && !parameter.isAnnotated(TempDir.class));
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TestDatabase db = context.getStore(NAMESPACE).getOrComputeIfAbsent(TestDatabase.class,
                key -> new TestDatabase(variantOf(context)), TestDatabase.class);
        if (parameter.getParameter().getType() == Path.class) {
            return db.file;
        }
        return db.store(customizer);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TestDatabase db = context.getStore(NAMESPACE).remove(TestDatabase.class, TestDatabase.class);
        if (db != null) {
            db.close();
        }
    }

    private static Optional<SchemaVariant> variantOf(ExtensionContext context) {
        Optional<SchemaVariant> onMethod = context.getTestMethod().flatMap(AjSessionsExtension::variant);
        return onMethod.isPresent() ? onMethod : context.getTestClass().flatMap(AjSessionsExtension::variant);
    }

    private static Optional<SchemaVariant> variant(AnnotatedElement element) {
        return Optional.ofNullable(element.getAnnotation(AjVariant.class)).map(AjVariant::value);
    }

    private static final class TestDatabase {
        final Path folder;
        final Path file;
        SessionStore store;

        TestDatabase(Optional<SchemaVariant> variant) {
            try {
                folder = Files.createTempDirectory("aj-sessions-test");
            } catch (IOException e) {
                throw new ParameterResolutionException("cannot create a temporary folder: " + e.getMessage(), e);
            }
            file = folder.resolve("aj.db");
            variant.filter(v -> v != SchemaVariant.EMPTY).ifPresent(v -> AjDatabases.create(file, v));
        }

        SessionStore store(UnaryOperator<StoreConfig.Builder> customizer) {
            if (store == null) {
                store = SessionStore.open(customizer.apply(StoreConfig.builder()).database(file).build());
            }
            return store;
        }

        void close() {
            try {
                if (store != null) {
                    store.close();
                }
            } finally {
                try (Stream<Path> paths = Files.walk(folder)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
