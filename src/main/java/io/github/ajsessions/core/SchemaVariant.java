package io.github.ajsessions.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Which of the known shapes of aj's schema a file has, read from {@code sqlite_master}. */
public enum SchemaVariant {
    /** No tables at all: a new file. */
    EMPTY("empty (no tables)", null),
    /** {@code aj init} / {@code aj reset} (aj >= 0.3.10): UNIQUE session_name, no ON DELETE CASCADE. */
    AJ_INIT("aj-init (made by `aj init` / `aj reset`)", "aj-init.sql"),
    /** {@code diesel migration run} with aj's repository: as aj-init plus {@code __diesel_schema_migrations}. */
    DIESEL_CLI("diesel-cli (made by `diesel migration run`)", "diesel-cli.sql"),
    /** The raw sqlite3 recipe of aj's docs: session_name not unique, ON DELETE CASCADE, dynamic default 0. */
    DOCS_OPTION_C("docs-option-c (aj's raw sqlite3 recipe)", "docs-option-c.sql"),
    /** Made by this module's migration V1: aj-init with ON DELETE CASCADE, plus Diesel's bookkeeping. */
    AJ_SESSIONS("aj-sessions (made by this module)", null);

    /** This module's migration V1, the DDL of {@link #AJ_SESSIONS}. */
    private static final String MIGRATION_V1 = "/io/github/ajsessions/migration/V1__aj_schema.sql";

    private final String description;
    private final String fixture;

    SchemaVariant(String description, String fixture) {
        this.description = description;
        this.fixture = fixture;
    }

    /** @return a short human description, e.g. {@code "aj-init (made by `aj init` / `aj reset`)"} */
    public String description() {
        return description;
    }

    /**
     * @return the classpath resource holding the exact DDL of this variant, or {@code null} for
     *         {@link #EMPTY} and {@link #AJ_SESSIONS} (whose DDL is migration V1)
     */
    public String fixtureResource() {
        return fixture == null ? null : "/io/github/ajsessions/variants/" + fixture;
    }

    /**
     * @return the DDL statements a file of this variant is made with, comments removed, in order; none for
     *         {@link #EMPTY}; for {@link #AJ_SESSIONS} those of this module's migration V1
     */
    public List<String> ddlStatements() {
        String resource = this == AJ_SESSIONS ? MIGRATION_V1 : fixtureResource();
        if (resource == null) {
            return List.of();
        }
        String ddl;
        try (InputStream in = SchemaVariant.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("bundled resource " + resource + " is missing from the jar");
            }
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder kept = new StringBuilder();
        for (String line : ddl.split("\n")) {
            if (!line.trim().startsWith("--")) {
                kept.append(line).append('\n');
            }
        }
        List<String> out = new ArrayList<>();
        for (String part : kept.toString().split(";")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return List.copyOf(out);
    }
}
