package io.github.ajsessions.internal.schema;

import io.github.ajsessions.core.SchemaVariant;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names the variant of a file by comparing its structure with the exact DDL of each known variant
 * (bundled from the fixtures) and with this module's migration V1.
 */
public final class SchemaInspector {

    /** What {@link #inspect} found. */
    public record Inspection(SchemaVariant variant, List<String> differences, List<String> tables) {
        /** @return {@code true} when aj's tables are a known variant (or the file is empty) */
        public boolean known() {
            return variant != null;
        }

        /** @return {@code true} when none of aj's three tables exists but other tables do */
        public boolean foreign() {
            return variant == null && differences.isEmpty();
        }
    }

    /**
     * The variants to compare with, most likely first: files this module made or migrated, then aj's
     * own. Each shape costs an in-memory database the first time it is needed, so a file that matches
     * early (the usual case) costs one, not four, on a command line's short-lived JVM.
     */
    private static final List<SchemaVariant> CANDIDATES = List.of(SchemaVariant.AJ_SESSIONS, SchemaVariant.AJ_INIT,
            SchemaVariant.DIESEL_CLI, SchemaVariant.DOCS_OPTION_C);
    private static final Map<SchemaVariant, SchemaShape> SHAPES = new ConcurrentHashMap<>();

    private SchemaInspector() {
    }

    /**
     * @return the variant, or a {@code null} variant with the differences from the closest known one
     *         (no differences and a {@code null} variant: a database with none of aj's tables)
     */
    public static Inspection inspect(Connection connection) throws SQLException {
        SchemaShape shape = SchemaShape.read(connection);
        List<String> tables = shape.allTables;
        if (shape.ajTables.isEmpty()) {
            boolean empty = tables.stream().allMatch(t -> t.equals("sqlite_sequence")
                    || t.equals(SchemaShape.DIESEL_TABLE) || t.equals(SchemaManager.HISTORY_TABLE));
            return new Inspection(empty ? SchemaVariant.EMPTY : null, List.of(), tables);
        }
        List<String> closest = null;
        for (SchemaVariant candidate : CANDIDATES) {
            List<String> diff = shape.differencesFrom(shapeOf(candidate));
            if (diff.isEmpty()) {
                return new Inspection(candidate, List.of(), tables);
            }
            if (closest == null || diff.size() < closest.size()) {
                closest = diff;
            }
        }
        return new Inspection(null, closest, tables);
    }

    private static SchemaShape shapeOf(SchemaVariant variant) {
        return SHAPES.computeIfAbsent(variant, v -> SchemaShape.ofStatements(v.ddlStatements()));
    }
}
