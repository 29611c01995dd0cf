package io.intercommigrator.clickdesk;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.intercommigrator.mapping.Timestamps;
import io.intercommigrator.ledger.RecordKey;
import io.intercommigrator.mapping.ContactFields;
import io.intercommigrator.mapping.ContactPlan;
import io.intercommigrator.mapping.InvalidRecordException;
import io.intercommigrator.core.LeftOffValue;
import io.intercommigrator.mapping.ThreadPlan;

/**
 * ClickDesk social thread (the social_messages.csv rows of one thread_id) → one conversation with
 * cd_channel_source = Facebook / Twitter (mapping.md); the contact is found by email when the thread has one,
 * otherwise it is a lead keyed on network + handle. Pure.
 */
public final class SocialThreadToConversation {
    private final Timestamps timestamps;

    public SocialThreadToConversation(Timestamps timestamps) {
        this.timestamps = timestamps;
    }

    /** @param rows the thread's rows in file order (their line numbers are kept in each map under "_line") */
    public ThreadPlan map(String threadId, List<Map<String, String>> rows) {
        record Message(Map<String, String> row, long at, int index) {
        }
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> row = rows.get(i);
            try {
                messages.add(new Message(row, timestamps.toEpochSeconds(row.getOrDefault("created_at", "")), i));
            } catch (IllegalArgumentException e) {
                throw new InvalidRecordException("validate", "created_at", "thread " + threadId + ": " + e.getMessage());
            }
        }
        messages.sort(Comparator.comparingLong(Message::at).thenComparingInt(Message::index));
        Map<String, String> first = rows.get(0);
        String network = first.getOrDefault("network", "").trim().toLowerCase(Locale.ROOT);
        String channel = network.isEmpty() ? "Social" : network.substring(0, 1).toUpperCase(Locale.ROOT) + network.substring(1);
        String email = "";
        String handle = "";
        String name = "";
        for (Message m : messages) {
            if (!"agent".equalsIgnoreCase(m.row().getOrDefault("author_type", "").trim())) {
                email = email.isEmpty() ? ContactFields.email(m.row().get("email")) : email;
                handle = handle.isEmpty() ? m.row().getOrDefault("handle", "").trim() : handle;
                name = name.isEmpty() ? m.row().getOrDefault("name", "").trim() : name;
            }
        }
        String personKey = email.isEmpty() ? network + ":" + (handle.isEmpty() ? threadId : handle) : email;
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("role", email.isEmpty() ? "lead" : "user");
        payload.put("external_id", "cd-social-" + personKey);
        ContactFields.putIfPresent(payload, "email", email);
        ContactFields.putIfPresent(payload, "name", name.isEmpty() ? handle : name);
        Map<String, String> types = new LinkedHashMap<>();
        ObjectNode custom = payload.putObject("custom_attributes");
        ContactFields.putAttribute(custom, types, "social_source", "string", network);
        ContactPlan contact = new ContactPlan(new RecordKey("clickdesk", "social-contact", personKey), email.isEmpty() ? null : email,
                payload, types, List.of(), Set.of("external_id"));

        Message opening = messages.stream().filter(m -> !"agent".equalsIgnoreCase(m.row().getOrDefault("author_type", "").trim())
                && !m.row().getOrDefault("text", "").isBlank()).findFirst().orElse(null);
        List<ThreadPlan.PartPlan> parts = new ArrayList<>();
        List<LeftOffValue> leftOff = new ArrayList<>();
        Map<List<String>, Integer> seen = new HashMap<>();
        for (Message m : messages) {
            String text = m.row().getOrDefault("text", "").trim();
            String where = "thread " + threadId + " row " + (m.index() + 1);
            // a row exported twice (same author, created_at and text) is one message: its first row keeps its key
            Integer earlier = seen.putIfAbsent(sameness(m.row(), text), m.index());
            if (m == opening) {
                continue;
            }
            if (earlier != null) {
                leftOff.add(LeftOffValue.message(where, text, "the same message as row " + (earlier + 1) + " (exported twice)"));
                continue;
            }
            if (text.isEmpty()) {
                leftOff.add(LeftOffValue.message(where, text, "empty message (no text)"));
                continue;
            }
            boolean agent = "agent".equalsIgnoreCase(m.row().getOrDefault("author_type", "").trim());
            parts.add(new ThreadPlan.PartPlan(String.valueOf(m.index()), agent ? ThreadPlan.Author.ADMIN : ThreadPlan.Author.CONTACT,
                    agent ? blankToNull(m.row().get("agent_email")) : null, agent ? blankToNull(m.row().get("name")) : null,
                    false, text, m.at(), List.of()));
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("cd_channel_source", channel);
        attributes.put("cd_original_thread_id", threadId);
        String assignee = messages.stream().map(m -> m.row().getOrDefault("agent_email", "").trim()).filter(e -> !e.isEmpty())
                .findFirst().orElse(null);
        return new ThreadPlan(new RecordKey("clickdesk", "conversation", "social-" + threadId), ThreadPlan.Kind.CONVERSATION,
                new ThreadPlan.ContactRef(contact.key(), contact), messages.get(0).at(),
                opening != null ? opening.row().get("text").trim() : channel + " thread " + threadId, List.of(), null, null,
                Map.of(), attributes, Map.of("cd_channel_source", "string", "cd_original_thread_id", "string"), assignee, null,
                parts, List.of(), leftOff).withState(ThreadPlan.CLOSED); // a social thread is history: it lands closed
    }

    /** Who wrote a row, when (as exported) and what: equal for the rows of one message exported twice. */
    private static List<String> sameness(Map<String, String> row, String text) {
        return List.of(lower(row, "author_type"), row.getOrDefault("handle", "").trim(), row.getOrDefault("name", "").trim(),
                lower(row, "email"), lower(row, "agent_email"), row.getOrDefault("created_at", "").trim(), text);
    }

    private static String lower(Map<String, String> row, String column) {
        return row.getOrDefault(column, "").trim().toLowerCase(Locale.ROOT);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
