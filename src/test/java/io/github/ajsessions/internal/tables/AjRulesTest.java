package io.github.ajsessions.internal.tables;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ajsessions.model.Role;
import io.github.ajsessions.model.SnapshotRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** aj's rules, defined once in {@link AjRules}: no database needed. */
class AjRulesTest {

    @Test
    void theRoleListOfTheSqlIsDerivedFromRole() {
        assertThat(AjRules.KNOWN_ROLES_SQL).isEqualTo("('system', 'user', 'assistant')");
    }

    @Test
    void thePreambleIsSystemUserAssistantFirst() {
        assertThat(AjRules.startsWithPreamble(List.of(Role.SYSTEM, Role.USER, Role.ASSISTANT))).isTrue();
        assertThat(AjRules.startsWithPreamble(List.of(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.USER))).isTrue();
        assertThat(AjRules.startsWithPreamble(List.of(Role.USER, Role.ASSISTANT, Role.USER))).isFalse();
        assertThat(AjRules.startsWithPreamble(List.of(Role.SYSTEM, Role.USER))).isFalse();
        assertThat(AjRules.PREAMBLE_ROWS).isEqualTo(3);
    }

    @Test
    void snapshotsAreComparedOnFiveFieldsAndNotOnStopWords() {
        SnapshotRecord first = new SnapshotRecord(1, 1L, "http://x", "k", "m", 8, 2, List.of("a"));
        assertThat(AjRules.sameAjFields(first, new SnapshotRecord(9, 2L, "http://x", "k", "m", 8, 2, List.of("b"))))
                .isTrue();
        assertThat(AjRules.sameAjFields(first, new SnapshotRecord(1, 1L, "http://y", "k", "m", 8, 2, List.of("a"))))
                .isFalse();
        assertThat(AjRules.sameAjFields(first, new SnapshotRecord(1, 1L, "http://x", "k2", "m", 8, 2, List.of("a"))))
                .isFalse();
        assertThat(AjRules.sameAjFields(first, new SnapshotRecord(1, 1L, "http://x", "k", "m2", 8, 2, List.of("a"))))
                .isFalse();
        assertThat(AjRules.sameAjFields(first, new SnapshotRecord(1, 1L, "http://x", "k", "m", 9, 2, List.of("a"))))
                .isFalse();
        assertThat(AjRules.sameAjFields(first, new SnapshotRecord(1, 1L, "http://x", "k", "m", 8, 3, List.of("a"))))
                .isFalse();
    }

    @Test
    void theIdLimitIsWhatDieselReads() {
        assertThat(AjRules.AJ_MAX_ID).isEqualTo(2_147_483_647L);
    }
}
