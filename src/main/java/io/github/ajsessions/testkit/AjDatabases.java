package io.github.ajsessions.testkit;

import io.github.ajsessions.core.SchemaVariant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Lays down files the way aj and its docs make them, for tests. */
public final class AjDatabases {

    private AjDatabases() {
    }

    /**
     * Creates {@code file} with the exact DDL of {@code variant} (from aj's fixtures), through a plain
     * sqlite-jdbc connection as sqlite3 or Diesel would, with no history of this module.
     *
     * @throws IllegalArgumentException when the file exists already or the variant is EMPTY
     */
    public static Path create(Path file, SchemaVariant variant) {
        if (Files.exists(file)) {
            throw new IllegalArgumentException("file " + file + " exists already");
        }
        if (variant == SchemaVariant.EMPTY) {
            throw new IllegalArgumentException("variant EMPTY has no DDL: open a missing file to get one");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = c.createStatement()) {
            for (String statement : variant.ddlStatements()) {
                st.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a " + variant + " file at " + file + ": " + e.getMessage(), e);
        }
        return file;
    }
}
