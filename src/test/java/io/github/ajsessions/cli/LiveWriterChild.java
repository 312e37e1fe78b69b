package io.github.ajsessions.cli;

import io.github.ajsessions.AjClient;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A separate process that writes the way aj does (new connection per operation, no busy timeout),
 * turn after turn, until a stop file appears or the time is up; prints the turns written.
 * Arguments: the database, the stop file, the maximum seconds.
 */
public final class LiveWriterChild {
    private LiveWriterChild() {
    }

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        Path stop = Path.of(args[1]);
        long end = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000_000L;
        AjClient aj = new AjClient(db);
        int written = 0;
        int failed = 0;
        while (!Files.exists(stop) && System.nanoTime() < end && written < 20_000) {
            try {
                aj.turn("live", "ping " + written, "pong " + written);
                written++;
                if (written == 20) {
                    System.out.println("started");
                    System.out.flush();
                }
            } catch (Exception busy) {
                failed++; // aj has no busy timeout: a locked moment fails its write, as it would for aj
            }
        }
        System.out.println("written " + written + " failed " + failed);
    }
}
