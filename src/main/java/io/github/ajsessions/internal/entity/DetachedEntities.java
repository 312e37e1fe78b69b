package io.github.ajsessions.internal.entity;

import io.github.ajsessions.model.AwfulConfig;
import io.github.ajsessions.model.Conversation;
import io.github.ajsessions.model.Message;
import io.github.ajsessions.model.Role;
import java.lang.reflect.Field;
import java.util.List;
import org.hibernate.collection.spi.PersistentBag;

/**
 * Builds the entities of rows read or written with plain JDBC, in the state an entity manager that
 * loaded them and closed would leave them: detached, id set, and the conversation's collections
 * <em>not loaded</em>.
 *
 * <p>Why: the session API runs on the pool without Hibernate (no EntityManagerFactory is needed, so
 * opening a store skips Hibernate's boot), yet returns the same entities. The id has no public setter
 * (it is SQLite's), so it is set here as Hibernate sets it, through the field. The collections are
 * Hibernate's own uninitialised bag, as on any detached entity whose collections were never read:
 * reading them fails with Hibernate's {@code LazyInitializationException} instead of claiming the
 * session is empty, and {@code merge} leaves the stored rows alone (an empty list would make
 * orphan removal delete them).
 */
public final class DetachedEntities {

    private static final Field CONVERSATION_ID = field(Conversation.class, "id");
    private static final Field CONVERSATION_MESSAGES = field(Conversation.class, "messages");
    private static final Field CONVERSATION_CONFIGS = field(Conversation.class, "configs");
    private static final Field MESSAGE_ID = field(Message.class, "id");
    private static final Field CONFIG_ID = field(AwfulConfig.class, "id");

    private DetachedEntities() {
    }

    /** @return the conversation row {@code id, sessionName}, its collections not loaded */
    public static Conversation conversation(long id, String sessionName) {
        Conversation conversation = new Conversation(sessionName);
        set(CONVERSATION_ID, conversation, id);
        set(CONVERSATION_MESSAGES, conversation, new PersistentBag<>());
        set(CONVERSATION_CONFIGS, conversation, new PersistentBag<>());
        return conversation;
    }

    /** @return the message row, linked to {@code conversation} */
    public static Message message(long id, Role role, String content, boolean dynamic, Conversation conversation) {
        Message message = new Message(role, content);
        message.setDynamic(dynamic);
        message.setConversation(conversation);
        set(MESSAGE_ID, message, id);
        return message;
    }

    /** @return the config snapshot row, linked to {@code conversation} */
    public static AwfulConfig config(long id, String apiBase, String apiKey, String model, int contextMaxTokens,
                                     int assistantMinimumContextTokens, List<String> stopWords,
                                     Conversation conversation) {
        AwfulConfig config = new AwfulConfig(apiBase, apiKey, model, contextMaxTokens, assistantMinimumContextTokens,
                stopWords);
        config.setConversation(conversation);
        set(CONFIG_ID, config, id);
        return config;
    }

    /** Sets the id of a new config snapshot once its row is written. */
    public static void assignId(AwfulConfig config, long id) {
        set(CONFIG_ID, config, id);
    }

    private static Field field(Class<?> type, String name) {
        try {
            Field field = type.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static void set(Field field, Object entity, Object value) {
        try {
            field.set(entity, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot set " + field, e);
        }
    }
}
