package io.github.ajsessions.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Entry point of {@code java -jar aj-sessions.jar}. */
public final class Main {

    private Main() {
    }

    /** Runs the command line and exits with its code (see {@link ExitCodes}). */
    public static void main(String[] args) {
        configureLogging(Arrays.asList(args).contains("--verbose"));
        // UTF-8 whatever the locale: Java 17 encodes System.out in the locale's charset, which in the C locale
        // turns every non-ASCII character of an export into '?'
        FailureRecorder stdout = new FailureRecorder(new FileOutputStream(FileDescriptor.out));
        PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err),
                StandardCharsets.UTF_8), true);
        int code = AjSessionsCommand.execute(args, out, err, stdout::failure);
        System.exit(code);
    }

    /** Remembers the first write error, which PrintWriter swallows, so that the one-line error can name it. */
    static final class FailureRecorder extends FilterOutputStream {
        private volatile IOException failure;

        FailureRecorder(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                record(e);
                throw e;
            }
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                record(e);
                throw e;
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                record(e);
                throw e;
            }
        }

        private void record(IOException e) {
            if (failure == null) {
                failure = e;
            }
        }

        IOException failure() {
            return failure;
        }
    }

    /**
     * Quiet by default: warnings only, to stderr (slf4j-simple); Hibernate through slf4j. Must run
     * before the first logger is created, hence system properties set here, first thing.
     */
    static void configureLogging(boolean verbose) {
        setIfAbsent("org.jboss.logging.provider", "slf4j");
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
        setIfAbsent("org.slf4j.simpleLogger.showLogName", verbose ? "true" : "false");
        setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
        if (!verbose) {
            // Hikari and Flyway say what they do at info, and Hibernate logs every SQL error it rethrows: the
            // error reaches the user once, as the command's one line; the rest only with --verbose
            setIfAbsent("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "off");
            setIfAbsent("org.slf4j.simpleLogger.log.org.flywaydb", "warn");
            setIfAbsent("org.slf4j.simpleLogger.log.org.hibernate", "error");
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
