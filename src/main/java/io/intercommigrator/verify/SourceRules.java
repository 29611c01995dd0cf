package io.intercommigrator.verify;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;

import io.intercommigrator.mapping.Timestamps;
import io.intercommigrator.leaddesk.CustomField;
import io.intercommigrator.mapping.MappingConfig;

import io.intercommigrator.intercom.DeliverySample;
/**
 * What a sampled Intercom object must hold, worked out from its source record alone (the row of visitors.csv, the
 * session of chats.json, …) by the rules of mapping.md, never from what the mapper made of it: a mapping defect shows
 * as a difference between the source and Intercom, where a comparison with the sent payload would find them equal.
 * Input parsing is shared with the intake (timestamps in every documented format, in the source's time zone);
 * the operator's map (mapping.yaml: attribute names and types; custom_fields.json) says where a column goes.
 * <p>
 * Per source kind:
 * <ul>
 * <li>ClickDesk visitors.csv, LeadDesk contacts.csv / leads.csv → contact: email (trimmed, lower case), name
 * (LeadDesk: fname lname), phone (its digits), the source id attribute, the mapped string columns, typed columns
 * (integer / float by value, boolean, date → Unix seconds), LeadDesk other1…35 per custom_fields.json, lead status
 * and outcome;</li>
 * <li>ClickDesk chats.json → conversation: created_at = start_time, the opening visitor message, then every other
 * message (empty ones and exact repeats left out) in time order with its time and author (visitor → contact, agent
 * and bot → admin);</li>
 * <li>ClickDesk tickets.csv → created_at, the original id, subject and body (a ticket's title and description, or
 * a conversation's opening message); offline_messages.csv → created_at, the visitor id, the message as description;</li>
 * <li>LeadDesk call_records.csv → created_at = talk_start (else created_at), one admin note at that second, the
 * disposition and outcome as results_outcomes.json names them.</li>
 * </ul>
 * Other kinds (social threads, VoIP calls, chatbot sessions) have no rules here: they are compared with what was sent.
 */
public final class SourceRules {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** One message a thread must hold: where it is in the source, its text, author ("contact" / "admin") and time. */
    public record Part(String key, String body, String author, long createdAt) {
    }

    /**
     * What the source says: field (as the report names it: email, name, phone, custom_attributes.x, created_at, …) →
     * value, null for a value the rules leave off (does not fit its type); the messages in order (null: not covered);
     * and the field → raw value of what the rules leave off.
     */
    public record Expected(Map<String, JsonNode> fields, List<Part> parts, Map<String, String> leftOff) {
    }

    private final MappingConfig mapping;
    private final Timestamps clickdesk;
    private final Timestamps leaddesk;
    private final Supplier<List<CustomField>> customFields;
    private final Function<String, String> resultName;
    private final Function<String, String> outcomeName;
    private final int maxChars;

    /**
     * @param customFields custom_fields.json as far as it is known
     * @param resultName   a result id of results_outcomes.json → its name, or null
     * @param outcomeName  an outcome id of results_outcomes.json → its name, or null
     * @param maxChars     most characters of a text attribute (intercom.attribute-value-max-chars)
     */
    public SourceRules(MappingConfig mapping, Timestamps clickdesk, Timestamps leaddesk, Supplier<List<CustomField>> customFields,
                       Function<String, String> resultName, Function<String, String> outcomeName, int maxChars) {
        this.mapping = mapping;
        this.clickdesk = clickdesk;
        this.leaddesk = leaddesk;
        this.customFields = customFields;
        this.resultName = resultName;
        this.outcomeName = outcomeName;
        this.maxChars = maxChars;
    }

    /** The expectation for a sampled item, or empty when its source record is unknown or its kind has no rules here. */
    public Optional<Expected> expect(DeliverySample.Item item) {
        DeliverySample.Origin origin = item.origin();
        if (origin == null || origin.kind() == null || origin.record() == null) {
            return Optional.empty();
        }
        String kind = origin.kind().toLowerCase(Locale.ROOT);
        boolean contact = DeliverySample.CONTACT.equals(item.objectType());
        if (origin.record() instanceof JsonNode node) {
            return !contact && kind.equals("clickdesk chats.json") ? Optional.of(chat(node)) : Optional.empty();
        }
        if (!(origin.record() instanceof Map<?, ?> raw)) {
            return Optional.empty();
        }
        Map<String, String> row = new LinkedHashMap<>();
        raw.forEach((k, v) -> row.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        Expectation e = new Expectation();
        switch (kind) {
            case "clickdesk visitors.csv" -> {
                if (!contact) {
                    return Optional.empty();
                }
                visitor(row, e);
            }
            case "leaddesk contacts.csv" -> {
                if (!contact) {
                    return Optional.empty();
                }
                leadDeskPerson(row, e, "contact_id", "ld_contact_id");
                customFields(row, e);
            }
            case "leaddesk leads.csv" -> {
                if (!contact) {
                    return Optional.empty();
                }
                leadDeskPerson(row, e, "lead_id", "ld_lead_id");
                e.string("custom_attributes.ld_lead_status", row.get("status"));
                e.string("custom_attributes.ld_outcome", row.get("outcome"));
            }
            case "clickdesk tickets.csv" -> {
                if (contact) {
                    return Optional.empty();
                }
                e.time("created_at", row.get("created_at"), clickdesk);
                e.string(attributes(item) + "cd_original_ticket_id", row.get("ticket_id"));
                if (DeliverySample.TICKET.equals(item.objectType())) {
                    e.text("ticket_attributes._default_title_", row.get("subject"));
                    e.text("ticket_attributes._default_description_", row.get("body"));
                } else {
                    e.text("source.body", row.get("body"));
                }
            }
            case "clickdesk offline_messages.csv" -> {
                if (contact) {
                    return Optional.empty();
                }
                e.time("created_at", row.get("created_at"), clickdesk);
                e.string(attributes(item) + "cd_channel_source", "Offline");
                e.string(attributes(item) + "cd_original_visitor_id", row.get("visitor_id"));
                e.text("ticket_attributes._default_description_", row.get("message"));
            }
            case "leaddesk call_records.csv" -> {
                if (contact) {
                    return Optional.empty();
                }
                call(row, e);
            }
            default -> {
                return Optional.empty();
            }
        }
        return Optional.of(e.done());
    }

    private static String attributes(DeliverySample.Item item) {
        return DeliverySample.TICKET.equals(item.objectType()) ? "ticket_attributes." : "custom_attributes.";
    }

    // ------------------------------------------------------------------ people

    private void visitor(Map<String, String> row, Expectation e) {
        MappingConfig.ClickDesk cd = mapping.clickdesk();
        e.email(row.get("email"));
        e.string("name", row.get("name"));
        e.phone(row.get("phone"));
        e.string("custom_attributes.cd_original_visitor_id", row.get("visitor_id"));
        e.string("custom_attributes.social_source", trim(row.get("social_source")).toLowerCase(Locale.ROOT));
        cd.contactAttributes().forEach((column, attribute) -> e.string("custom_attributes." + attribute, row.get(column)));
        cd.extraColumns().forEach((column, extra) ->
                e.typed("custom_attributes." + extra.attribute(), extra.type(), row.get(column), clickdesk));
    }

    private void leadDeskPerson(Map<String, String> row, Expectation e, String idColumn, String idAttribute) {
        MappingConfig.LeadDesk ld = mapping.leaddesk();
        e.email(row.get("email"));
        e.string("name", (trim(row.get("fname")) + " " + trim(row.get("lname"))).trim());
        e.phone(row.get("phone"));
        e.string("custom_attributes." + idAttribute, row.get(idColumn));
        ld.contactAttributes().forEach((column, attribute) -> e.string("custom_attributes." + attribute, row.get(column)));
        ld.extraColumns().forEach((column, extra) ->
                e.typed("custom_attributes." + extra.attribute(), extra.type(), row.get(column), leaddesk));
    }

    /** other1…35 per custom_fields.json (mapping.md: text → string, number, date, multiselect / checkbox → joined). */
    private void customFields(Map<String, String> row, Expectation e) {
        for (CustomField f : customFields.get()) {
            String column = f.field().trim().toLowerCase(Locale.ROOT);
            String label = f.label() == null || f.label().isBlank() ? column : f.label();
            String field = "custom_attributes." + mapping.leaddesk().customFieldPrefix() + io.intercommigrator.mapping.Values.slug(label);
            String raw = row.get(column);
            switch (f.type() == null ? "" : f.type().trim().toLowerCase(Locale.ROOT)) {
                case "text" -> e.string(field, raw);
                case "number" -> e.typed(field, "float", raw, leaddesk);
                case "date" -> e.typed(field, "date", raw, leaddesk);
                case "multiselect", "checkbox" -> {
                    List<String> values = new ArrayList<>();
                    for (String v : (raw == null ? "" : raw).split("\\|")) {
                        if (!v.isBlank()) {
                            values.add(v.trim());
                        }
                    }
                    e.string(field, String.join(", ", values));
                }
                default -> {
                    // unsupported: never migrated (the reconciliation queue names the field)
                }
            }
        }
    }

    // ------------------------------------------------------------------ threads

    private Expected chat(JsonNode session) {
        Expectation e = new Expectation();
        e.time("created_at", scalar(session.path("start_time")), clickdesk);
        e.string("custom_attributes.cd_channel_source", "Chat");
        e.string("custom_attributes.cd_original_chat_id", scalar(session.path("chat_id")));
        record Message(int index, String from, String text, long time, boolean files) {
        }
        List<Message> messages = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        JsonNode array = session.path("messages");
        for (int i = 0; i < array.size(); i++) {
            JsonNode m = array.get(i);
            String text = scalar(m.path("text"));
            boolean files = m.path("attachments").isArray() && m.path("attachments").size() > 0;
            if (text.isBlank() && !files) {
                continue; // an empty message moves as nothing
            }
            String same = scalar(m.path("from")).trim().toLowerCase(Locale.ROOT) + '\u0000' + scalar(m.path("sender_name")).trim()
                    + '\u0000' + scalar(m.path("sender_email")).trim().toLowerCase(Locale.ROOT) + '\u0000' + scalar(m.path("time")).trim()
                    + '\u0000' + text + '\u0000' + m.path("attachments");
            if (!seen.add(same)) {
                continue; // one message exported twice moves once
            }
            long time;
            try {
                time = clickdesk.toEpochSeconds(scalar(m.path("time")));
            } catch (IllegalArgumentException ex) {
                return e.done(); // a chat that does not parse does not move: nothing to say about its parts
            }
            messages.add(new Message(i, scalar(m.path("from")).trim().toLowerCase(Locale.ROOT), text, time, files));
        }
        messages.sort(Comparator.comparingLong(Message::time));
        List<Part> parts = new ArrayList<>();
        int first = 0;
        if (!messages.isEmpty() && messages.get(0).from().equals("visitor")) {
            first = 1;
            if (!messages.get(0).text().isBlank()) {
                e.fields.put("source.body", JSON.textNode(messages.get(0).text()));
            }
        }
        for (Message m : messages.subList(first, messages.size())) {
            if (m.text().isBlank()) {
                continue; // files only: its part carries the files, not a text to find it by
            }
            parts.add(new Part(Integer.toString(m.index()), m.text(), m.from().equals("visitor") ? "contact" : "admin", m.time()));
        }
        e.parts = parts;
        return e.done();
    }

    private void call(Map<String, String> row, Expectation e) {
        String start = trim(row.get("talk_start")).isEmpty() ? row.get("created_at") : row.get("talk_start");
        e.time("created_at", start, leaddesk);
        String resultId = trim(row.get("call_ending_reason"));
        String disposition = trim(row.get("call_ending_reason_name"));
        if (disposition.isEmpty() && !resultId.isEmpty()) {
            String named = resultName.apply(resultId);
            disposition = named == null || named.isBlank() ? resultId : named.trim();
        }
        String outcome = trim(row.get("outcome"));
        String namedOutcome = outcome.isEmpty() ? null : outcomeName.apply(outcome);
        if (namedOutcome != null && !namedOutcome.isBlank()) {
            outcome = namedOutcome.trim();
        }
        e.name("custom_attributes.ld_disposition", disposition);
        e.name("custom_attributes.ld_outcome", outcome);
        Long createdAt = e.fields.get("created_at") == null ? null : e.fields.get("created_at").asLong();
        if (createdAt != null) {
            e.parts = List.of(new Part("summary", trim(row.get("direction")), "admin", createdAt));
        }
    }

    private static String scalar(JsonNode n) {
        return n.isValueNode() && !n.isNull() ? n.asText() : "";
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    /** Builds one {@link Expected}. */
    private final class Expectation {
        final Map<String, JsonNode> fields = new LinkedHashMap<>();
        final Map<String, String> leftOff = new LinkedHashMap<>();
        List<Part> parts;

        void email(String raw) {
            String email = trim(raw).toLowerCase(Locale.ROOT);
            if (!email.isEmpty()) {
                fields.put("email", JSON.textNode(email));
            }
        }

        void phone(String raw) {
            String digits = trim(raw).replaceAll("\\D", "");
            if (!digits.isEmpty()) {
                fields.put("phone", JSON.textNode(digits));
            }
        }

        /** A text value; blank ones are not sent (an update never blanks what Intercom holds); too long is left off. */
        void string(String field, String raw) {
            String v = trim(raw);
            if (v.isEmpty()) {
                return;
            }
            if (field.contains(".") && v.codePointCount(0, v.length()) > maxChars) {
                leftOff(field, v);
                return;
            }
            fields.put(field, JSON.textNode(v));
        }

        /** A text of a thread (a ticket's title or description, an opening message): no attribute length limit. */
        void text(String field, String raw) {
            String v = trim(raw);
            if (!v.isEmpty()) {
                fields.put(field, JSON.textNode(v));
            }
        }

        /** A taxonomy name: compared as text, ignoring case (the taxonomy's spelling may differ from the row's). */
        void name(String field, String value) {
            if (!value.isEmpty()) {
                fields.put(field, JSON.textNode(value));
            }
        }

        void time(String field, String raw, Timestamps zone) {
            String v = trim(raw);
            if (v.isEmpty()) {
                return;
            }
            try {
                fields.put(field, JSON.numberNode(zone.toEpochSeconds(v)));
            } catch (IllegalArgumentException e) {
                leftOff(field, v);
            }
        }

        /** A value of a typed attribute (string, integer, float, boolean, date / datetime → Unix seconds). */
        void typed(String field, String type, String raw, Timestamps zone) {
            String v = trim(raw);
            if (v.isEmpty()) {
                return;
            }
            switch (type == null ? "string" : type) {
                case "integer", "float" -> {
                    String n = v.replaceAll("(?<=\\d)[ \\u00A0\\u202F\\u2009](?=\\d{3}(\\D|$))", "").replace(',', '.');
                    try {
                        java.math.BigDecimal d = new java.math.BigDecimal(n.startsWith("+") ? n.substring(1) : n);
                        if ("integer".equals(type) && d.stripTrailingZeros().scale() > 0) {
                            leftOff(field, v);
                        } else {
                            fields.put(field, JSON.numberNode(d));
                        }
                    } catch (NumberFormatException e) {
                        leftOff(field, v);
                    }
                }
                case "boolean" -> {
                    switch (v.toLowerCase(Locale.ROOT)) {
                        case "true", "yes", "1", "y", "kyllä", "x" -> fields.put(field, JSON.booleanNode(true));
                        case "false", "no", "0", "n", "ei" -> fields.put(field, JSON.booleanNode(false));
                        default -> leftOff(field, v);
                    }
                }
                case "date", "datetime" -> time(field, v, zone);
                default -> string(field, v);
            }
        }

        void leftOff(String field, String raw) {
            fields.put(field, NullNode.getInstance());
            leftOff.put(field, raw);
        }

        Expected done() {
            return new Expected(fields, parts == null ? null : List.copyOf(parts), leftOff);
        }
    }
}
