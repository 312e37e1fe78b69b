package io.github.ajsessions.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.ajsessions.api.SessionStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's {@code withConfig} form of the test kit. */
class ReadmeWithConfigTest {
    @RegisterExtension
    static AjSessionsExtension aj = AjSessionsExtension.withConfig(b -> b.busyTimeout(Duration.ZERO));

    @Test
    void usesTheSettings(SessionStore store) {
        assertEquals(Duration.ZERO, store.config().busyTimeout());
    }
}
