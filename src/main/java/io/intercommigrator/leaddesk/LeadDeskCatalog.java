package io.intercommigrator.leaddesk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.intercommigrator.intake.Intake;
import io.intercommigrator.intake.InputRefusedException;
import io.intercommigrator.intake.JsonRecord;
import io.intercommigrator.intake.JsonRecordStream;
import io.intercommigrator.ledger.Ledger;

/**
 * LeadDesk's definition files, remembered in the ledger so a later drop of contacts.csv can use them:
 * custom_fields.json (labels and types of other1…35) and campaigns.json (campaign names for tags); agents.csv,
 * kept by {@code DefinitionFiles}, is read here for the calls' agents.
 */
public final class LeadDeskCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(LeadDeskCatalog.class);
    static final String CUSTOM_FIELD = "custom_field";
    static final String CAMPAIGN = "campaign";
    static final String RESULT = "result";
    static final String OUTCOME = "outcome";
    static final String AGENT = "agent";

    /** The definition files whose entries records are mapped with: plan keeps them in the proposed map. */
    public static final java.util.Set<io.intercommigrator.intake.DropKind> CONFIRMED_KINDS = java.util.EnumSet.of(
            io.intercommigrator.intake.DropKind.LEADDESK_CUSTOM_FIELDS, io.intercommigrator.intake.DropKind.LEADDESK_CAMPAIGNS,
            io.intercommigrator.intake.DropKind.LEADDESK_RESULTS_OUTCOMES, io.intercommigrator.intake.DropKind.LEADDESK_OFFICES,
            io.intercommigrator.intake.DropKind.LEADDESK_PROJECTS, io.intercommigrator.intake.DropKind.LEADDESK_AGENTS);

    private final Ledger ledger;
    private final ObjectMapper json;
    private final io.intercommigrator.mapping.MappingConfig mapping;

    /** A catalog entry as a definition file gives it: kind ("campaign", …), id, the entry as JSON. */
    @FunctionalInterface
    public interface Sink {
        void put(String kind, String id, JsonNode entry);
    }

    public LeadDeskCatalog(Ledger ledger, ObjectMapper json) {
        this(ledger, json, new io.intercommigrator.mapping.MappingConfig(false, null, false, null, null, null, null, null, null));
    }

    /** @param mapping the confirmed map: its definitions come first, the ledger's (files dropped since) fill the gaps */
    public LeadDeskCatalog(Ledger ledger, ObjectMapper json, io.intercommigrator.mapping.MappingConfig mapping) {
        this.ledger = ledger;
        this.json = json;
        this.mapping = mapping;
    }

    public void customFields(Exchange exchange) {
        readCustomFields(exchange.getMessage().getBody(Path.class), exchange.getProperty(Intake.NAME, String.class), this::remember);
    }

    public void campaigns(Exchange exchange) {
        readCampaigns(exchange.getMessage().getBody(Path.class), exchange.getProperty(Intake.NAME, String.class), this::remember);
    }

    /** results_outcomes.json: the disposition taxonomy (result id → name, outcome id → name). */
    public void resultsOutcomes(Exchange exchange) {
        readResultsOutcomes(exchange.getMessage().getBody(Path.class), exchange.getProperty(Intake.NAME, String.class),
                json, this::remember);
    }

    private void remember(String kind, String id, JsonNode entry) {
        ledger.putCatalog("leaddesk", kind, id, entry.toString());
    }

    /** custom_fields.json → {@value #CUSTOM_FIELD} entries by field (other1 …); refuses a field outside other1 … other35. */
    public static void readCustomFields(Path file, String name, Sink sink) {
        int n = 0;
        for (JsonNode f : entries(file, name)) {
            String field = f.path("field").asText("").trim().toLowerCase(Locale.ROOT);
            if (!field.matches("other\\d{1,2}")) {
                throw new InputRefusedException(name + ": entry " + n + " has field '" + field + "'; expected other1 … other35");
            }
            sink.put(CUSTOM_FIELD, field, f);
            n++;
        }
        LOG.info("{}: {} custom field definitions", name, n);
    }

    /** campaigns.json → {@value #CAMPAIGN} entries by id. */
    public static void readCampaigns(Path file, String name, Sink sink) {
        int n = 0;
        for (JsonNode c : entries(file, name)) {
            String id = c.path("id").asText("").trim();
            if (!id.isEmpty()) {
                sink.put(CAMPAIGN, id, c);
                n++;
            }
        }
        LOG.info("{}: {} campaigns", name, n);
    }

    /** results_outcomes.json → {@value #RESULT} and {@value #OUTCOME} entries by id. */
    public static void readResultsOutcomes(Path file, String name, ObjectMapper json, Sink sink) {
        JsonNode root;
        try {
            root = json.readTree(file.toFile());
        } catch (IOException e) {
            throw new InputRefusedException(name + ": not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject() || !root.path("results").isArray()) {
            throw new InputRefusedException(name + ": expected {\"results\": [...], \"outcomes\": [...]}");
        }
        root.path("results").forEach(r -> sink.put(RESULT, r.path("id").asText(), r));
        root.path("outcomes").forEach(o -> sink.put(OUTCOME, o.path("id").asText(), o));
        LOG.info("{}: {} results, {} outcomes", name, root.path("results").size(), root.path("outcomes").size());
    }

    /**
     * The entries of one kind, id and JSON text: the confirmed map's first (what the map was confirmed with, whatever
     * order the files come in), then those of definition files dropped since whose id the map does not hold.
     */
    private List<String[]> catalog(String kind) {
        Map<String, JsonNode> confirmed = mapping.definitions("leaddesk", kind);
        List<String[]> out = new ArrayList<>();
        confirmed.forEach((id, entry) -> out.add(new String[] {id, entry.toString()}));
        for (String[] kv : ledger.catalog("leaddesk", kind)) {
            if (!confirmed.containsKey(kv[0])) {
                out.add(kv);
            }
        }
        return out;
    }

    /** Office id and office name (lower case) → its time zone, from offices.csv (empty when none was dropped yet). */
    public java.util.Map<String, String> officeTimezones() {
        java.util.Map<String, String> zones = new java.util.HashMap<>();
        for (String[] kv : catalog("office")) {
            JsonNode office = read(kv[1]);
            String zone = office.path("timezone").asText("").trim();
            if (!zone.isEmpty()) {
                zones.put(kv[0], zone);
                zones.put(office.path("name").asText("").trim().toLowerCase(java.util.Locale.ROOT), zone);
            }
        }
        return zones;
    }

    /** results_outcomes.json as far as it was dropped (empty when it was not). */
    public DispositionTaxonomy dispositionTaxonomy() {
        return new DispositionTaxonomy(names(RESULT), names(OUTCOME));
    }

    /** Id → name of a catalog kind, in id order (the id itself when an entry has no name). */
    private java.util.Map<String, String> names(String kind) {
        java.util.Map<String, String> names = new java.util.LinkedHashMap<>();
        for (String[] kv : catalog(kind)) {
            names.put(kv[0], read(kv[1]).path("name").asText(kv[0]));
        }
        return names;
    }

    public List<CustomField> customFieldDefinitions() {
        List<CustomField> out = new ArrayList<>();
        for (String[] kv : catalog(CUSTOM_FIELD)) {
            JsonNode n = read(kv[1]);
            out.add(new CustomField(kv[0], n.path("label").asText(kv[0]), n.path("type").asText("")));
        }
        return out;
    }

    /** Agent id → email from agents.csv (empty when none was dropped yet; agents without an email are left out). */
    public java.util.Map<String, String> agentEmails() {
        java.util.Map<String, String> emails = new java.util.HashMap<>();
        for (String[] kv : catalog(AGENT)) {
            String email = read(kv[1]).path("email").asText("");
            if (!email.isBlank()) {
                emails.put(kv[0], email);
            }
        }
        return emails;
    }

    /**
     * Campaign id → the name of its project (campaigns.json {@code project_id} → projects.csv {@code name}); campaigns
     * whose project is not known are left out.
     */
    public java.util.Map<String, String> campaignProjectNames() {
        java.util.Map<String, String> projects = new java.util.HashMap<>();
        for (String[] kv : catalog("project")) {
            String name = read(kv[1]).path("name").asText("").trim();
            if (!name.isEmpty()) {
                projects.put(kv[0], name);
            }
        }
        java.util.Map<String, String> out = new java.util.HashMap<>();
        for (String[] kv : catalog(CAMPAIGN)) {
            String project = projects.get(read(kv[1]).path("project_id").asText("").trim());
            if (project != null) {
                out.put(kv[0], project);
            }
        }
        return out;
    }

    /** Agent id → the name of the agent's office (agents.csv office: an offices.csv office_id is read as its name). */
    public java.util.Map<String, String> agentOfficeNames() {
        java.util.Map<String, String> offices = new java.util.HashMap<>();
        for (String[] kv : catalog("office")) {
            String name = read(kv[1]).path("name").asText("").trim();
            if (!name.isEmpty()) {
                offices.put(kv[0], name);
            }
        }
        java.util.Map<String, String> out = new java.util.HashMap<>();
        for (String[] kv : catalog(AGENT)) {
            String office = read(kv[1]).path("office").asText("").trim();
            if (!office.isEmpty()) {
                out.put(kv[0], offices.getOrDefault(office, office));
            }
        }
        return out;
    }

    /** Campaign id → name from campaigns.json (empty when none was dropped yet). */
    public java.util.Map<String, String> campaignNames() {
        java.util.Map<String, String> names = new java.util.HashMap<>();
        for (String[] kv : catalog(CAMPAIGN)) {
            String name = read(kv[1]).path("name").asText("");
            if (!name.isBlank()) {
                names.put(kv[0], name);
            }
        }
        return names;
    }

    private static List<JsonNode> entries(Path file, String name) {
        List<JsonNode> out = new ArrayList<>();
        try (JsonRecordStream stream = JsonRecordStream.open(file, name, "data")) {
            while (stream.hasNext()) {
                JsonRecord r = stream.next();
                if (!r.node().isObject()) {
                    throw new InputRefusedException(name + ": entry " + r.index()
                            + " (line " + r.line() + ") is not a JSON object");
                }
                out.add(r.node());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
