package io.github.ajsessions.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code scripts/reliability/aj_like_writer.py} (aj's way of writing: a new connection per
 * operation, no busy timeout, deferred transactions, single-statement inserts) as a separate process.
 */
final class AjLikeWriter {

    static final Path SCRIPT = Path.of("scripts", "reliability", "aj_like_writer.py");

    private final Process process;
    private final CompletableFuture<String> stdout;
    private final CompletableFuture<String> stderr;

    private AjLikeWriter(Process process) {
        this.process = process;
        this.stdout = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        this.stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
    }

    static boolean python3Available() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import sqlite3").redirectErrorStream(true).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static AjLikeWriter start(Path db, List<String> sessions, int turns, double seconds, double pauseMillis,
                              String tag) throws IOException {
        if (!Files.isRegularFile(SCRIPT)) {
            throw new IllegalStateException("aj-like writer script not found at " + SCRIPT.toAbsolutePath());
        }
        List<String> command = new ArrayList<>(List.of("python3", SCRIPT.toString(), db.toString(),
                "--sessions", String.join(",", sessions), "--turns", String.valueOf(turns),
                "--seconds", String.valueOf(seconds), "--pause-ms", String.valueOf(pauseMillis), "--tag", tag));
        return new AjLikeWriter(new ProcessBuilder(command).start());
    }

    /** Waits for the report; kills the process when it overruns {@code maxSeconds}. */
    Report await(long maxSeconds) throws InterruptedException {
        if (!process.waitFor(maxSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("aj-like writer still running after " + maxSeconds + " s; killed");
        }
        String out = stdout.join();
        String err = stderr.join();
        if (process.exitValue() != 0) {
            throw new IllegalStateException("aj-like writer failed (exit " + process.exitValue() + "): " + err);
        }
        try {
            return new Report(new ObjectMapper().readTree(out));
        } catch (IOException e) {
            throw new IllegalStateException("aj-like writer printed no JSON report: " + out + err, e);
        }
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The writer's JSON report. */
    record Report(JsonNode json) {
        int turns() {
            return json.get("turns").asInt();
        }

        int operations() {
            return json.get("operations").asInt();
        }

        int busyTotal() {
            return json.get("busy_total").asInt();
        }

        JsonNode busyByStep() {
            return json.get("busy");
        }

        int turnsComplete() {
            return json.get("turns_complete").asInt();
        }

        int userWithoutReply() {
            return json.get("user_without_reply").asInt();
        }

        double longestStepMillis() {
            return json.get("longest_step_ms").asDouble();
        }

        List<String> panics() {
            List<String> out = new ArrayList<>();
            json.get("panics").forEach(p -> out.add(p.asText()));
            return out;
        }

        /** @return every acknowledged row as (id, conversation id, role, content) */
        List<AckedRow> acked() {
            List<AckedRow> out = new ArrayList<>();
            for (JsonNode row : json.get("acked")) {
                out.add(new AckedRow(row.get(0).asLong(), row.get(1).asLong(), row.get(2).asText(),
                        row.get(3).asText()));
            }
            return out;
        }
    }

    record AckedRow(long id, long conversationId, String role, String content) {
    }
}
