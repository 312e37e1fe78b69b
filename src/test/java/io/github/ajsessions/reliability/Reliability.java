package io.github.ajsessions.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/** Shared bits of the reliability harness: run-size properties, plain JDBC checks, the report files. */
final class Reliability {

    /** Where each run appends its figures (one line per run), e.g. {@code target/reliability/concurrency.txt}. */
    static final Path REPORTS = Path.of("target", "reliability");

    private Reliability() {
    }

    static int intProperty(String name, int ciDefault) {
        return Integer.getInteger("reliability." + name, ciDefault);
    }

    static double doubleProperty(String name, double ciDefault) {
        String v = System.getProperty("reliability." + name);
        return v == null ? ciDefault : Double.parseDouble(v);
    }

    static void report(String file, String line) {
        System.out.println("[reliability] " + line);
        try {
            Files.createDirectories(REPORTS);
            Files.writeString(REPORTS.resolve(file), line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A plain connection as sqlite3 would open it: no busy timeout beyond {@code busyMillis}. */
    static Connection plain(Path db, int busyMillis) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout = " + busyMillis);
        }
        return c;
    }

    static String integrityCheck(Path db) throws SQLException {
        try (Connection c = plain(db, 5000); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
            StringBuilder out = new StringBuilder();
            while (rs.next()) {
                out.append(out.length() == 0 ? "" : "; ").append(rs.getString(1));
            }
            return out.toString();
        }
    }

    static void deleteTree(Path folder) {
        if (folder == null || !Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
