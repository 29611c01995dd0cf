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
 * disposition and outcome as results_outcomes.json names them;</li>
 * <li>ClickDesk social_messages.csv (the rows of one thread_id) → conversation: created_at = its earliest message,
 * cd_channel_source = the network (Facebook / Twitter), cd_original_thread_id, the contact's email (the thread's
 * first visitor email), the opening visitor message, then every other message (empty ones and repeated rows left out)
 * in time order with its time and author (visitor → contact, agent → admin);</li>
 * <li>ClickDesk voip_calls.csv → one admin note at started_at holding the call's direction, duration (m:ss), agent
 * and recording URL; a call with a conversation of its own: created_at = started_at, cd_channel_source = Phone; a call
 * placed on the visitor's conversation ({@link DeliverySample#NOTE}): that note among the conversation's parts;</li>
 * <li>ClickDesk ticket_messages.csv ({@link DeliverySample#CONVERSATION_PART}: the rows appended to one thread) → each
 * row with a body a part of that thread, in time order, with its created_at and author (visitor → contact, agent →
 * admin);</li>
 * <li>LeadDesk chatbot export (one session's rows of the four CSVs) → conversation: created_at = timing.csv
 * started_at (else its first message), the contact's email, the opening user message, then every other message
 * (empty ones and repeats left out) in message_index order with its timestamp and author (user → contact, bot and
 * agent → admin), a handover note ("Handed over", naming the agent) when outcomes.csv says handed_over, at handover_at;
 * ld_intent and ld_chatbot_outcome.</li>
 * </ul>
 * A field {@code contact.x} is the thread's contact's: the read-back reads that contact.
 */
public final class SourceRules {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /**
     * One message a thread must hold: where it is in the source, its text, author ("contact" / "admin") and time; and
     * what else its text must say (label → text: a call note's direction, duration, agent, recording URL).
     */
    public record Part(String key, String body, String author, long createdAt, Map<String, String> details) {
        public Part(String key, String body, String author, long createdAt) {
            this(key, body, author, createdAt, Map.of());
        }
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
            if (contact) {
                return Optional.empty();
            }
            return switch (kind) {
                case "clickdesk chats.json" -> Optional.of(chat(node));
                case CHATBOT -> Optional.of(chatbot(node));
                default -> Optional.empty();
            };
        }
        if (origin.record() instanceof List<?> list) {
            List<Map<String, String>> rows = new ArrayList<>();
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    rows.add(strings(m));
                }
            }
            if (contact || rows.isEmpty()) {
                return Optional.empty();
            }
            return switch (kind) {
                case "clickdesk social_messages.csv" -> item.appendedParts() ? Optional.empty() : Optional.of(social(rows));
                case "clickdesk voip_calls.csv" -> Optional.of(calls(rows, item.appendedParts()));
                case "clickdesk ticket_messages.csv" -> item.appendedParts() ? Optional.of(ticketMessages(rows)) : Optional.empty();
                default -> Optional.empty();
            };
        }
        if (!(origin.record() instanceof Map<?, ?> raw)) {
            return Optional.empty();
        }
        Map<String, String> row = strings(raw);
        if (kind.equals("clickdesk voip_calls.csv")) {
            return contact ? Optional.empty() : Optional.of(calls(List.of(row), item.appendedParts()));
        }
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

    /** The kind of file of a chatbot session's rows (as the intake names it). */
    static final String CHATBOT = "leaddesk chatbot_export*.zip";

    private static Map<String, String> strings(Map<?, ?> raw) {
        Map<String, String> row = new LinkedHashMap<>();
        raw.forEach((k, v) -> row.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        return row;
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

    /** A social thread: its rows (social_messages.csv, one thread_id), in file order. */
    private Expected social(List<Map<String, String>> rows) {
        Expectation e = new Expectation();
        record Message(int index, Map<String, String> row, long time, boolean agent, String text) {
        }
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> row = rows.get(i);
            long time;
            try {
                time = clickdesk.toEpochSeconds(trim(row.get("created_at")));
            } catch (IllegalArgumentException ex) {
                return e.done(); // a thread with a time that does not parse does not move
            }
            messages.add(new Message(i, row, time, trim(row.get("author_type")).equalsIgnoreCase("agent"), trim(row.get("text"))));
        }
        messages.sort(Comparator.comparingLong(Message::time).thenComparingInt(Message::index));
        Map<String, String> first = rows.get(0);
        String network = trim(first.get("network")).toLowerCase(Locale.ROOT);
        e.fields.put("created_at", JSON.numberNode(messages.get(0).time()));
        if (!network.isEmpty()) {
            e.string("custom_attributes.cd_channel_source", network.substring(0, 1).toUpperCase(Locale.ROOT) + network.substring(1));
        }
        e.string("custom_attributes.cd_original_thread_id", first.get("thread_id"));
        messages.stream().filter(m -> !m.agent()).map(m -> trim(m.row().get("email")).toLowerCase(Locale.ROOT))
                .filter(x -> !x.isEmpty()).findFirst().ifPresent(x -> e.fields.put("contact.email", JSON.textNode(x)));
        Message opening = messages.stream().filter(m -> !m.agent() && !m.text().isEmpty()).findFirst().orElse(null);
        if (opening != null) {
            e.fields.put("source.body", JSON.textNode(opening.text()));
        }
        List<Part> parts = new ArrayList<>();
        Set<Map<String, String>> seen = new HashSet<>();
        for (Message m : messages) {
            Map<String, String> same = new LinkedHashMap<>();
            m.row().forEach((k, v) -> same.put(k, trim(v)));
            if (!seen.add(same) || m == opening || m.text().isEmpty()) {
                continue; // a row exported twice moves once; an empty one as nothing
            }
            parts.add(new Part(Integer.toString(m.index()), m.text(), m.agent() ? "admin" : "contact", m.time()));
        }
        e.parts = parts;
        return e.done();
    }

    /**
     * VoIP calls: one with a conversation of its own (its created_at and channel, its note), or the calls placed on a
     * visitor's conversation (their notes only).
     */
    private Expected calls(List<Map<String, String>> rows, boolean onAnotherConversation) {
        Expectation e = new Expectation();
        List<Part> parts = new ArrayList<>();
        for (Map<String, String> row : rows) {
            long at;
            try {
                at = clickdesk.toEpochSeconds(trim(row.get("started_at")));
            } catch (IllegalArgumentException ex) {
                continue; // a call whose start does not parse does not move
            }
            Map<String, String> details = new LinkedHashMap<>();
            putIfPresent(details, "direction", trim(row.get("direction")));
            String seconds = trim(row.get("duration_seconds"));
            putIfPresent(details, "duration", seconds.matches("\\d+")
                    ? String.format("%d:%02d", Long.parseLong(seconds) / 60, Long.parseLong(seconds) % 60) : seconds);
            putIfPresent(details, "agent", trim(row.get("agent_email")));
            putIfPresent(details, "recording", trim(row.get("recording_url")));
            parts.add(new Part(trim(row.get("call_id")), "", "admin", at, details));
            if (!onAnotherConversation) {
                e.fields.put("created_at", JSON.numberNode(at));
                e.string("custom_attributes.cd_channel_source", "Phone");
            }
        }
        e.parts = parts;
        return e.done();
    }

    /** ticket_messages.csv rows appended to one thread: each row with a body, in time order (file order at one time). */
    private Expected ticketMessages(List<Map<String, String>> rows) {
        Expectation e = new Expectation();
        record Message(int index, Part part) {
        }
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> row = rows.get(i);
            String body = trim(row.get("body"));
            String author = switch (trim(row.get("author_type")).toLowerCase(Locale.ROOT)) {
                case "visitor" -> "contact";
                case "agent" -> "admin";
                default -> null;
            };
            if (body.isEmpty() || author == null) {
                continue; // files only (found by its files, not a text), empty, or not a message that moves
            }
            try {
                messages.add(new Message(i, new Part(trim(row.get("message_id")), body, author,
                        clickdesk.toEpochSeconds(trim(row.get("created_at"))))));
            } catch (IllegalArgumentException ex) {
                // a message whose time does not parse does not move
            }
        }
        messages.sort(Comparator.comparingLong((Message m) -> m.part().createdAt()).thenComparingInt(Message::index));
        e.parts = messages.stream().map(Message::part).toList();
        return e.done();
    }

    /** A chatbot session: its rows as read from the four CSVs of the export (see ChatbotExport.SessionRead). */
    private Expected chatbot(JsonNode session) {
        Expectation e = new Expectation();
        List<JsonNode> messages = new ArrayList<>();
        session.path("messages").forEach(messages::add);
        messages.sort(Comparator.comparingLong((JsonNode m) -> m.path("message_index").asLong())
                .thenComparingLong(m -> m.path("order").asLong()));
        if (messages.isEmpty()) {
            return e.done();
        }
        long createdAt = session.hasNonNull("started_at") ? session.path("started_at").asLong()
                : messages.get(0).path("timestamp").asLong();
        e.fields.put("created_at", JSON.numberNode(createdAt));
        messages.stream().map(m -> trim(scalar(m.path("contact_email"))).toLowerCase(Locale.ROOT))
                .filter(x -> !x.isEmpty() && io.intercommigrator.mapping.Values.validEmail(x)).findFirst()
                .ifPresent(x -> e.fields.put("contact.email", JSON.textNode(x)));
        JsonNode opening = messages.stream().filter(m -> scalar(m.path("sender")).equals("user")
                && !trim(scalar(m.path("message"))).isEmpty()).findFirst().orElse(null);
        if (opening != null) {
            e.fields.put("source.body", JSON.textNode(trim(scalar(opening.path("message")))));
        }
        List<Part> parts = new ArrayList<>();
        Set<List<String>> seen = new HashSet<>();
        if (opening != null) {
            seen.add(sameness(opening));
        }
        for (JsonNode m : messages) {
            String text = trim(scalar(m.path("message")));
            if (m == opening || text.isEmpty() || !seen.add(sameness(m))) {
                continue; // an empty message moves as nothing; one exported twice moves once
            }
            parts.add(new Part(scalar(m.path("message_index")), text, scalar(m.path("sender")).equals("user") ? "contact" : "admin",
                    m.path("timestamp").asLong()));
        }
        if (session.path("handed_over").asBoolean(false)) {
            String agent = trim(scalar(session.path("agent_email"))).toLowerCase(Locale.ROOT);
            long at = session.hasNonNull("handover_at") ? session.path("handover_at").asLong()
                    : messages.stream().filter(m -> scalar(m.path("sender")).equals("agent")).map(m -> m.path("timestamp").asLong())
                    .findFirst().orElse(parts.isEmpty() ? createdAt : parts.get(parts.size() - 1).createdAt());
            Map<String, String> details = new LinkedHashMap<>();
            putIfPresent(details, "agent", agent);
            int position = parts.size();
            for (int i = 0; i < parts.size(); i++) {
                if (parts.get(i).createdAt() > at) {
                    position = i;
                    break;
                }
            }
            parts.add(position, new Part("handover", "Handed over", "admin", at, details));
        }
        e.parts = parts;
        e.string("custom_attributes.ld_intent", scalar(session.path("intent")));
        e.string("custom_attributes.ld_chatbot_outcome", scalar(session.path("outcome")));
        return e.done();
    }

    private static List<String> sameness(JsonNode m) {
        return List.of(scalar(m.path("message_index")), scalar(m.path("sender")), scalar(m.path("timestamp")),
                trim(scalar(m.path("message"))));
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (!value.isEmpty()) {
            map.put(key, value);
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
