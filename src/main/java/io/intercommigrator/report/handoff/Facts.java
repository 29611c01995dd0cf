package io.intercommigrator.report.handoff;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.intercommigrator.ledger.Ledger;
import io.intercommigrator.ledger.LedgerRecord;
import io.intercommigrator.mapping.Values;
import io.intercommigrator.core.RunAccounting;

/**
 * What the handoff documents are built from: the ledger catalog (sorted by natural key), the run's counts, and the
 * source agents / teams resolved against Intercom once each (unmatched ones go to the reconciliation queue).
 */
final class Facts {
    static final String CLICKDESK = "clickdesk";
    static final String LEADDESK = "leaddesk";

    /** One catalog entry: its natural key and its parsed JSON value. */
    record Row(String key, JsonNode value) {
        String text(String field) {
            return Facts.text(value, field);
        }
    }

    /** Numbers in numeric order ("2" before "10"), everything else as strings. */
    static final Comparator<String> NATURAL = (a, b) -> {
        boolean na = a.matches("\\d{1,18}");
        boolean nb = b.matches("\\d{1,18}");
        if (na && nb) {
            int c = Long.compare(Long.parseLong(a), Long.parseLong(b));
            return c != 0 ? c : a.compareTo(b);
        }
        return na != nb ? (na ? -1 : 1) : a.compareTo(b);
    };

    final String runId;
    final RunAccounting accounting;
    final ObjectMapper json;
    private final Ledger ledger;
    private final HandoffWriter.Directory directory;
    private final Map<String, Optional<String>> admins = new HashMap<>();
    private final Map<String, Optional<String>> teams = new HashMap<>();
    private List<LedgerRecord> delivered;

    Facts(Ledger ledger, RunAccounting accounting, HandoffWriter.Directory directory, String runId, ObjectMapper json) {
        this.ledger = ledger;
        this.accounting = accounting;
        this.directory = directory;
        this.runId = runId;
        this.json = json;
    }

    List<Row> rows(String system, String kind) {
        List<Row> out = new ArrayList<>();
        for (String[] kv : ledger.catalog(system, kind)) {
            out.add(new Row(kv[0], parse(kv[1])));
        }
        out.sort(Comparator.comparing(Row::key, NATURAL));
        return out;
    }

    /** The single value of a whole-file catalog entry (dialer_config, leadapps), if dropped. */
    Optional<JsonNode> file(String system, String kind) {
        List<Row> rows = rows(system, kind);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0).value());
    }

    boolean present(String system, List<String> kinds) {
        return accounting.systems().contains(system) || kinds.stream().anyMatch(k -> !ledger.catalog(system, k).isEmpty());
    }

    /** The Intercom admin for a source agent's email; queued as unmatched once when there is none. */
    Optional<String> admin(String email, String name, String agentId) {
        String normalised = Values.normaliseEmail(email);
        String memoKey = normalised.isEmpty() ? "\u0000" + agentId : normalised;
        return admins.computeIfAbsent(memoKey, k -> {
            Optional<String> id = normalised.isEmpty() ? Optional.empty() : directory.adminId(normalised);
            if (id.isEmpty()) {
                String who = name == null || name.isBlank() ? "" : " (" + name.trim() + ")";
                if (normalised.isEmpty()) {
                    accounting.queueOnce("unmatched agent", "agent " + agentId, "no email in the export" + who
                            + ": create the teammate in Intercom by hand");
                } else {
                    accounting.queueOnce("unmatched agent", normalised, "no Intercom admin with this email" + who
                            + ": create the teammate in Intercom, then replay; records moved without this assignee");
                }
            }
            return id;
        });
    }

    /** The Intercom team for a department / office / project name; queued as unmatched once when there is none. */
    Optional<String> team(String name) {
        String trimmed = name == null ? "" : name.trim();
        if (trimmed.isEmpty()) {
            return Optional.empty();
        }
        return teams.computeIfAbsent(trimmed.toLowerCase(Locale.ROOT), k -> {
            Optional<String> id = directory.teamId(trimmed);
            if (id.isEmpty()) {
                accounting.queue("unmatched team", trimmed, "no Intercom team named '" + trimmed
                        + "': create it in Intercom (teams cannot be created through the API) or map it in config/mapping.yaml");
            }
            return id;
        });
    }

    /** A counter of the run (source, created, updated, unchanged, skipped, dead_lettered) for an object type. */
    long count(String objectType, String counter) {
        Map<String, Long> c = accounting.snapshot().get(objectType);
        return c == null ? 0 : c.getOrDefault(counter, 0L);
    }

    /** Created + updated + unchanged: what is in Intercom after the run. */
    long inIntercom(String objectType) {
        return count(objectType, "created") + count(objectType, "updated") + count(objectType, "unchanged");
    }

    /** Records of a system delivered in this run whose source id starts with a prefix (ledger). */
    long deliveredInRun(String system, String objectType, String sourceIdPrefix) {
        if (delivered == null) {
            delivered = runId == null ? List.of() : ledger.deliveredIn(runId);
        }
        return delivered.stream().filter(r -> r.key().system().equals(system) && r.key().objectType().equals(objectType)
                && r.key().sourceId().startsWith(sourceIdPrefix)).count();
    }

    /** Names sorted case-insensitively, duplicates (ignoring case) dropped. */
    static List<String> sortedNames(List<String> names) {
        TreeMap<String, String> byKey = new TreeMap<>();
        for (String n : names) {
            if (n != null && !n.isBlank()) {
                byKey.putIfAbsent(n.trim().toLowerCase(Locale.ROOT), n.trim());
            }
        }
        return List.copyOf(byKey.values());
    }

    private JsonNode parse(String value) {
        try {
            JsonNode node = json.readTree(value);
            return node == null ? json.nullNode() : node;
        } catch (JsonProcessingException e) {
            return json.getNodeFactory().textNode(value);
        }
    }

    /** A field as trimmed text: "" when missing or null; arrays joined with '|'. */
    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "";
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(e -> parts.add(e.isValueNode() ? e.asText() : e.toString()));
            return String.join("|", parts);
        }
        return v.isValueNode() ? v.asText().trim() : v.toString();
    }

    static String orDash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }
}
