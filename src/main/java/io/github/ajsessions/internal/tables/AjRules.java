package io.github.ajsessions.internal.tables;

import io.github.ajsessions.model.AjIdLimit;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.model.SnapshotRecord;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** aj's rules for the rows it reads, each defined once; where aj would panic or fail is named. */
public final class AjRules {

    /** The largest id aj can read: Diesel reads every id as a 32-bit signed integer. */
    public static final long AJ_MAX_ID = AjIdLimit.AJ_MAX_ID;

    /** The roles aj accepts, as an SQL list: {@code ('system', 'user', 'assistant')}. */
    public static final String KNOWN_ROLES_SQL = Arrays.stream(Role.values())
            .map(r -> "'" + r.dbValue() + "'").collect(Collectors.joining(", ", "(", ")"));

    /** How many rows aj's preamble has at least; aj panics on a non-empty conversation with fewer. */
    public static final int PREAMBLE_ROWS = 3;

    /** The roles of aj's preamble rows, in order: the system prompt, the "brain" user row, the assistant's Ok. */
    public static final List<Role> PREAMBLE_ROLES = List.of(Role.SYSTEM, Role.USER, Role.ASSISTANT);

    private AjRules() {
    }

    /** @return whether {@code firstRoles}, the roles of a conversation's first rows, are aj's preamble */
    public static boolean startsWithPreamble(List<Role> firstRoles) {
        return firstRoles.size() >= PREAMBLE_ROWS && firstRoles.subList(0, PREAMBLE_ROWS).equals(PREAMBLE_ROLES);
    }

    /**
     * aj's snapshot rule: a new snapshot is appended when the conversation's <em>first</em> snapshot
     * differs from the current config on these five fields; stop words are not compared.
     *
     * @return whether {@code a} and {@code b} agree on api_base, api_key, model, context_max_tokens and
     *         assistant_minimum_context_tokens
     */
    public static boolean sameAjFields(SnapshotRecord a, SnapshotRecord b) {
        return Objects.equals(a.apiBase(), b.apiBase())
                && Objects.equals(a.apiKey(), b.apiKey())
                && Objects.equals(a.model(), b.model())
                && a.contextMaxTokens() == b.contextMaxTokens()
                && a.assistantMinimumContextTokens() == b.assistantMinimumContextTokens();
    }
}
