package io.github.ajsessions.model;

import org.hibernate.type.descriptor.java.StringJavaType;

/**
 * A {@code String} column whose value Hibernate never writes to its logs: {@code api_key}. Hibernate
 * prints entity state at DEBUG ({@code org.hibernate.orm.core}, "Listing entities") and bound
 * parameters at TRACE ({@code org.hibernate.orm.jdbc.bind}) through
 * {@link #extractLoggableRepresentation}; here that gives {@code ****}. Storage is plain TEXT, as aj's.
 */
public class SecretStringJavaType extends StringJavaType {

    /** For Hibernate ({@code @JavaType(SecretStringJavaType.class)}). */
    public SecretStringJavaType() {
    }

    @Override
    public String extractLoggableRepresentation(String value) {
        return value == null ? "null" : "****";
    }
}
