package io.github.ajsessions.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The role of a message, stored in {@code messages.role} as the lowercase strings aj accepts.
 * aj panics on any other value, so nothing else can be written through this module.
 */
public enum Role {
    /** The system prompt; {@code "system"}. */
    SYSTEM("system"),
    /** A user turn; {@code "user"}. */
    USER("user"),
    /** A model reply; {@code "assistant"}. */
    ASSISTANT("assistant");

    private static final String KNOWN = Arrays.stream(values())
            .map(Role::dbValue).collect(Collectors.joining(", "));

    private final String dbValue;

    Role(String dbValue) {
        this.dbValue = dbValue;
    }

    /** @return the exact text stored in {@code messages.role}, e.g. {@code "assistant"} */
    public String dbValue() {
        return dbValue;
    }

    /**
     * Parses the stored text, exactly and case-sensitively as aj does.
     *
     * @throws UnknownRoleException if {@code value} is not {@code system}, {@code user} or {@code assistant}
     */
    public static Role fromDbValue(String value) {
        if (value != null) {
            for (Role role : values()) {
                if (role.dbValue.equals(value)) {
                    return role;
                }
            }
        }
        throw new UnknownRoleException(value);
    }

    /** @return {@code true} when aj would accept {@code value} as a role */
    public static boolean isKnown(String value) {
        for (Role role : values()) {
            if (role.dbValue.equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** @return the accepted values, {@code "system, user, assistant"} */
    public static String knownValues() {
        return KNOWN;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A stored role that aj would not accept (aj panics on it). */
    public static final class UnknownRoleException extends IllegalArgumentException {
        private final String value;

        UnknownRoleException(String value) {
            super("role " + (value == null ? "null" : "'" + value + "'")
                    + " is not one aj accepts (" + KNOWN + ")");
            this.value = value;
        }

        /** @return the offending stored text, possibly {@code null} */
        public String value() {
            return value;
        }
    }
}
