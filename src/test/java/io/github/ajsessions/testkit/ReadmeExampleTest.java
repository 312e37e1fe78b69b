package io.github.ajsessions.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ajsessions.api.Preamble;
import io.github.ajsessions.api.SessionStore;
import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.model.Message;
import io.github.ajsessions.model.MessageRecord;
import io.github.ajsessions.model.Role;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's test-kit example, verbatim, so that it keeps compiling and passing. */
@ExtendWith(AjSessionsExtension.class)
class ReadmeExampleTest {
    @Test
    void keepsTurnsInOrder(SessionStore store) {                         // a fresh, migrated file
        store.findOrCreateSession("s", Preamble.defaults());
        store.appendTurn("s", "hi", "hello");
        assertEquals(List.of(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT),
                store.history("s").stream().map(MessageRecord::role).toList());
    }

    @Test
    @AjVariant(SchemaVariant.AJ_INIT)                                   // a file as `aj init` makes it
    void readsWhatAjWrote(SessionStore store, Path file) throws Exception {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            c.createStatement().execute("INSERT INTO conversations (session_name) VALUES ('from-aj')");
        }
        assertTrue(store.findSession("from-aj").isPresent());
        assertEquals(SchemaVariant.AJ_INIT, store.info().variant());
    }
}
