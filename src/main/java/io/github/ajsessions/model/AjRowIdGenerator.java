package io.github.ajsessions.model;

import jakarta.persistence.TransactionRequiredException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumSet;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.generator.BeforeExecutionGenerator;
import org.hibernate.generator.EventType;

/**
 * Gives a new {@link Message} or {@link AwfulConfig} its id at the moment it is persisted, by taking
 * the next value of SQLite's AUTOINCREMENT counter for its table ({@code sqlite_sequence}) in the
 * persisting transaction. The row is then inserted with that id.
 *
 * <p>Contract: ids ascend in the order the entities are persisted (directly, by cascade in the order of
 * the collection they were added to, or by merge), never reusing an id. Each id is the one SQLite's
 * AUTOINCREMENT would pick: one above both the counter and the largest id in the table; the counter is
 * left at it, so aj's next insert follows the new rows, and a rolled-back transaction rolls it back.
 * Persisting a new message or snapshot needs an active transaction. On PostgreSQL (the module's
 * migrations, {@code PostgreSQLDialect}) the id is the next value of the table's identity sequence:
 * ascending in persist order, never reused, a rolled-back transaction leaving a gap. The first id a
 * transaction takes there also takes the write lock of the session API ({@link #POSTGRES_WRITE_LOCK_KEY},
 * a transaction-scoped advisory lock, held to commit or rollback), as SQLite's {@code BEGIN IMMEDIATE}
 * serialises writers: the rows of one transaction get consecutive ids, and ids ascend in commit order.
 */
public class AjRowIdGenerator implements BeforeExecutionGenerator {

    // Why not GenerationType.IDENTITY: the id would be the insert's, and Hibernate inserts an entity only
    // after cascading its @ManyToOne(cascade = PERSIST) to the conversation. When that conversation is
    // managed and not yet cascaded in this flush (or is new), the cascade goes on into the conversation's
    // collections and inserts the entity's later siblings first: the first of five new messages got the
    // last id, and aj, reading rows by rowid, saw the reply before the question. Taking the id before
    // that cascade makes the id order the persist order, whatever the insert order.

    /**
     * The key of the transaction-scoped advisory lock ({@code pg_advisory_xact_lock}) that serialises the
     * writers of messages and snapshots on PostgreSQL: the session API's write transactions take it first,
     * a JPA transaction with its first new message or snapshot. ("ajse" in ASCII.)
     */
    public static final long POSTGRES_WRITE_LOCK_KEY = 0x616A7365L;

    private static final long serialVersionUID = 1L;

    /** For Hibernate ({@link AjRowId}). */
    public AjRowIdGenerator() {
    }

    /**
     * @return the next id of the owner's table, reserved in {@code sqlite_sequence}
     * @throws TransactionRequiredException no transaction is active: the counter is part of aj's file
     *         and is only moved inside the writing transaction
     */
    @Override
    public Object generate(SharedSessionContractImplementor session, Object owner, Object currentValue,
                           EventType eventType) {
        String table = tableOf(owner);
        if (!session.isTransactionInProgress()) {
            throw new TransactionRequiredException("persisting a new " + owner.getClass().getSimpleName()
                    + " needs an active transaction: its id is taken from " + table
                    + "'s AUTOINCREMENT counter in aj's file");
        }
        Connection connection = session.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection();
        if (session.getJdbcServices().getDialect() instanceof PostgreSQLDialect) {
            // PostgreSQL (the module's migrations): the table's identity sequence, which is transactional
            // enough for the contract (ids ascend in persist order, never reused; a rollback leaves a gap).
            // Sequences are not transactional, though: without the lock, two transactions appending turns
            // at once would interleave their ids (user 10, user 11, reply 12, reply 13), and a reader taking
            // "ids above the last seen" (sync, a paging reader) could miss a row committed later with a
            // lower id. The lock is re-entrant within the transaction; the subquery is volatile, so it is
            // evaluated, and the lock taken, before nextval
            String next = "SELECT nextval(pg_get_serial_sequence('" + table + "', 'id')) FROM (SELECT"
                    + " pg_advisory_xact_lock(" + POSTGRES_WRITE_LOCK_KEY + ")) AS serialised";
            try {
                return next(connection, next);
            } catch (SQLException e) {
                throw session.getJdbcServices().getSqlExceptionHelper().convert(e,
                        "could not take the next id of " + table, next);
            }
        }
        IdStatements statements = IdStatements.of(table);
        String sql = statements.bump();
        try {
            // the store's connections keep these compiled (their prepareStatement serves a statement cache)
            Long id = next(connection, sql);
            if (id == null) {
                sql = statements.create();
                id = next(connection, sql);
            }
            return id;
        } catch (SQLException e) {
            throw session.getJdbcServices().getSqlExceptionHelper().convert(e,
                    "could not take the next id of " + table, sql);
        }
    }

    private static Long next(Connection connection, String sql) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }

    /**
     * The SQL of one table, built once. {@code bump}: one statement when the counter exists (any table that
     * ever had a row); {@code create}: SQLite creates the counter's row on the first insert, so an empty
     * table may have none yet.
     */
    private record IdStatements(String bump, String create) {

        private static final IdStatements MESSAGES = forTable("messages");
        private static final IdStatements AWFUL_CONFIGS = forTable("awful_configs");

        static IdStatements of(String table) {
            return table.equals("messages") ? MESSAGES : AWFUL_CONFIGS;
        }

        private static IdStatements forTable(String table) {
            return new IdStatements(
                    "UPDATE sqlite_sequence SET seq = max(seq, (SELECT coalesce(max(id), 0) FROM " + table
                            + ")) + 1 WHERE name = '" + table + "' RETURNING seq",
                    "INSERT INTO sqlite_sequence (name, seq) SELECT '" + table + "', coalesce(max(id), 0) + 1"
                            + " FROM " + table + " RETURNING seq");
        }
    }

    private static String tableOf(Object entity) {
        if (entity instanceof Message) {
            return "messages";
        }
        if (entity instanceof AwfulConfig) {
            return "awful_configs";
        }
        throw new IllegalArgumentException("@AjRowId is for Message and AwfulConfig, not "
                + entity.getClass().getName());
    }

    @Override
    public EnumSet<EventType> getEventTypes() {
        return EnumSet.of(EventType.INSERT);
    }
}
