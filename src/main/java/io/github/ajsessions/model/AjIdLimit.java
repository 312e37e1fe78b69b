package io.github.ajsessions.model;

import jakarta.persistence.PostPersist;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns when a row is written with an id above 2,147,483,647: SQLite and this module keep it exactly
 * (64-bit {@code INTEGER}, {@code Long}), but aj (Diesel) reads every id as a 32-bit integer and fails
 * on such a row. Registered on every entity, so it covers the session API and a caller's own JPA code.
 */
public class AjIdLimit {

    private static final Logger LOG = LoggerFactory.getLogger(AjIdLimit.class);

    /** The largest id aj can read. */
    public static final long AJ_MAX_ID = Integer.MAX_VALUE;

    /** The file being written by this thread, so that the warning can name it (a listener is not told). */
    private static final ThreadLocal<Object> FILE = new ThreadLocal<>();

    /** Runs {@code work} with {@code file} named in any warning it causes. */
    public static <T> T namingFile(Object file, Supplier<T> work) {
        Object previous = FILE.get();
        FILE.set(file);
        try {
            return work.get();
        } finally {
            if (previous == null) {
                FILE.remove();
            } else {
                FILE.set(previous);
            }
        }
    }

    @PostPersist
    void afterInsert(Object entity) {
        Long id = entity instanceof Conversation ? ((Conversation) entity).getId()
                : entity instanceof Message ? ((Message) entity).getId()
                : entity instanceof AwfulConfig ? ((AwfulConfig) entity).getId() : null;
        if (id != null) {
            warnIfTooLarge(entityName(entity), id, FILE.get());
        }
    }

    /**
     * Logs the warning for a row written without JPA (the session API's JDBC statements).
     *
     * @param entityName e.g. {@code "Message"}
     * @param file       the database file, named in the warning; may be {@code null}
     */
    public static void warnIfTooLarge(String entityName, long id, Object file) {
        if (id > AJ_MAX_ID) {
            LOG.warn("{} id {}{} is above 2,147,483,647: aj reads ids as 32-bit integers and will fail on this row",
                    entityName, id, file == null ? "" : " in " + file);
        }
    }

    private static String entityName(Object entity) {
        return entity instanceof Conversation ? "Conversation" : entity instanceof Message ? "Message" : "AwfulConfig";
    }
}
