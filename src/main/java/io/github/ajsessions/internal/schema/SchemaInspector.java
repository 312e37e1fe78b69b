package io.github.ajsessions.internal.schema;

import io.github.ajsessions.api.SchemaVariant;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

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

    private static volatile Map<SchemaVariant, SchemaShape> known;

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
        for (Map.Entry<SchemaVariant, SchemaShape> candidate : knownShapes().entrySet()) {
            List<String> diff = shape.differencesFrom(candidate.getValue());
            if (diff.isEmpty()) {
                return new Inspection(candidate.getKey(), List.of(), tables);
            }
            if (closest == null || diff.size() < closest.size()) {
                closest = diff;
            }
        }
        return new Inspection(null, closest, tables);
    }

    private static Map<SchemaVariant, SchemaShape> knownShapes() {
        Map<SchemaVariant, SchemaShape> shapes = known;
        if (shapes == null) {
            shapes = new EnumMap<>(SchemaVariant.class);
            for (SchemaVariant v : SchemaVariant.values()) {
                if (v.fixtureResource() != null) {
                    shapes.put(v, SchemaShape.ofDdl(resource(v.fixtureResource())));
                }
            }
            shapes.put(SchemaVariant.AJ_SESSIONS, SchemaShape.ofDdl(resource(SchemaManager.V1_RESOURCE)));
            known = shapes;
        }
        return shapes;
    }

    /** @return the DDL statements of a bundled variant, comments removed, for laying down a test file */
    public static List<String> statementsOf(SchemaVariant variant) {
        String res = variant == SchemaVariant.AJ_SESSIONS ? SchemaManager.V1_RESOURCE : variant.fixtureResource();
        if (res == null) {
            return new ArrayList<>();
        }
        return SchemaShape.statements(resource(res));
    }

    static String resource(String name) {
        try (InputStream in = SchemaInspector.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("bundled resource " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
