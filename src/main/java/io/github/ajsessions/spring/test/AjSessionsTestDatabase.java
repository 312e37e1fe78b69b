package io.github.ajsessions.spring.test;

import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.spring.AjSessionsAutoConfiguration;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.test.context.ContextCustomizerFactories;

/**
 * Gives a Spring test context ({@code @SpringBootTest}, {@code @DataJpaTest}, {@code @JdbcTest}) its own
 * fresh aj.db in a new temporary folder, opened by the aj-sessions auto-configuration: the
 * {@code SessionStore} bean, its pool as the DataSource, JPA validated against the file. The folder
 * is deleted when the context closes, after the store.
 *
 * <pre>{@code
 * @DataJpaTest
 * @AjSessionsTestDatabase(variant = SchemaVariant.AJ_INIT)     // a file as `aj init` makes it
 * class ConversationRepositoryTest {
 *     @Autowired ConversationRepository conversations;
 *     @Autowired SessionStore store;                          // store.file() is the test's file
 * }
 * }</pre>
 *
 * <p>It replaces {@code @AutoConfigureTestDatabase}'s embedded database (which fails with "Failed to
 * replace DataSource with an embedded database" when no H2 or HSQLDB is present, and would test another
 * database than aj's anyway) and sets {@code aj.sessions.database} to the new file, over any value of the
 * application's. One file per Spring test context: Spring caches a context across the test classes that
 * configure it identically, and so they share its file, as they share its beans.
 *
 * <p>With {@link #postgres()} the context runs on a new schema of a PostgreSQL server instead of a file.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@ImportAutoConfiguration(AjSessionsAutoConfiguration.class)
@ContextCustomizerFactories(AjSessionsTestDatabaseCustomizerFactory.class)
public @interface AjSessionsTestDatabase {

    /**
     * @return the file's starting point: {@link SchemaVariant#AJ_SESSIONS} (default) or
     *         {@link SchemaVariant#EMPTY} for a new file migrated by the module; {@link SchemaVariant#AJ_INIT},
     *         {@link SchemaVariant#DIESEL_CLI} or {@link SchemaVariant#DOCS_OPTION_C} for a file laid down
     *         with that variant's exact DDL (as aj or its docs make it), which the store then adopts
     */
    SchemaVariant variant() default SchemaVariant.AJ_SESSIONS;

    /**
     * @return empty (default) for a file; or a {@code jdbc:postgresql:} URL, {@code ${...}} placeholders
     *         resolved in the test's environment (e.g. {@code "${TEST_PG_URL}"}): the context then gets a new
     *         schema of its own on that server ({@code aj_test_} and random letters, selected with
     *         {@code currentSchema}), migrated by the store and dropped with everything in it when the context
     *         closes. Credentials as for {@code aj.sessions.database}: URL parameters, {@code aj.sessions.username}
     *         and {@code aj.sessions.password} (e.g. in {@code @SpringBootTest(properties = ...)}),
     *         {@code PGUSER}/{@code PGPASSWORD} or {@code ~/.pgpass}. Only {@link SchemaVariant#AJ_SESSIONS} and
     *         {@link SchemaVariant#EMPTY} apply: aj's variants are SQLite files.
     */
    String postgres() default "";
}
