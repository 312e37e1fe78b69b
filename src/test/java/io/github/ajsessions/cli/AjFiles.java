package io.github.ajsessions.cli;

import io.github.ajsessions.AjClient;
import io.github.ajsessions.core.SchemaVariant;
import io.github.ajsessions.testkit.AjDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Files made as aj makes them, with content, for the command-line tests. */
final class AjFiles {

    /** An API key that must never show up in any output without --include-secrets. */
    static final String CANARY = "sk-CANARY-7f3a9c";

    private AjFiles() {
    }

    /** A file of {@code variant} with two sessions written the way aj writes, one holding the canary key. */
    static Path populated(Path file, SchemaVariant variant) throws Exception {
        AjDatabases.create(file, variant);
        AjClient aj = new AjClient(file);
        aj.turn("research", "What is WAL?", "Write-ahead logging keeps readers and the writer apart.");
        aj.turn("research", "And a rollback journal?", "The older mode: a reader blocks the writer's commit.");
        aj.turn("groceries", "Milk, eggs and bread", "Noted: milk, eggs, bread.");
        aj.recordConfig(1, "https://api.example.com/v1", CANARY, "gpt-4o", 128000, 4096, List.of("</s>", "User:"));
        // owner-only, as a careful user keeps it (doctor fails a world-readable file that holds API keys)
        java.nio.file.Files.setPosixFilePermissions(file,
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /** @return every row of the three tables, in id order, as text, for row-by-row comparison */
    static List<String> rows(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = new AjClient(file).connect(); Statement st = c.createStatement()) {
            for (String sql : List.of("SELECT * FROM conversations ORDER BY id", "SELECT * FROM messages ORDER BY id",
                    "SELECT * FROM awful_configs ORDER BY id")) {
                try (ResultSet rs = st.executeQuery(sql)) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder b = new StringBuilder(sql.substring(14, 20)).append(':');
                        for (int i = 1; i <= n; i++) {
                            b.append(rs.getMetaData().getColumnName(i)).append('=').append(rs.getString(i)).append('|');
                        }
                        out.add(b.toString());
                    }
                }
            }
        }
        return out;
    }
}
