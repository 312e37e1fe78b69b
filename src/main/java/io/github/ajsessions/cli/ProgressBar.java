package io.github.ajsessions.cli;

import io.github.ajsessions.api.Progress;
import java.io.PrintWriter;

/**
 * A progress bar on standard error, drawn only when the process runs on a terminal (so that scripts,
 * pipes and tests see nothing), at most every 100 ms.
 */
final class ProgressBar implements Progress, AutoCloseable {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final String label;
    private final boolean enabled;
    private long lastDraw;
    private boolean drawn;

    ProgressBar(PrintWriter err, String label) {
        this.err = err;
        this.label = label;
        this.enabled = System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    @Override
    public void update(long done, long total) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (drawn && now - lastDraw < 100_000_000L && done < total) {
            return;
        }
        lastDraw = now;
        drawn = true;
        if (total > 0) {
            int filled = (int) Math.min(WIDTH, WIDTH * done / total);
            err.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] "
                    + Math.min(100, 100 * done / total) + "% ");
        } else {
            err.print("\r" + label + " " + done + " ");
        }
        err.flush();
    }

    @Override
    public void close() {
        if (enabled && drawn) {
            err.print("\r" + " ".repeat(label.length() + WIDTH + 10) + "\r");
            err.flush();
        }
    }
}
