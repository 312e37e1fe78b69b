package io.github.ajsessions.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The canary: the server's password and a wrong one, given in the URL, appear in no output or log line. */
class PostgresSecretsTest {

    @Test
    void thePasswordLeaksNowhereEvenWithTraceLogging(@TempDir Path folder) throws Exception {
        try (PgTestServer.Schema schema = PgTestServer.newSchema()) {
            String password = PgTestServer.password();
            String canary = "pw-canary-" + UUID.randomUUID();
            String wrong = schema.url() + "&user=" + PgTestServer.user() + "&password=" + canary;
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", System.getProperty("java.class.path"), "-Dorg.jboss.logging.provider=slf4j",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=trace", PgSecretsChild.class.getName());
            builder.environment().put("AJ_SESSIONS_CHILD_URL", schema.urlWithCredentials());
            builder.environment().put("AJ_SESSIONS_CHILD_WRONG_URL", wrong);
            Path out = folder.resolve("out.txt");
            Path err = folder.resolve("err.txt");
            Process child = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertThat(child.waitFor(180, TimeUnit.SECONDS)).as("child finished").isTrue();
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            assertThat(child.exitValue()).as("exit; stderr: %s", stderr.length() > 3000
                    ? stderr.substring(stderr.length() - 3000) : stderr).isZero();

            // the run did its work, so that a clean scan means something
            assertThat(stdout).contains("DONE").contains("password=****").contains("jpa 5")
                    .contains("error io.github.ajsessions.core.SessionExistsException")
                    .contains("error io.github.ajsessions.core.DatabaseFileException: the PostgreSQL server");
            assertThat(stderr).as("debug logging was on").contains("DEBUG com.zaxxer.hikari").contains("DEBUG org.hibernate");

            assertThat(stdout).doesNotContain(password).doesNotContain(canary);
            assertThat(stderr).doesNotContain(password).doesNotContain(canary);
        }
    }
}
