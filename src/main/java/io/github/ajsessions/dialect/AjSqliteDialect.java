package io.github.ajsessions.dialect;

import io.github.ajsessions.core.ConstraintException;
import io.github.ajsessions.internal.errors.SqliteErrors;
import java.sql.SQLException;
import java.sql.Types;
import org.hibernate.community.dialect.SQLiteDialect;
import org.hibernate.exception.ConstraintViolationException.ConstraintKind;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.spi.SQLExceptionConversionDelegate;
import org.sqlite.SQLiteException;

/**
 * The Hibernate dialect for aj's {@code aj.db}: Hibernate's community {@link SQLiteDialect} with two
 * corrections. Name it wherever Hibernate is configured by hand, e.g. in Spring Boot
 * ({@code spring.jpa.properties.hibernate.dialect=io.github.ajsessions.dialect.AjSqliteDialect}; the
 * module's auto-configuration sets it for you) or in a {@code persistence.xml} of your own.
 *
 * <ul>
 *   <li>{@code BIGINT} is spelled {@code integer}. aj's ids are SQLite {@code INTEGER} (64-bit) and the
 *       entities map them as {@code Long}; with the stock dialect {@code hbm2ddl=validate} fails with
 *       "wrong column type encountered in column [id] in table [conversations]; found [integer
 *       (Types#INTEGER)], but expecting [bigint (Types#BIGINT)]". Mapping the ids as {@code Integer}
 *       instead would silently wrap past 2^31.</li>
 *   <li>SQLITE_CONSTRAINT (19) becomes Hibernate's {@link ConstraintViolationException} with its kind
 *       (foreign key, unique, not null, check) and SQLite's constraint name, e.g.
 *       {@code conversations.session_name}; the stock dialect maps only codes 5, 6, 18, 20 and 26 and
 *       leaves a foreign-key violation as a {@code GenericJDBCException}, which JPA hosts such as Spring
 *       cannot classify.</li>
 * </ul>
 *
 * <p>Also set {@code hibernate.hbm2ddl.jdbc_metadata_extraction_strategy=individually} when Hibernate
 * validates the file: the default strategy reads every table of the file and fails with a
 * {@code NoSuchElementException} on a column without a declared type, such as those of the FTS5 table
 * that {@code aj-sessions search} creates.
 */
public class AjSqliteDialect extends SQLiteDialect {

    @Override
    protected String columnType(int sqlTypeCode) {
        if (sqlTypeCode == Types.BIGINT) {
            return "integer";
        }
        return super.columnType(sqlTypeCode);
    }

    @Override
    public SQLExceptionConversionDelegate buildSQLExceptionConversionDelegate() {
        SQLExceptionConversionDelegate stock = super.buildSQLExceptionConversionDelegate();
        return (sqlException, message, sql) -> {
            if (SqliteErrors.primaryCode(sqlException) == SqliteErrors.SQLITE_CONSTRAINT) {
                ConstraintException.Kind kind = SqliteErrors.constraintKind(extendedCode(sqlException),
                        sqlException.getMessage());
                return new ConstraintViolationException(message, sqlException, sql, hibernateKind(kind),
                        SqliteErrors.constraintName(sqlException.getMessage()));
            }
            return stock.convert(sqlException, message, sql);
        };
    }

    private static int extendedCode(SQLException e) {
        return e instanceof SQLiteException ? ((SQLiteException) e).getResultCode().code : e.getErrorCode();
    }

    private static ConstraintKind hibernateKind(ConstraintException.Kind kind) {
        switch (kind) {
            case FOREIGN_KEY:
                return ConstraintKind.FOREIGN_KEY;
            case UNIQUE:
            case PRIMARY_KEY:
                return ConstraintKind.UNIQUE;
            case NOT_NULL:
                return ConstraintKind.NOT_NULL;
            case CHECK:
                return ConstraintKind.CHECK;
            default:
                return ConstraintKind.OTHER;
        }
    }
}
