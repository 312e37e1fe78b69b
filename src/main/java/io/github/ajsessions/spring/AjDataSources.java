package io.github.ajsessions.spring;

import com.zaxxer.hikari.HikariDataSource;
import io.github.ajsessions.core.DatabaseLocation;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.internal.postgres.PgUrl;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.util.ClassUtils;
import org.sqlite.SQLiteDataSource;

/** Tells whether a DataSource is the store's pool, or another way into aj's file. */
final class AjDataSources {

    private static final String SQLITE_URL = "jdbc:sqlite:";
    /** spring-jdbc is optional for an application that only wants the store bean. */
    private static final boolean SPRING_JDBC = ClassUtils.isPresent(
            "org.springframework.jdbc.datasource.DelegatingDataSource", AjDataSources.class.getClassLoader());

    private AjDataSources() {
    }

    /** @return whether the store is on a PostgreSQL server rather than aj's SQLite file (as {@link SessionStore#open} decides) */
    static boolean isPostgres(SessionStore store) {
        return PgUrl.accepts(store.config().database());
    }

    /** @return whether {@code dataSource} is the store's pool, possibly behind Spring's delegating proxies */
    static boolean isStorePool(DataSource dataSource, SessionStore store) {
        DataSource current = dataSource;
        for (int depth = 0; current != null && depth < 16; depth++) {
            if (current == store.dataSource()) {
                return true;
            }
            current = unwrap(current);
        }
        return false;
    }

    /**
     * @return the JDBC URL a DataSource connects to, when it can be read without connecting (HikariCP,
     *         sqlite-jdbc's own, Spring's driver-based ones, Flyway's), else {@code null}
     */
    static String jdbcUrl(DataSource dataSource) {
        DataSource current = dataSource;
        for (int depth = 0; depth < 16; depth++) {
            DataSource target = unwrap(current);
            if (target == null) {
                break;
            }
            current = target;
        }
        if (current == null) {
            return null;
        }
        if (current instanceof HikariDataSource) {
            return ((HikariDataSource) current).getJdbcUrl();
        }
        if (current instanceof SQLiteDataSource) {
            return ((SQLiteDataSource) current).getUrl();
        }
        for (String getter : new String[] {"getJdbcUrl", "getUrl"}) {
            try {
                Method m = current.getClass().getMethod(getter);
                if (m.getReturnType() == String.class) {
                    return (String) m.invoke(current);
                }
            } catch (ReflectiveOperationException | RuntimeException notThere) {
                // not a DataSource that tells its URL: try the next getter
            }
        }
        return null;
    }

    /** @return the DataSource behind one of Spring's delegating proxies, or {@code null} */
    private static DataSource unwrap(DataSource dataSource) {
        return SPRING_JDBC ? SpringJdbc.target(dataSource) : null;
    }

    /** Touched only when spring-jdbc is present. */
    private static final class SpringJdbc {
        static DataSource target(DataSource dataSource) {
            return dataSource instanceof DelegatingDataSource ? ((DelegatingDataSource) dataSource).getTargetDataSource()
                    : null;
        }
    }

    /** @return whether {@code url} is a {@code jdbc:sqlite:} URL of {@code file} */
    static boolean opensFile(String url, Path file) {
        if (url == null || !url.toLowerCase(Locale.ROOT).startsWith(SQLITE_URL)) {
            return false;
        }
        Path target;
        try {
            // sqlite-jdbc accepts the prefix in any case (JDBC.isValidURL); the resolver expects it in lower case.
            // The parameters (sqlite-jdbc settings, a file: URI's query) do not change which file is opened, and
            // the resolver refuses those it does not honour: only the file matters here
            String rest = url.substring(SQLITE_URL.length());
            int query = rest.indexOf('?');
            target = DatabaseLocation.resolve(SQLITE_URL + (query >= 0 ? rest.substring(0, query) : rest), null).file();
        } catch (RuntimeException notAFile) {
            return false; // an in-memory database or a URL naming no file
        }
        return sameFile(target, file);
    }

    /** @return whether {@code dataSource} reaches aj's file other than through the store's pool */
    static boolean opensStoreFileDirectly(DataSource dataSource, SessionStore store) {
        return !isStorePool(dataSource, store) && opensFile(jdbcUrl(dataSource), store.file());
    }

    static boolean sameFile(Path a, Path b) {
        Path left = a.toAbsolutePath().normalize();
        Path right = b.toAbsolutePath().normalize();
        if (left.equals(right)) {
            return true;
        }
        try {
            return Files.exists(left) && Files.exists(right) && Files.isSameFile(left, right);
        } catch (IOException e) {
            return false;
        }
    }
}
