package io.github.ajsessions.internal.bootstrap;

import io.github.ajsessions.core.SchemaException;
import io.github.ajsessions.model.AwfulConfig;
import io.github.ajsessions.model.Conversation;
import io.github.ajsessions.model.Message;
import jakarta.persistence.EntityManagerFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.hibernate.dialect.Dialect;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.hibernate.tool.schema.spi.SchemaManagementException;

/** Builds the EntityManagerFactory over an open pool, validating the entities against the file. */
public final class EntityManagerFactories {

    /** The persistence unit name, also used in {@code META-INF/persistence.xml}. */
    public static final String UNIT = "aj-sessions";

    private static final Pattern MISSING_COLUMN = Pattern.compile("missing column \\[(\\w+)\\] in table \\[(\\w+)\\]");
    private static final Pattern MISSING_TABLE = Pattern.compile("missing table \\[(\\w+)\\]");
    private static final Pattern WRONG_TYPE = Pattern.compile(
            "wrong column type encountered in column \\[(\\w+)\\] in table \\[(\\w+)\\]; found \\[([^\\]]+)\\],"
                    + " but expecting \\[([^\\]]+)\\]");

    private EntityManagerFactories() {
    }

    /**
     * @param validate {@code true} to run Hibernate's schema validation ({@code hbm2ddl=validate});
     *                 Hibernate never creates or alters the schema either way
     * @param dialect  the dialect; the caller names it so that this package does not depend on the public
     *                 dialect package, which depends on this layer's error translation
     */
    public static EntityManagerFactory build(DataSource dataSource, Path file, boolean validate,
                                             Class<? extends Dialect> dialect) {
        HibernatePersistenceConfiguration configuration = new HibernatePersistenceConfiguration(UNIT);
        configuration.managedClass(Conversation.class);
        configuration.managedClass(Message.class);
        configuration.managedClass(AwfulConfig.class);
        configuration.property("jakarta.persistence.nonJtaDataSource", dataSource);
        boolean sqlite = !PostgreSQLDialect.class.isAssignableFrom(dialect);
        if (sqlite) {
            configuration.property("hibernate.dialect", dialect.getName());
        }
        configuration.property("hibernate.hbm2ddl.auto", validate ? "validate" : "none");
        // SQLite's dialect is named: no need to ask the driver for metadata unless validating. Other
        // dialects (PostgreSQL) are detected from the connection, as Hibernate asks: naming them is deprecated
        configuration.property("hibernate.boot.allow_jdbc_metadata_access", validate || !sqlite);
        configuration.property("hibernate.jdbc.fetch_size", 256);
        // read the metadata of the mapped tables only: the grouped default reads every table of the file and
        // fails (NoSuchElementException in AbstractInformationExtractorImpl.columnInformation, Hibernate 7.4.15)
        // on a column without a declared type, such as those of the search index's FTS5 table
        configuration.property("hibernate.hbm2ddl.jdbc_metadata_extraction_strategy", "individually");
        try {
            return configuration.createEntityManagerFactory();
        } catch (SchemaManagementException e) {
            throw new SchemaException(file, "the entities do not match the tables of " + file
                    + "; the file drifted from aj's schema", List.of(describe(e.getMessage())), e);
        } catch (RuntimeException e) {
            SchemaManagementException cause = findCause(e);
            if (cause != null) {
                throw new SchemaException(file, "the entities do not match the tables of " + file
                        + "; the file drifted from aj's schema", List.of(describe(cause.getMessage())), e);
            }
            throw e;
        }
    }

    /** Turns Hibernate's validation message into "table.column: problem". */
    static String describe(String message) {
        String text = String.valueOf(message);
        Matcher m = WRONG_TYPE.matcher(text);
        if (m.find()) {
            return m.group(2) + "." + m.group(1) + ": type " + m.group(3) + ", the entity expects " + m.group(4);
        }
        m = MISSING_COLUMN.matcher(text);
        if (m.find()) {
            return m.group(2) + "." + m.group(1) + ": missing";
        }
        m = MISSING_TABLE.matcher(text);
        if (m.find()) {
            return "table " + m.group(1) + ": missing";
        }
        return text;
    }

    private static SchemaManagementException findCause(Throwable t) {
        List<Throwable> seen = new ArrayList<>();
        for (Throwable c = t; c != null && !seen.contains(c); c = c.getCause()) {
            seen.add(c);
            if (c instanceof SchemaManagementException) {
                return (SchemaManagementException) c;
            }
        }
        return null;
    }
}
