package io.github.ajsessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ajsessions.core.AjSessionsException;
import io.github.ajsessions.core.MissingPreambleException;
import io.github.ajsessions.core.ReadOnlyStoreException;
import io.github.ajsessions.core.SearchIndexMissingException;
import io.github.ajsessions.core.SessionExistsException;
import io.github.ajsessions.core.InvalidExportException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each refusal maps to the exit code its Javadoc documents. */
class ExitCodesTest {

    private static final Path FILE = Path.of("/tmp/aj.db");

    @Test
    void theRefusalsMapToTheirDocumentedCodes() {
        assertThat(ExitCodes.of(new SessionExistsException(FILE, List.of("a"), null))).isEqualTo(ExitCodes.REFUSED);
        assertThat(ExitCodes.of(new MissingPreambleException(FILE, "a", "m"))).isEqualTo(ExitCodes.REFUSED);
        assertThat(ExitCodes.of(new ReadOnlyStoreException(FILE))).isEqualTo(ExitCodes.REFUSED);
        assertThat(ExitCodes.of(new SearchIndexMissingException(FILE, null))).isEqualTo(ExitCodes.FILE);
        assertThat(ExitCodes.of(new InvalidExportException(null, "m", List.of()))).isEqualTo(ExitCodes.FILE);
        assertThat(ExitCodes.of(new AjSessionsException(FILE, "m", null))).isEqualTo(ExitCodes.INTERNAL);
        assertThat(ExitCodes.of(new IllegalArgumentException("m"))).isEqualTo(ExitCodes.USAGE);
    }
}
