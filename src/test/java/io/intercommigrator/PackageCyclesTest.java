package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

import org.junit.jupiter.api.Test;

/**
 * The packages depend on each other one way only: the root package (the CLI and the run) on everything, the stages
 * on {@code core} and {@code mapping}, never back. Measured with the JDK's own jdeps on the compiled classes, so a
 * new import that closes a loop fails here with the classes that make it.
 */
class PackageCyclesTest {
    private static final String BASE = "io.intercommigrator";
    private static final Pattern CLASS_EDGE = Pattern.compile("^\\s+(" + Pattern.quote(BASE) + "\\.\\S+)\\s+->\\s+("
            + Pattern.quote(BASE) + "\\.\\S+)\\s");

    @Test
    void noPackageCycles() throws Exception {
        Map<String, Map<String, Set<String>>> edges = packageEdges();
        assertThat(edges).as("jdeps found the packages of %s", BASE).containsKeys(BASE, BASE + ".intake", BASE + ".intercom");

        List<String> cycles = new ArrayList<>();
        for (List<String> component : stronglyConnected(edges)) {
            if (component.size() < 2) {
                continue;
            }
            StringBuilder s = new StringBuilder("cycle among " + new TreeSet<>(component) + ":");
            for (String from : component) {
                for (String to : component) {
                    Set<String> why = edges.getOrDefault(from, Map.of()).get(to);
                    if (why != null) {
                        s.append("\n  ").append(from).append(" -> ").append(to).append(": ").append(why);
                    }
                }
            }
            cycles.add(s.toString());
        }
        assertThat(cycles).as("package cycles (a class that needs one of the other side's classes closes each)").isEmpty();
    }

    @Test
    void noSubPackageDependsOnTheRootPackage() throws Exception {
        List<String> upward = new ArrayList<>();
        packageEdges().forEach((from, targets) -> {
            Set<String> why = targets.get(BASE);
            if (why != null) {
                upward.add(from + " -> " + BASE + ": " + why);
            }
        });
        assertThat(upward).as("the root package (App, Commands, Migrator, MigratorBeans) is the top: nothing uses it").isEmpty();
    }

    /** package → package it uses → the class pairs ({@code A -> B}) that make the dependency. */
    private static Map<String, Map<String, Set<String>>> packageEdges() throws Exception {
        Path classes = Path.of(Migrator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("no jdeps in this JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out, true), new PrintWriter(err, true), "-verbose:class", "-filter:package",
                classes.toString());
        assertThat(rc).as("jdeps exit code; stderr: %s", err).isZero();
        Map<String, Map<String, Set<String>>> edges = new TreeMap<>();
        for (String line : out.toString().split("\\R")) {
            Matcher m = CLASS_EDGE.matcher(line);
            if (!m.find()) {
                continue;
            }
            String from = packageOf(m.group(1));
            String to = packageOf(m.group(2));
            if (!from.equals(to)) {
                edges.computeIfAbsent(from, k -> new TreeMap<>()).computeIfAbsent(to, k -> new TreeSet<>())
                        .add(simpleName(m.group(1)) + " -> " + simpleName(m.group(2)));
            }
            edges.computeIfAbsent(to, k -> new TreeMap<>());
        }
        return edges;
    }

    private static String packageOf(String className) {
        return className.substring(0, className.lastIndexOf('.'));
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    /** Tarjan's strongly connected components of the package graph. */
    private static List<List<String>> stronglyConnected(Map<String, Map<String, Set<String>>> edges) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> components = new ArrayList<>();
        for (String start : edges.keySet()) {
            if (!index.containsKey(start)) {
                visit(start, edges, index, low, stack, onStack, components);
            }
        }
        return components;
    }

    private static void visit(String v, Map<String, Map<String, Set<String>>> edges, Map<String, Integer> index,
                              Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<List<String>> components) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        for (String w : edges.getOrDefault(v, Map.of()).keySet()) {
            if (!index.containsKey(w)) {
                visit(w, edges, index, low, stack, onStack, components);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            components.add(component);
        }
    }
}
