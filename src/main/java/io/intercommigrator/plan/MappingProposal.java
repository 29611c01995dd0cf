package io.intercommigrator.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.intercommigrator.mapping.MappingConfig;

/**
 * Writes proposed extra columns into the text of mapping.yaml, keeping the operator's comments and layout:
 * {@code confirmed: false}, no checksum, and each proposal appended under {@code <section>.extra_columns} as
 * {@code column: {attribute: name, type: t}} preceded by its evidence as comments. An inline non-empty
 * {@code extra_columns: {…}} is rewritten as a block (its entries kept, from the parsed map).
 */
final class MappingProposal {

    /** One proposed column of a section ("clickdesk" / "leaddesk"), with the comment lines that explain it. */
    record Entry(String section, String column, String attribute, String type, List<String> comments) {
    }

    private static final Pattern EXTRA = Pattern.compile("^( *)extra_columns\\s*:(.*)$");
    private static final Set<String> RESERVED = Set.of("true", "false", "null", "yes", "no", "on", "off", "y", "n", "~");

    private MappingProposal() {
    }

    static String merge(String yaml, MappingConfig mapping, List<Entry> entries) {
        List<String> lines = new ArrayList<>(List.of(yaml.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        markUnconfirmed(lines);
        for (String section : List.of("clickdesk", "leaddesk")) {
            List<Entry> mine = entries.stream().filter(e -> e.section().equals(section)).toList();
            if (!mine.isEmpty()) {
                Map<String, MappingConfig.ExtraColumn> existing = section.equals("clickdesk")
                        ? mapping.clickdesk().extraColumns() : mapping.leaddesk().extraColumns();
                addToSection(lines, section, existing, mine);
            }
        }
        return String.join("\n", lines) + "\n";
    }

    static final List<String> DEFINITIONS_COMMENT = List.of(
            "# Definitions the export's definition files gave when this map was proposed (plan): a record file dropped",
            "# before its definition file is mapped with these, whatever the drop order. Edit a label or name here to change it.");

    /**
     * The map's text with its {@code definitions:} block (at the end) holding the map's own definitions overlaid with
     * those of the files just planned; unchanged when there are none.
     */
    static String withDefinitions(String yaml, MappingConfig mapping, Map<String, Map<String, Map<String, com.fasterxml.jackson.databind.JsonNode>>> planned) {
        Map<String, Map<String, Map<String, com.fasterxml.jackson.databind.JsonNode>>> all = new java.util.TreeMap<>();
        mapping.definitions().forEach((system, kinds) -> kinds.forEach((kind, entries) -> all.computeIfAbsent(system,
                x -> new java.util.TreeMap<>()).computeIfAbsent(kind, x -> new java.util.TreeMap<>()).putAll(entries)));
        planned.forEach((system, kinds) -> kinds.forEach((kind, entries) -> all.computeIfAbsent(system,
                x -> new java.util.TreeMap<>()).computeIfAbsent(kind, x -> new java.util.TreeMap<>()).putAll(entries)));
        if (all.isEmpty()) {
            return yaml;
        }
        List<String> lines = new ArrayList<>(List.of(yaml.split("\n", -1)));
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        lines.removeAll(DEFINITIONS_COMMENT);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("^definitions\\s*:.*")) {
                int end = i + 1;
                while (end < lines.size() && !isTopLevelKey(lines.get(end))) {
                    end++;
                }
                lines.subList(i, end).clear();
                break;
            }
        }
        lines.addAll(DEFINITIONS_COMMENT);
        lines.add("definitions:");
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        all.forEach((system, kinds) -> {
            lines.add("  " + key(system) + ":");
            kinds.forEach((kind, entries) -> {
                lines.add("    " + key(kind) + ":");
                entries.forEach((id, entry) -> {
                    try {
                        lines.add("      " + json.writeValueAsString(id) + ": " + json.writeValueAsString(entry));
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new IllegalStateException(e);
                    }
                });
            });
        });
        return String.join("\n", lines) + "\n";
    }

    private static void markUnconfirmed(List<String> lines) {
        lines.removeIf(line -> line.matches("^checksum\\s*:.*")); // the proposal is not what was confirmed
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("^confirmed\\s*:.*")) {
                lines.set(i, "confirmed: false");
                return;
            }
        }
        int at = 0;
        while (at < lines.size() && (lines.get(at).isBlank() || lines.get(at).startsWith("#"))) {
            at++;
        }
        lines.add(at, "confirmed: false");
    }

    private static void addToSection(List<String> lines, String section, Map<String, MappingConfig.ExtraColumn> existing,
                                     List<Entry> entries) {
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("^" + section + "\\s*:\\s*(#.*)?$")) {
                start = i;
                break;
            }
        }
        if (start < 0) {
            lines.add(section + ":");
            lines.add("  extra_columns:");
            lines.addAll(render(entries, "    "));
            return;
        }
        int end = start + 1;
        while (end < lines.size() && !isTopLevelKey(lines.get(end))) {
            end++;
        }
        int indent = 2;
        for (int i = start + 1; i < end; i++) {
            if (isContent(lines.get(i))) {
                indent = indentOf(lines.get(i));
                break;
            }
        }
        String pad = " ".repeat(indent);
        for (int i = start + 1; i < end; i++) {
            Matcher m = EXTRA.matcher(lines.get(i));
            if (!m.matches() || m.group(1).length() != indent) {
                continue;
            }
            String value = stripComment(m.group(2)).trim();
            int blockEnd = lastDeeperLine(lines, i, end, indent) + 1;
            if (value.isEmpty()) {
                String childPad = childPad(lines, i, blockEnd, indent);
                lines.addAll(blockEnd, render(entries, childPad));
            } else {
                List<String> block = new ArrayList<>();
                block.add(pad + "extra_columns:");
                String childPad = pad + "  ";
                existing.forEach((column, target) -> block.add(childPad + key(column) + ": {attribute: " + key(target.attribute())
                        + ", type: " + (target.type() == null ? "string" : target.type()) + "}"));
                block.addAll(render(entries, childPad));
                lines.subList(i, blockEnd).clear();
                lines.addAll(i, block);
            }
            return;
        }
        int insertAt = start + 1;
        for (int i = start + 1; i < end; i++) {
            if (isContent(lines.get(i)) || (lines.get(i).startsWith(" ") && !lines.get(i).isBlank())) {
                insertAt = i + 1;
            }
        }
        List<String> block = new ArrayList<>();
        block.add(pad + "extra_columns:");
        block.addAll(render(entries, pad + "  "));
        lines.addAll(insertAt, block);
    }

    private static List<String> render(List<Entry> entries, String pad) {
        List<String> out = new ArrayList<>();
        for (Entry e : entries) {
            e.comments().forEach(c -> out.add(pad + "# " + c));
            out.add(pad + key(e.column()) + ": {attribute: " + key(e.attribute()) + ", type: " + e.type() + "}");
        }
        return out;
    }

    /** A plain YAML key when it is safe as one, else a double-quoted string. */
    static String key(String text) {
        if (text.matches("[a-z][a-z0-9_]*") && !RESERVED.contains(text)) {
            return text;
        }
        return quote(text);
    }

    /** Double-quoted, escaped for YAML and for a one-line comment. */
    static String quote(String text) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static int lastDeeperLine(List<String> lines, int from, int end, int indent) {
        int last = from;
        for (int i = from + 1; i < end; i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            if (indentOf(line) <= indent) {
                break;
            }
            last = i;
        }
        return last;
    }

    private static String childPad(List<String> lines, int from, int blockEnd, int indent) {
        for (int i = from + 1; i < blockEnd; i++) {
            if (isContent(lines.get(i))) {
                return " ".repeat(indentOf(lines.get(i)));
            }
        }
        return " ".repeat(indent + 2);
    }

    private static boolean isTopLevelKey(String line) {
        return !line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && line.charAt(0) != '#';
    }

    private static boolean isContent(String line) {
        String t = line.trim();
        return !t.isEmpty() && !t.startsWith("#");
    }

    private static int indentOf(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
            n++;
        }
        return n;
    }

    /** The value part without a trailing comment (a '#' after whitespace, outside quotes). */
    private static String stripComment(String value) {
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single) {
                dbl = !dbl;
            } else if (c == '#' && !single && !dbl && (i == 0 || Character.isWhitespace(value.charAt(i - 1)))) {
                return value.substring(0, i);
            }
        }
        return value;
    }
}
