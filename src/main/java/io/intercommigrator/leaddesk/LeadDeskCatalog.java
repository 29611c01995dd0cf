package io.intercommigrator.leaddesk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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

    private final Ledger ledger;
    private final ObjectMapper json;

    public LeadDeskCatalog(Ledger ledger, ObjectMapper json) {
        this.ledger = ledger;
        this.json = json;
    }

    public void customFields(Exchange exchange) {
        int n = 0;
        for (JsonNode f : entries(exchange)) {
            String field = f.path("field").asText("").trim().toLowerCase(Locale.ROOT);
            if (!field.matches("other\\d{1,2}")) {
                throw new InputRefusedException(exchange.getProperty(Intake.NAME, String.class)
                        + ": entry " + n + " has field '" + field + "'; expected other1 … other35");
            }
            ledger.putCatalog("leaddesk", CUSTOM_FIELD, field, f.toString());
            n++;
        }
        LOG.info("{}: {} custom field definitions", exchange.getProperty(Intake.NAME, String.class), n);
    }

    public void campaigns(Exchange exchange) {
        int n = 0;
        for (JsonNode c : entries(exchange)) {
            String id = c.path("id").asText("").trim();
            if (!id.isEmpty()) {
                ledger.putCatalog("leaddesk", CAMPAIGN, id, c.toString());
                n++;
            }
        }
        LOG.info("{}: {} campaigns", exchange.getProperty(Intake.NAME, String.class), n);
    }

    /** results_outcomes.json: the disposition taxonomy (result id → name, outcome id → name). */
    public void resultsOutcomes(Exchange exchange) {
        Path file = exchange.getMessage().getBody(Path.class);
        String name = exchange.getProperty(Intake.NAME, String.class);
        JsonNode root;
        try {
            root = json.readTree(file.toFile());
        } catch (IOException e) {
            throw new InputRefusedException(name + ": not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject() || !root.path("results").isArray()) {
            throw new InputRefusedException(name + ": expected {\"results\": [...], \"outcomes\": [...]}");
        }
        root.path("results").forEach(r -> ledger.putCatalog("leaddesk", RESULT, r.path("id").asText(), r.toString()));
        root.path("outcomes").forEach(o -> ledger.putCatalog("leaddesk", OUTCOME, o.path("id").asText(), o.toString()));
        LOG.info("{}: {} results, {} outcomes", name, root.path("results").size(), root.path("outcomes").size());
    }

    /** Office id and office name (lower case) → its time zone, from offices.csv (empty when none was dropped yet). */
    public java.util.Map<String, String> officeTimezones() {
        java.util.Map<String, String> zones = new java.util.HashMap<>();
        for (String[] kv : ledger.catalog("leaddesk", "office")) {
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
        for (String[] kv : ledger.catalog("leaddesk", kind)) {
            names.put(kv[0], read(kv[1]).path("name").asText(kv[0]));
        }
        return names;
    }

    public List<CustomField> customFieldDefinitions() {
        List<CustomField> out = new ArrayList<>();
        for (String[] kv : ledger.catalog("leaddesk", CUSTOM_FIELD)) {
            JsonNode n = read(kv[1]);
            out.add(new CustomField(kv[0], n.path("label").asText(kv[0]), n.path("type").asText("")));
        }
        return out;
    }

    /** Agent id → email from agents.csv (empty when none was dropped yet; agents without an email are left out). */
    public java.util.Map<String, String> agentEmails() {
        java.util.Map<String, String> emails = new java.util.HashMap<>();
        for (String[] kv : ledger.catalog("leaddesk", AGENT)) {
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
        for (String[] kv : ledger.catalog("leaddesk", "project")) {
            String name = read(kv[1]).path("name").asText("").trim();
            if (!name.isEmpty()) {
                projects.put(kv[0], name);
            }
        }
        java.util.Map<String, String> out = new java.util.HashMap<>();
        for (String[] kv : ledger.catalog("leaddesk", CAMPAIGN)) {
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
        for (String[] kv : ledger.catalog("leaddesk", "office")) {
            String name = read(kv[1]).path("name").asText("").trim();
            if (!name.isEmpty()) {
                offices.put(kv[0], name);
            }
        }
        java.util.Map<String, String> out = new java.util.HashMap<>();
        for (String[] kv : ledger.catalog("leaddesk", AGENT)) {
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
        for (String[] kv : ledger.catalog("leaddesk", CAMPAIGN)) {
            String name = read(kv[1]).path("name").asText("");
            if (!name.isBlank()) {
                names.put(kv[0], name);
            }
        }
        return names;
    }

    private List<JsonNode> entries(Exchange exchange) {
        Path file = exchange.getMessage().getBody(Path.class);
        List<JsonNode> out = new ArrayList<>();
        try (JsonRecordStream stream = JsonRecordStream.open(file, exchange.getProperty(Intake.NAME, String.class), "data")) {
            while (stream.hasNext()) {
                JsonRecord r = stream.next();
                if (!r.node().isObject()) {
                    throw new InputRefusedException(exchange.getProperty(Intake.NAME, String.class) + ": entry " + r.index()
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
