package io.intercommigrator.clickdesk;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.intercommigrator.mapping.Timestamps;
import io.intercommigrator.ledger.RecordKey;
import io.intercommigrator.mapping.ContactFields;
import io.intercommigrator.mapping.InvalidRecordException;
import io.intercommigrator.core.LeftOffValue;
import io.intercommigrator.mapping.ThreadPlan;

/**
 * ClickDesk chat session (one element of chats.json's {@code session} array) → Intercom conversation (mapping.md):
 * started by the visitor at start_time, messages in time order as parts (visitor → contact reply, agent → admin
 * comment, bot → admin note), cd_channel_source = Chat. Pure: no I/O.
 */
public final class ChatToConversation {
    private final VisitorToContact visitors;
    private final Timestamps timestamps;

    public ChatToConversation(VisitorToContact visitors, Timestamps timestamps) {
        this.visitors = visitors;
        this.timestamps = timestamps;
    }

    public ThreadPlan map(JsonNode session) {
        String chatId = ThreadFields.required(text(session, "chat_id"), "chat_id");
        String visitorId = ThreadFields.required(text(session, "visitor_id"), "visitor_id");
        long createdAt = ThreadFields.time(text(session, "start_time"), "start_time", timestamps);
        String agentEmail = ThreadFields.blankToNull(text(session, "agent_email"));
        ThreadPlan.ContactRef contact = ThreadFields.contact(visitors, visitorId, text(session, "name"),
                text(session, "email"), null, "email");

        List<LeftOffValue> leftOff = new ArrayList<>();
        List<Message> messages = messages(session.path("messages"), leftOff);
        String body = "ClickDesk chat " + chatId + " started";
        List<String> openingAttachments = List.of();
        int first = 0;
        if (!messages.isEmpty() && messages.get(0).from().equals("visitor")) {
            Message opening = messages.get(0);
            if (!opening.text().isBlank()) {
                body = opening.text();
            }
            openingAttachments = opening.attachments();
            first = 1;
        }
        List<ThreadPlan.PartPlan> parts = new ArrayList<>();
        for (Message m : messages.subList(first, messages.size())) {
            parts.add(part(m, agentEmail));
        }

        Map<String, Object> attributes = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        ThreadFields.putString(attributes, types, "cd_channel_source", "Chat");
        ThreadFields.putString(attributes, types, "cd_original_chat_id", chatId);
        ThreadFields.putString(attributes, types, "cd_original_visitor_id", visitorId);
        Long rating = rating(session.path("user_rate"), leftOff);
        if (rating != null) {
            attributes.put("cd_chat_rating", rating);
            types.put("cd_chat_rating", "integer");
        }

        return new ThreadPlan(new RecordKey(VisitorToContact.SYSTEM, "conversation", chatId), ThreadPlan.Kind.CONVERSATION,
                contact, createdAt, body, openingAttachments, null, null, Map.of(), ThreadFields.frozen(attributes),
                ThreadFields.frozen(types), agentEmail, ThreadFields.blankToNull(text(session, "department")),
                List.copyOf(parts), tags(session.path("tags")), leftOff).withState(state(session));
    }

    /** Closed when the session ended (status closed / ended / missed_by_agent, or an end_time), else open (mapping.md). */
    static String state(JsonNode session) {
        String status = text(session, "status").trim().toLowerCase(Locale.ROOT);
        boolean ended = status.equals("closed") || status.equals("ended") || status.equals("missed_by_agent")
                || !text(session, "end_time").isBlank();
        return ended ? ThreadPlan.CLOSED : ThreadPlan.OPEN;
    }

    private record Message(int index, long time, String from, String senderName, String senderEmail, String text,
                           List<String> attachments) {
    }

    /** What makes two messages of a session the same message: who wrote it, when (as exported) and what. */
    private record Sameness(String from, String senderName, String senderEmail, String time, String text,
                            List<String> attachments) {
    }

    /**
     * Messages with their original index, empty ones (no text, no attachments) and exact repeats of an earlier one
     * (same from, sender, time, text and attachments: one message exported twice) left out and noted in
     * {@code leftOff}, stably sorted by time.
     */
    private List<Message> messages(JsonNode array, List<LeftOffValue> leftOff) {
        List<Message> out = new ArrayList<>();
        if (!array.isArray()) {
            return out;
        }
        Map<Sameness, Integer> seen = new HashMap<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode m = array.get(i);
            String column = "messages[" + i + "]";
            String text = m.path("text").isValueNode() && !m.path("text").isNull() ? m.path("text").asText() : "";
            List<String> attachments = strings(m.path("attachments"));
            if (text.isBlank() && attachments.isEmpty()) {
                leftOff.add(LeftOffValue.message(column, text, "empty message (no text, no attachments)"));
                continue;
            }
            String from = text(m, "from").trim().toLowerCase(Locale.ROOT);
            if (!from.equals("visitor") && !from.equals("agent") && !from.equals("bot")) {
                throw new InvalidRecordException("validate", column + ".from",
                        column + ".from must be visitor, agent or bot, not '" + text(m, "from") + "'");
            }
            long time = ThreadFields.time(text(m, "time"), column + ".time", timestamps);
            Integer earlier = seen.putIfAbsent(new Sameness(from, text(m, "sender_name").trim(),
                    text(m, "sender_email").trim().toLowerCase(Locale.ROOT), text(m, "time").trim(), text, attachments), i);
            if (earlier != null) {
                leftOff.add(LeftOffValue.message(column, text, "the same message as messages[" + earlier + "] (exported twice)"));
                continue;
            }
            out.add(new Message(i, time, from, text(m, "sender_name"), text(m, "sender_email"), text, attachments));
        }
        out.sort(Comparator.comparingLong(Message::time));
        return out;
    }

    private static ThreadPlan.PartPlan part(Message m, String agentEmail) {
        String key = Integer.toString(m.index());
        return switch (m.from()) {
            case "visitor" -> new ThreadPlan.PartPlan(key, ThreadPlan.Author.CONTACT, null, null, false,
                    ThreadFields.textOrFiles(m.text(), m.attachments()), m.time(), m.attachments());
            case "agent" -> {
                String email = ThreadFields.blankToNull(m.senderEmail());
                yield new ThreadPlan.PartPlan(key, ThreadPlan.Author.ADMIN, email != null ? email : agentEmail,
                        ThreadFields.blankToNull(m.senderName()), false, ThreadFields.textOrFiles(m.text(), m.attachments()), m.time(),
                        m.attachments());
            }
            default -> new ThreadPlan.PartPlan(key, ThreadPlan.Author.ADMIN, null, ThreadFields.blankToNull(m.senderName()),
                    true, "[Bot] " + ThreadFields.textOrFiles(m.text(), m.attachments()), m.time(), m.attachments());
        };
    }

    /** user_rate when it is a whole number (number or numeric string); anything else is left off and noted. */
    private static Long rating(JsonNode rate, List<LeftOffValue> leftOff) {
        if (rate.isIntegralNumber() && rate.canConvertToLong()) {
            return rate.asLong();
        }
        if (rate.isMissingNode() || rate.isNull() || rate.isTextual() && rate.textValue().isBlank()) {
            return null;
        }
        if (rate.isValueNode()) {
            try {
                return ContactFields.integer(rate.asText());
            } catch (NumberFormatException e) {
                // falls through: not a whole number
            }
        }
        leftOff.add(new LeftOffValue("user_rate", "cd_chat_rating", rate.isValueNode() ? rate.asText() : rate.toString(),
                "not a valid integer for attribute cd_chat_rating"));
        return null;
    }

    /** The session's tags: trimmed, non-empty, in order, deduplicated case-insensitively (first spelling kept). */
    private static List<String> tags(JsonNode array) {
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String tag : strings(array)) {
            if (seen.add(tag.toLowerCase(Locale.ROOT))) {
                out.add(tag);
            }
        }
        return List.copyOf(out);
    }

    /** Scalar elements of an array as trimmed non-blank strings. */
    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array.isArray()) {
            for (JsonNode element : array) {
                if (element.isValueNode() && !element.isNull() && !element.asText().isBlank()) {
                    out.add(element.asText().trim());
                }
            }
        }
        return List.copyOf(out);
    }

    /** A scalar field as text (numbers too, e.g. epoch ms), "" when missing or null. */
    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : "";
    }
}
