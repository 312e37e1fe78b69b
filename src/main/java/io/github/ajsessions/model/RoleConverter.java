package io.github.ajsessions.model;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores {@link Role} as aj's lowercase text; rejects anything else on read. */
@Converter
public class RoleConverter implements AttributeConverter<Role, String> {

    @Override
    public String convertToDatabaseColumn(Role role) {
        if (role == null) {
            throw new IllegalArgumentException("role must not be null (messages.role is NOT NULL; aj accepts "
                    + Role.knownValues() + ")");
        }
        return role.dbValue();
    }

    @Override
    public Role convertToEntityAttribute(String value) {
        return Role.fromDbValue(value);
    }
}
