package dev.switchboard;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Packages depend one way (docs/architecture.md). Reads the compiled classes' dependencies with {@code jdeps} and
 * fails when a cycle between packages comes back. {@code Switchboard}, the one class that wires everything, is a
 * node of its own ("wiring"): it sits above every package, while the rest of {@code dev.switchboard}
 * ({@link Problem}, {@link JsonMergePatch}) sits below them.
 */
class PackageCyclesTest {
    private static final Pattern EDGE = Pattern.compile("^\\s+(dev\\.switchboard\\.[\\w.$]+)\\s+->\\s+(dev\\.switchboard\\.[\\w.$]+)\\s");

    @Test
    void packagesDependOneWay() {
        Map<String, Set<String>> graph = packageGraph();

        assertThat(cycles(graph)).as("package cycles").isEmpty();
    }

    @Test
    void theStoreAndTheConfigDependOnNoFeature() {
        Map<String, Set<String>> graph = packageGraph();

        assertThat(graph.getOrDefault("store", Set.of())).as("store depends on").isSubsetOf("config", "(root)");
        // metadata is the vocabulary of model metadata: values only, on no other package, so config may read it
        assertThat(graph.getOrDefault("metadata", Set.of())).as("metadata depends on").isSubsetOf("(root)");
        assertThat(graph.getOrDefault("config", Set.of())).as("config depends on").isSubsetOf("(root)", "metadata");
        assertThat(graph.keySet().stream().filter(p -> graph.get(p).contains("http")).toList())
                .as("packages that depend on http").containsOnly("wiring");
    }

    /** Package (without {@code dev.switchboard.}) to the packages its classes use. */
    static Map<String, Set<String>> packageGraph() {
        Path classes = Path.of("target", "classes");
        assertThat(Files.isDirectory(classes.resolve("dev/switchboard"))).as(classes.toAbsolutePath() + " holds the compiled classes").isTrue();
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:class", "-filter:none",
                "-include", "dev\\.switchboard\\..*", classes.toString());
        assertThat(status).as(out.toString()).isZero();
        Map<String, Set<String>> graph = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            Matcher edge = EDGE.matcher(line);
            if (!edge.find()) continue;
            String from = node(edge.group(1));
            String to = node(edge.group(2));
            graph.computeIfAbsent(from, k -> new TreeSet<>());
            if (!from.equals(to)) graph.get(from).add(to);
        }
        assertThat(graph).as("jdeps found the classes").containsKeys("catalog", "store", "events", "wiring");
        return graph;
    }

    private static String node(String className) {
        if (className.equals("dev.switchboard.Switchboard") || className.startsWith("dev.switchboard.Switchboard$")) return "wiring";
        String pkg = className.substring(0, className.lastIndexOf('.'));
        return pkg.equals("dev.switchboard") ? "(root)" : pkg.substring("dev.switchboard.".length());
    }

    /** Each cycle found by a depth-first search, as the path that closes it. */
    private static List<List<String>> cycles(Map<String, Set<String>> graph) {
        List<List<String>> found = new ArrayList<>();
        Set<String> done = new TreeSet<>();
        for (String start : graph.keySet()) visit(start, graph, new ArrayList<>(), done, found);
        return found;
    }

    private static void visit(String node, Map<String, Set<String>> graph, List<String> path, Set<String> done,
                              List<List<String>> found) {
        int at = path.indexOf(node);
        if (at >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
            cycle.add(node);
            found.add(cycle);
            return;
        }
        if (done.contains(node)) return;
        path.add(node);
        for (String next : graph.getOrDefault(node, Set.of())) visit(next, graph, path, done, found);
        path.removeLast();
        done.add(node);
    }
}
