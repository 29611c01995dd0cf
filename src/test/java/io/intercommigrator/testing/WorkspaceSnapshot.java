package io.intercommigrator.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.intercommigrator.fake.FakeIntercom;

/**
 * A fake Intercom workspace with what differs between two migrations of the same export taken out: Intercom ids
 * (contacts, admins, teams and tags are named by email / external_id / name instead) and timestamps of the migration
 * itself (a close part, an assignment: anything at or after the run started). Contacts are keyed by email (else
 * external_id), conversations and tickets by their original source id ({@code cd_original_*_id}) or, where the
 * source has none (LeadDesk calls and chatbot sessions, offline messages, VoIP calls), by their contact, created_at
 * and opening body. Tag names are compared ignoring case (Intercom keeps one tag per name whatever its case, spelled
 * as it was first created). Two migrations of the same export end in the same workspace when their snapshots are equal.
 */
public final class WorkspaceSnapshot {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final List<String> SOURCE_ID_ATTRIBUTES = List.of("cd_original_chat_id", "cd_original_ticket_id",
            "cd_original_thread_id");

    private final Map<String, JsonNode> objects;

    private WorkspaceSnapshot(Map<String, JsonNode> objects) {
        this.objects = objects;
    }

    /**
     * @param teams            team id → name of the workspace's teams (as seeded)
     * @param migrationStarted Unix seconds when the first run began: later timestamps are the migration's own
     */
    public static WorkspaceSnapshot of(FakeIntercom intercom, Map<String, String> teams, long migrationStarted) {
        Map<String, String> contactKeys = new HashMap<>();
        Map<String, JsonNode> objects = new TreeMap<>();
        for (ObjectNode c : intercom.contacts()) {
            String key = c.path("email").isTextual() && !c.path("email").asText().isBlank()
                    ? c.path("email").asText().toLowerCase(java.util.Locale.ROOT) : "external_id=" + c.path("external_id").asText();
            contactKeys.put(c.path("id").asText(), key);
            ObjectNode n = F.objectNode();
            for (String f : List.of("role", "email", "name", "phone", "external_id")) {
                n.set(f, c.path(f).isMissingNode() ? F.nullNode() : c.path(f).deepCopy());
            }
            n.set("custom_attributes", sorted(c.path("custom_attributes")));
            n.set("tags", names(c.path("tags").path("data"), intercom));
            put(objects, "contact " + key, n);
        }
        Map<String, String> admins = new HashMap<>();
        intercom.admins().forEach(a -> admins.put(a.path("id").asText(), a.path("email").asText()));
        Normaliser norm = new Normaliser(contactKeys, admins, teams, migrationStarted);
        for (ObjectNode c : intercom.conversations()) {
            ObjectNode n = norm.thread(c, "conversation_parts");
            put(objects, "conversation " + norm.key(c, n), n);
        }
        for (ObjectNode t : intercom.tickets()) {
            ObjectNode n = norm.thread(t, "ticket_parts");
            n.set("ticket_attributes", sorted(t.path("ticket_attributes")));
            n.put("ticket_type", t.path("ticket_type").path("name").asText());
            n.put("ticket_state", t.path("ticket_state").asText());
            put(objects, "ticket " + norm.key(t, n), n);
        }
        return new WorkspaceSnapshot(objects);
    }

    /** Two objects with the same key (e.g. a duplicate conversation) are kept apart as key#2, key#3 … */
    private static void put(Map<String, JsonNode> objects, String key, JsonNode value) {
        String k = key;
        for (int n = 2; objects.containsKey(k); n++) {
            k = key + "#" + n;
        }
        objects.put(k, value);
    }

    public Map<String, JsonNode> objects() {
        return objects;
    }

    /** How another workspace compares with this one (the baseline). */
    public Comparison compare(WorkspaceSnapshot other) {
        int matched = 0;
        List<String> missing = new ArrayList<>();
        List<String> differing = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : objects.entrySet()) {
            JsonNode theirs = other.objects.get(e.getKey());
            if (theirs == null) {
                missing.add(e.getKey());
            } else if (theirs.equals(e.getValue())) {
                matched++;
            } else {
                differing.add(e.getKey() + ": " + difference(e.getValue(), theirs));
            }
        }
        other.objects.keySet().stream().filter(k -> !objects.containsKey(k)).forEach(k -> extra.add(k + ": " + other.objects.get(k)));
        return new Comparison(objects.size(), matched, missing, differing, extra);
    }

    /** matched + missing + differing = the baseline's objects; extra = objects the baseline does not have. */
    public record Comparison(int baseline, int matched, List<String> missing, List<String> differing, List<String> extra) {
        public boolean same() {
            return missing.isEmpty() && differing.isEmpty() && extra.isEmpty();
        }

        public String summary() {
            return "objects matched " + matched + "/" + baseline + ", missing " + missing.size() + ", differing "
                    + differing.size() + ", extra " + extra.size();
        }

        /** The summary, then every object that is missing, differs or is extra. */
        public String details() {
            StringBuilder b = new StringBuilder(summary());
            missing.forEach(m -> b.append("\n  missing  ").append(m));
            differing.forEach(d -> b.append("\n  differs  ").append(d));
            extra.forEach(x -> b.append("\n  extra    ").append(x));
            return b.toString();
        }
    }

    /** The fields of two versions of one object that differ, as field: expected → actual. */
    static String difference(JsonNode expected, JsonNode actual) {
        List<String> out = new ArrayList<>();
        TreeSet<String> fields = new TreeSet<>();
        expected.fieldNames().forEachRemaining(fields::add);
        actual.fieldNames().forEachRemaining(fields::add);
        for (String f : fields) {
            JsonNode a = expected.path(f);
            JsonNode b = actual.path(f);
            if (!a.equals(b)) {
                out.add(f + ": " + a + " → " + b);
            }
        }
        return String.join("; ", out);
    }

    private static ObjectNode sorted(JsonNode object) {
        ObjectNode out = F.objectNode();
        if (object != null && object.isObject()) {
            new TreeMap<String, JsonNode>() {
                {
                    object.fields().forEachRemaining(e -> put(e.getKey(), e.getValue()));
                }
            }.forEach((k, v) -> {
                if (!v.isNull()) {
                    out.set(k, v.deepCopy());
                }
            });
        }
        return out;
    }

    /** Tag names, sorted (a contact's tags come as {id}s, a thread's as {id, name}). */
    private static ArrayNode names(JsonNode tags, FakeIntercom intercom) {
        Map<String, String> byId = new HashMap<>();
        intercom.tags().forEach(t -> byId.put(t.path("id").asText(), t.path("name").asText()));
        TreeSet<String> names = new TreeSet<>();
        tags.forEach(t -> names.add((t.hasNonNull("name") ? t.path("name").asText() : byId.getOrDefault(t.path("id").asText(), "?"))
                .toLowerCase(java.util.Locale.ROOT)));
        ArrayNode out = F.arrayNode();
        names.forEach(out::add);
        return out;
    }

    private static final class Normaliser {
        private final Map<String, String> contacts;
        private final Map<String, String> admins;
        private final Map<String, String> teams;
        private final long started;

        Normaliser(Map<String, String> contacts, Map<String, String> admins, Map<String, String> teams, long started) {
            this.contacts = contacts;
            this.admins = admins;
            this.teams = teams;
            this.started = started;
        }

        ObjectNode thread(ObjectNode t, String partsField) {
            ObjectNode n = F.objectNode();
            n.set("created_at", time(t.path("created_at")));
            n.put("state", t.path("state").asText(t.path("open").asText()));
            TreeSet<String> people = new TreeSet<>();
            t.path("contacts").path("contacts").forEach(c -> people.add(contacts.getOrDefault(c.path("id").asText(), "?")));
            n.set("contacts", array(people));
            n.set("admin_assignee", person(t.path("admin_assignee_id")));
            String team = t.path("team_assignee_id").asText("");
            n.put("team_assignee", team.isEmpty() || team.equals("null") || team.equals("0") ? null : teams.getOrDefault(team, "team?" + team));
            JsonNode source = t.path("source");
            if (source.isObject()) {
                ObjectNode s = n.putObject("source");
                s.put("delivered_as", source.path("delivered_as").asText(null));
                s.put("subject", source.path("subject").asText(null));
                s.put("body", source.path("body").asText(null));
                s.set("author", author(source.path("author")));
                s.set("attachments", attachments(source.path("attachments")));
            }
            n.set("custom_attributes", sorted(t.path("custom_attributes")));
            n.set("tags", namesOf(t.path("tags").path("tags")));
            ArrayNode parts = n.putArray("parts");
            for (JsonNode p : t.path(partsField).path(partsField)) {
                ObjectNode q = parts.addObject();
                q.put("part_type", p.path("part_type").asText());
                q.put("body", p.path("body").asText(null));
                q.set("author", author(p.path("author")));
                q.set("created_at", time(p.path("created_at")));
                q.set("assigned_to", person(p.path("assigned_to").path("id")));
                q.set("attachments", attachments(p.path("attachments")));
            }
            return n;
        }

        /** The original source id where the thread carries one, else contact + created_at + opening body. */
        String key(JsonNode thread, ObjectNode normalised) {
            for (String a : SOURCE_ID_ATTRIBUTES) {
                String id = thread.path("custom_attributes").path(a).asText("");
                if (!id.isEmpty()) {
                    return a.replace("cd_original_", "").replace("_id", "") + "=" + id;
                }
            }
            String body = normalised.path("source").path("body").asText("");
            if (body.isEmpty() && normalised.path("parts").size() > 0) {
                body = normalised.path("parts").get(0).path("body").asText("");
            }
            return normalised.path("contacts") + "@" + normalised.path("created_at").asText() + " "
                    + (body.length() > 40 ? body.substring(0, 40) : body);
        }

        private JsonNode time(JsonNode t) {
            if (!t.isNumber()) {
                return t.deepCopy();
            }
            return t.asLong() >= started ? F.textNode("<migration time>") : t.deepCopy();
        }

        private JsonNode person(JsonNode id) {
            String v = id.asText("");
            if (v.isEmpty() || v.equals("null")) {
                return F.nullNode();
            }
            if (admins.containsKey(v)) {
                return F.textNode("admin " + admins.get(v));
            }
            if (teams.containsKey(v)) {
                return F.textNode("team " + teams.get(v));
            }
            if (contacts.containsKey(v)) {
                return F.textNode("contact " + contacts.get(v));
            }
            return F.textNode("?");
        }

        private JsonNode author(JsonNode a) {
            if (!a.isObject()) {
                return F.nullNode();
            }
            JsonNode who = person(a.path("id"));
            if (!who.isNull() && who.asText().startsWith("contact ")) {
                return who; // a contact's part: user or lead as the contact was when it was written, compared on the contact
            }
            return F.textNode(a.path("type").asText() + " " + (who.isNull() ? a.path("email").asText("") : who.asText()));
        }

        private static ArrayNode attachments(JsonNode list) {
            ArrayNode out = F.arrayNode();
            list.forEach(x -> out.add(x.path("name").asText(x.path("url").asText(x.asText()))));
            return out;
        }

        private static ArrayNode namesOf(JsonNode tags) {
            TreeSet<String> names = new TreeSet<>();
            tags.forEach(t -> names.add(t.path("name").asText().toLowerCase(java.util.Locale.ROOT)));
            return array(names);
        }

        private static ArrayNode array(java.util.Collection<String> values) {
            ArrayNode out = F.arrayNode();
            values.forEach(out::add);
            return out;
        }
    }
}
