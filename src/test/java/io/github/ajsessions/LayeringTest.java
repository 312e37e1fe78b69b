package io.github.ajsessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package graph of {@code src/main/java}: each layer imports only the layers below it, and no two
 * packages depend on each other. Read from the sources' imports and fully qualified names in code (comments
 * skipped), so a forbidden edge fails here before review.
 */
class LayeringTest {

    private static final Path SOURCES = Path.of("src/main/java/io/github/ajsessions");
    private static final Pattern STRING = Pattern.compile("\"(\\\\.|[^\"\\\\])*\"");
    private static final Pattern REFERENCE = Pattern.compile("io\\.github\\.ajsessions\\.([a-z][a-z0-9.]*)\\.[A-Z]");

    /** Layer of each package (first segments below io.github.ajsessions), lowest first. */
    private static final List<String> LAYERS = List.of("model", "core", "internal", "dialect", "jpa", "api",
            "testkit", "spring", "ai", "cli");

    /** The layers each layer may import, besides its own; every other edge is forbidden. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("model", Set.of()),
            Map.entry("core", Set.of("model")),
            Map.entry("internal", Set.of("core", "model")),
            Map.entry("dialect", Set.of("internal", "core", "model")),
            Map.entry("jpa", Set.of("internal", "core", "model")),
            Map.entry("api", Set.of("dialect", "internal", "core", "model")),
            Map.entry("testkit", Set.of("api", "core", "model")),
            // Spring support (optional dependencies): its exception translator classifies SQLite's errors as the
            // dialect does, and its test annotation lays down variant files with the test kit
            Map.entry("spring", Set.of("api", "dialect", "internal", "core", "model", "testkit")),
            // chat-memory adapters over the session API
            Map.entry("ai", Set.of("api", "core", "model")),
            // the CLI: public packages only
            Map.entry("cli", Set.of("api", "core", "model")));

    @Test
    void everyLayerImportsOnlyTheLayersBelowIt() throws IOException {
        Map<String, Set<String>> edges = packageEdges();
        List<String> forbidden = new ArrayList<>();
        edges.forEach((from, tos) -> {
            for (String to : tos) {
                String fromLayer = layer(from);
                String toLayer = layer(to);
                if (!fromLayer.equals(toLayer) && !ALLOWED.get(fromLayer).contains(toLayer)) {
                    forbidden.add(from + " -> " + to);
                }
            }
        });
        assertThat(edges).containsKeys("api", "cli", "core", "model", "internal.tables");
        assertThat(forbidden).isEmpty();
    }

    @Test
    void thePackageGraphHasNoCycle() throws IOException {
        Map<String, Set<String>> edges = packageEdges();
        List<String> cycles = new ArrayList<>();
        for (String start : edges.keySet()) {
            // a package that reaches itself again is on a cycle
            Set<String> seen = new HashSet<>();
            List<String> todo = new ArrayList<>(edges.get(start));
            while (!todo.isEmpty()) {
                String next = todo.remove(todo.size() - 1);
                if (next.equals(start)) {
                    cycles.add(start);
                    break;
                }
                if (seen.add(next)) {
                    todo.addAll(edges.getOrDefault(next, Set.of()));
                }
            }
        }
        assertThat(cycles).isEmpty();
    }

    @Test
    void everyPackageHasALayer() throws IOException {
        for (String pkg : packageEdges().keySet()) {
            assertThat(LAYERS).as("layer of %s", pkg).contains(layer(pkg));
        }
    }

    private static String layer(String pkg) {
        int dot = pkg.indexOf('.');
        return dot < 0 ? pkg : pkg.substring(0, dot);
    }

    /** @return package (relative to io.github.ajsessions) to the other packages of the module it references */
    private static Map<String, Set<String>> packageEdges() throws IOException {
        Map<String, Set<String>> edges = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
                Set<String> to = edges.computeIfAbsent(pkg, k -> new TreeSet<>());
                for (String line : Files.readAllLines(file)) {
                    String code = line.strip();
                    if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) {
                        continue;
                    }
                    // a class named in a string (an auto-configuration's ordering) is no compile-time edge
                    Matcher m = REFERENCE.matcher(STRING.matcher(code).replaceAll("\"\""));
                    while (m.find()) {
                        String target = m.group(1);
                        // a nested type's owner, e.g. api.StoreConfig.SchemaMode, is matched at its package
                        if (!target.equals(pkg)) {
                            to.add(target);
                        }
                    }
                }
            }
        }
        return edges;
    }
}
