package io.intercommigrator.report.handoff;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.intercommigrator.intercom.ThreadSchema;
import io.intercommigrator.mapping.Values;

/** The LeadDesk handoff: provisioning section and the inventory JSON (campaigns, dialer, LeadApps, taxonomy, teams). */
final class LeadDeskInventory {
    static final List<String> KINDS = List.of("agent", "project", "office", "campaign", "result", "outcome",
            "custom_field", "dialer_config", "leadapps");
    static final String UNMATCHED = "unmatched";

    private final Facts facts;
    private final List<Facts.Row> agents;
    private final List<Facts.Row> projects;
    private final List<Facts.Row> offices;
    private final List<Facts.Row> campaigns;

    LeadDeskInventory(Facts facts) {
        this.facts = facts;
        this.agents = facts.rows(Facts.LEADDESK, "agent");
        this.projects = facts.rows(Facts.LEADDESK, "project");
        this.offices = facts.rows(Facts.LEADDESK, "office");
        this.campaigns = facts.rows(Facts.LEADDESK, "campaign");
    }

    static String seat(String role, String employment) {
        if (employment.equalsIgnoreCase("inactive")) {
            return "inactive in LeadDesk: create only if needed";
        }
        return switch (role.toLowerCase(Locale.ROOT)) {
            case "teamleader", "manager" -> "Admin (full seat)";
            case "agent" -> "Teammate";
            default -> "Teammate (unknown role '" + role + "')";
        };
    }

    // ---- provisioning-checklist.md (LeadDesk section) ----------------------------------------

    void provisioning(Md md) {
        md.h2("LeadDesk");
        md.h3("Teammates to create");
        List<List<String>> rows = new ArrayList<>();
        List<List<String>> seats = new ArrayList<>();
        for (Facts.Row a : agents) {
            String name = a.text("name").isEmpty() ? a.text("username") : a.text("name");
            java.util.Optional<String> admin = facts.admin(a.text("email"), name, a.key());
            (admin.isEmpty() ? rows : seats).add(List.of(name, Facts.orDash(a.text("username")),
                    Facts.orDash(Values.normaliseEmail(a.text("email"))), Facts.orDash(a.text("role")), Facts.orDash(a.text("office")),
                    Facts.orDash(a.text("employment")), admin.map(id -> "admin " + id).orElse(seat(a.text("role"), a.text("employment")))));
        }
        md.table(List.of("Name", "Username", "Email", "LeadDesk role", "Office", "Employment", "Suggested Intercom seat"), rows,
                agents.isEmpty() ? "The export holds no LeadDesk agents." : "Every LeadDesk agent matches an Intercom teammate by email.");
        if (!rows.isEmpty()) {
            md.para("Intercom has no API to create teammates. Invite them by hand, set the seat, then replay the run.");
        }
        md.h3("Teammates that exist: check their seat");
        md.table(List.of("Name", "Username", "Email", "LeadDesk role", "Office", "Employment", "Intercom teammate"), seats,
                agents.isEmpty() ? "The export holds no LeadDesk agents." : "No LeadDesk agent matches an Intercom teammate yet.");
        if (!seats.isEmpty()) {
            md.para("The API cannot set a seat or a role, nor deactivate a teammate: check each by hand (suggested seat: "
                    + "Admin for a LeadDesk admin, Teammate otherwise; an inactive agent needs no seat).");
        }
        md.h3("Teams to create");
        List<List<String>> teams = new ArrayList<>();
        for (Facts.Row o : offices) {
            if (!o.text("name").isEmpty() && facts.team(o.text("name")).isEmpty()) {
                teams.add(List.of("office", o.text("name"), Facts.orDash(o.text("timezone"))));
            }
        }
        for (Facts.Row p : projects) {
            if (!p.text("name").isEmpty() && facts.team(p.text("name")).isEmpty()) {
                teams.add(List.of("project", p.text("name"), Facts.orDash(p.text("timezone"))));
            }
        }
        md.table(List.of("LeadDesk", "Name", "Timezone"), teams, offices.isEmpty() && projects.isEmpty()
                ? "The export holds no LeadDesk offices or projects."
                : "Every LeadDesk office and project matches an Intercom team by name.");
        if (!teams.isEmpty()) {
            md.para("Teams cannot be created through the API. Create each one with the same name, or map it in config/mapping.yaml.");
        }
        md.h3("Outbound work to redesign");
        md.para(Md.count(campaigns.size(), "campaign", "campaigns") + " and the dialer settings are not migrated."
                + " See inventory/campaigns.json, inventory/dialer.json and inventory/leadapps.json.");
    }

    // ---- inventory/campaigns.json -------------------------------------------------------------

    ObjectNode campaigns() {
        ObjectNode root = facts.json.createObjectNode();
        ArrayNode list = root.putArray("campaigns");
        for (Facts.Row c : campaigns) {
            ObjectNode item = objectOf(c);
            item.put("summary", summary(c));
            list.add(item);
        }
        root.put("note", "Intercom has no campaign object. Contacts and leads of each campaign carry the tag"
                + " ld_campaign_<slug of the name>. The configuration is kept here for your admin to redesign outbound work.");
        return root;
    }

    private String summary(Facts.Row c) {
        JsonNode d = c.value().path("dialer");
        StringBuilder s = new StringBuilder("Campaign ");
        s.append(c.text("name").isEmpty() ? c.key() : "\"" + c.text("name") + "\"");
        List<String> head = new ArrayList<>();
        head.add("id " + (c.text("id").isEmpty() ? c.key() : c.text("id")));
        if (!c.text("status").isEmpty()) {
            head.add(c.text("status"));
        }
        s.append(" (").append(String.join(", ", head)).append(')');
        if (!c.text("project_id").isEmpty()) {
            s.append(" for project ").append(projectName(c.text("project_id")));
        }
        if (!c.text("sponsor").isEmpty()) {
            s.append(", sponsor ").append(c.text("sponsor"));
        }
        s.append(": ").append(dialerPhrase(d));
        int agentCount = c.value().path("agent_ids").size();
        s.append(", ").append(agentCount).append(agentCount == 1 ? " agent" : " agents");
        if (!c.text("copy_of").isEmpty()) {
            s.append("; copy of campaign ").append(c.text("copy_of"));
        }
        return s.append('.').toString();
    }

    private String dialerPhrase(JsonNode d) {
        String mode = Facts.text(d, "mode");
        List<String> parts = new ArrayList<>();
        parts.add(mode.isEmpty() ? "dialer mode not given" : mode + " dialer");
        if (!Facts.text(d, "dial_ratio").isEmpty()) {
            parts.add("dial ratio " + Facts.text(d, "dial_ratio"));
        }
        if (!Facts.text(d, "rounds").isEmpty()) {
            parts.add(Facts.text(d, "rounds") + " rounds");
        }
        if (!Facts.text(d, "wrap_up_seconds").isEmpty()) {
            parts.add(Facts.text(d, "wrap_up_seconds") + " s wrap-up");
        }
        JsonNode retry = d.path("retry_rules");
        if (retry.isValueNode() && !retry.asText().isBlank()) {
            parts.add("retry rules: " + retry.asText().trim());
        } else if (retry.isContainerNode() && !retry.isEmpty()) {
            parts.add("retry rules in dialer.retry_rules");
        }
        return String.join(", ", parts);
    }

    private String projectName(String projectId) {
        for (Facts.Row p : projects) {
            if (p.key().equals(projectId) || p.text("project_id").equals(projectId)) {
                return p.text("name").isEmpty() ? projectId : p.text("name") + " (" + projectId + ")";
            }
        }
        return projectId;
    }

    // ---- inventory/dialer.json ----------------------------------------------------------------

    ObjectNode dialer() {
        ObjectNode root = facts.json.createObjectNode();
        ArrayNode list = root.putArray("campaigns");
        for (Facts.Row c : campaigns) {
            JsonNode d = c.value().path("dialer");
            ObjectNode item = list.addObject();
            item.put("campaign_id", c.text("id").isEmpty() ? c.key() : c.text("id"));
            item.put("campaign_name", c.text("name"));
            for (String f : List.of("mode", "dial_ratio", "retry_rules", "wrap_up_seconds", "rounds")) {
                JsonNode v = d.get(f);
                item.set(f, v == null ? facts.json.nullNode() : v.deepCopy());
            }
            item.put("summary", dialerPhrase(d) + ".");
        }
        Optional<JsonNode> config = facts.file(Facts.LEADDESK, "dialer_config");
        root.set("dialer_config", config.<JsonNode>map(JsonNode::deepCopy).orElse(facts.json.nullNode()));
        root.put("note", "Dialer settings are not migrated: Intercom has no auto-dialer. Your admin must redesign the"
                + " outbound workflow in Intercom (outbound messages, routing rules) or with a third-party dialer integration."
                + (config.isEmpty() ? " dialer_config.json was not in the export." : ""));
        return root;
    }

    // ---- inventory/leadapps.json --------------------------------------------------------------

    ObjectNode leadApps() {
        ObjectNode root = facts.json.createObjectNode();
        Optional<JsonNode> raw = facts.file(Facts.LEADDESK, "leadapps");
        root.set("leadapps", raw.<JsonNode>map(JsonNode::deepCopy).orElse(facts.json.nullNode()));
        ArrayNode summaries = root.putArray("summaries");
        JsonNode apps = raw.orElse(facts.json.nullNode());
        if (apps.isObject()) {
            apps = apps.has("leadapps") ? apps.get("leadapps") : apps.path("apps");
        }
        if (apps.isArray()) {
            int i = 0;
            for (JsonNode app : apps) {
                i++;
                if (app.isObject()) {
                    summaries.add(appLine(app, i));
                }
            }
        }
        root.put("note", "LeadApps are not migrated and their runtime state is not exported. Reconfigure each one in"
                + " Intercom (apps, workflows) or an equivalent third-party tool."
                + (raw.isEmpty() ? " leadapps.json was not in the export." : ""));
        return root;
    }

    private static String appLine(JsonNode app, int position) {
        String name = Facts.text(app, "name").isEmpty() ? "LeadApp " + position : Facts.text(app, "name");
        List<String> parts = new ArrayList<>();
        for (String f : List.of("purpose", "description")) {
            String v = Facts.text(app, f);
            if (!v.isEmpty() && !parts.contains(v)) {
                parts.add(v);
            }
        }
        String deps = Facts.text(app, "dependencies");
        StringBuilder s = new StringBuilder(name).append(": ");
        s.append(parts.isEmpty() ? "no purpose or description in the export" : String.join(". ", parts));
        if (!deps.isEmpty()) {
            s.append(". Depends on: ").append(deps.replace("|", ", "));
        }
        return s.toString();
    }

    // ---- inventory/dispositions.json ----------------------------------------------------------

    ObjectNode dispositions() {
        ObjectNode root = facts.json.createObjectNode();
        ArrayNode results = root.putArray("results");
        for (Facts.Row r : facts.rows(Facts.LEADDESK, "result")) {
            ObjectNode item = objectOf(r);
            String name = r.text("name").isEmpty() ? r.key() : r.text("name");
            item.put("intercom_tag", "ld_disposition_" + Values.slug(name));
            results.add(item);
        }
        ArrayNode outcomes = root.putArray("outcomes");
        for (Facts.Row o : facts.rows(Facts.LEADDESK, "outcome")) {
            ObjectNode item = objectOf(o);
            String name = o.text("name").isEmpty() ? o.key() : o.text("name");
            item.put("intercom_tag", "ld_outcome_" + Values.slug(name));
            outcomes.add(item);
        }
        ObjectNode attributes = root.putObject("intercom_attributes");
        Map<String, JsonNode> inWorkspace = new HashMap<>();
        facts.rows(ThreadSchema.CATALOG_SYSTEM, ThreadSchema.CATALOG_KIND).forEach(r -> inWorkspace.put(r.key(), r.value()));
        for (String name : List.of("ld_disposition", "ld_outcome")) {
            JsonNode used = inWorkspace.get(name);
            if (used == null) {
                attributes.putObject(name).putNull("data_type").put("note", "not provisioned yet: no call record was migrated");
            } else {
                attributes.set(name, used.deepCopy());
            }
        }
        root.put("note", "The results and outcomes were migrated as conversation attributes ld_disposition / ld_outcome"
                + " (intercom_attributes: the Intercom data_type used, and the options of a list) and tags"
                + " ld_disposition_<slug> / ld_outcome_<slug> (intercom_tag). Build inbox rules, SLAs and reports against"
                + " them in Intercom.");
        return root;
    }

    // ---- inventory/offices.json and inventory/projects.json -----------------------------------

    ObjectNode offices() {
        ObjectNode root = facts.json.createObjectNode();
        ArrayNode list = root.putArray("offices");
        for (Facts.Row o : offices) {
            ObjectNode item = objectOf(o);
            item.put("intercom_team", facts.team(o.text("name")).orElse(UNMATCHED));
            list.add(item);
        }
        root.put("note", "Each office maps to the Intercom team with the same name. The office timezone is kept as the"
                + " ld_office_timezone attribute on its members' records. VoIP routing (voip_routing) is not migrated:"
                + " rebuild it in your telephony integration.");
        return root;
    }

    ObjectNode projects() {
        ObjectNode root = facts.json.createObjectNode();
        ArrayNode list = root.putArray("projects");
        Map<String, Integer> campaignsPerProject = new HashMap<>();
        campaigns.forEach(c -> campaignsPerProject.merge(c.text("project_id"), 1, Integer::sum));
        for (Facts.Row p : projects) {
            ObjectNode item = objectOf(p);
            item.put("intercom_team", facts.team(p.text("name")).orElse(UNMATCHED));
            String id = p.text("project_id").isEmpty() ? p.key() : p.text("project_id");
            item.put("campaigns", campaignsPerProject.getOrDefault(id, 0));
            list.add(item);
        }
        root.put("note", "Each project maps to the Intercom team with the same name. Status, sponsor and timezone are"
                + " kept only here.");
        return root;
    }

    private ObjectNode objectOf(Facts.Row row) {
        if (row.value().isObject()) {
            return row.value().deepCopy();
        }
        ObjectNode o = facts.json.createObjectNode();
        o.put("key", row.key());
        o.set("value", row.value().deepCopy());
        return o;
    }
}
