package io.github.ajsessions.testkit;

import io.github.ajsessions.core.SchemaVariant;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The schema variant the test's file is created as, before the store opens (and adopts) it. On a
 * method it wins over one on the class; without it the file starts empty and is migrated.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
public @interface AjVariant {
    /** @return the variant to lay down, e.g. {@link SchemaVariant#AJ_INIT} */
    SchemaVariant value();
}
