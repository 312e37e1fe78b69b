package io.github.ajsessions.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.model.MessageRecord;
import io.github.ajsessions.model.Role;
import io.github.ajsessions.testkit.AjSessionsExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(AjSessionsExtension.class)
class SmokeTest {
    @Test
    void demoRoundTrips(SessionStore store, Path file) {
        store.findOrCreateSession("demo", Preamble.defaults());
        store.appendMessage("demo", Role.USER, "Hi");
        store.appendTurn("demo", "how are you?", "fine");
        List<MessageRecord> h = store.history("demo");
        assertThat(h).extracting(MessageRecord::role).containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.USER,
                Role.USER, Role.ASSISTANT);
        assertThat(store.info().variant()).isEqualTo(SchemaVariant.AJ_SESSIONS);
        assertThat(store.info().appliedMigrations()).hasSize(2);
    }
}
