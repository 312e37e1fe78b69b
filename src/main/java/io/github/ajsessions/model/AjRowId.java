package io.github.ajsessions.model;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.hibernate.annotations.IdGeneratorType;

/**
 * The id of a {@link Message} or {@link AwfulConfig}: taken from the table's AUTOINCREMENT counter when
 * the entity is persisted, so ids ascend in the order entities are persisted, whatever order Hibernate
 * then inserts them in. See {@link AjRowIdGenerator}.
 */
@IdGeneratorType(AjRowIdGenerator.class)
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface AjRowId {
}
