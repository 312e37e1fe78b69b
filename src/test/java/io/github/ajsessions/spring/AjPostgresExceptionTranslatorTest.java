package io.github.ajsessions.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.dao.DataAccessException;

/** Each SQLSTATE class the module classifies, to its Spring exception; the server named, the state's text kept. */
class AjPostgresExceptionTranslatorTest {

    private final AjPostgresExceptionTranslator translator = new AjPostgresExceptionTranslator(
            Path.of("postgresql@127.0.0.1:5432/aj"), Duration.ofSeconds(5));

    @ParameterizedTest
    @CsvSource({
            "55P03, CannotAcquireLockException",
            "57014, CannotAcquireLockException",
            "40001, PessimisticLockingFailureException",
            "40P01, PessimisticLockingFailureException",
            "23505, DuplicateKeyException",
            "23503, DataIntegrityViolationException",
            "23502, DataIntegrityViolationException",
            "23514, DataIntegrityViolationException",
            "42501, PermissionDeniedDataAccessException",
            "25006, PermissionDeniedDataAccessException",
            "08001, DataAccessResourceFailureException",
            "28P01, DataAccessResourceFailureException",
            "3D000, DataAccessResourceFailureException"})
    void statesBecomeSpringsExceptions(String state, String expected) {
        DataAccessException translated = translator.translate("appending a turn", "INSERT ...",
                new SQLException("ERROR: something on the server", state));
        assertThat(translated).isNotNull();
        assertThat(translated.getClass().getSimpleName()).isEqualTo(expected);
        assertThat(translated.getMessage()).startsWith("appending a turn: ").contains("postgresql@127.0.0.1:5432/aj");
        assertThat(translated.getCause()).isInstanceOf(SQLException.class);
    }

    @ParameterizedTest
    @CsvSource({"42601, BadSqlGrammarException", "22001, DataIntegrityViolationException"})
    void otherStatesGoToSpringsFallback(String state, String expected) {
        DataAccessException translated = translator.translate("task", "SELECT", new SQLException("ERROR", state));
        assertThat(translated.getClass().getSimpleName()).isEqualTo(expected);
        assertThat(translated.getMessage()).doesNotContain("postgresql@");
    }
}
