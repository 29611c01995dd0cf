package io.intercommigrator.clickdesk;

import java.util.List;
import java.util.Map;

import io.intercommigrator.mapping.Timestamps;
import io.intercommigrator.ledger.RecordKey;
import io.intercommigrator.mapping.InvalidRecordException;
import io.intercommigrator.mapping.ThreadPlan;
import io.intercommigrator.mapping.Values;

/**
 * ClickDesk VoIP call (voip_calls.csv) → an admin note with direction, duration, agent and recording URL, backdated
 * to the call's start (mapping.md). The note goes on the visitor's migrated conversation when there is one; the
 * plan also describes the new conversation to open when there is none. Pure.
 */
public final class VoipCallToNote {
    private final VisitorToContact visitors;
    private final Timestamps timestamps;

    public VoipCallToNote(VisitorToContact visitors, Timestamps timestamps) {
        this.visitors = visitors;
        this.timestamps = timestamps;
    }

    public ThreadPlan map(Map<String, String> row) {
        String callId = row.getOrDefault("call_id", "").trim();
        if (callId.isEmpty()) {
            throw new InvalidRecordException("validate", "call_id", "call_id is empty");
        }
        String visitorId = row.getOrDefault("visitor_id", "").trim();
        if (visitorId.isEmpty()) {
            visitorId = "voip-" + callId;
        }
        long at;
        try {
            at = timestamps.toEpochSeconds(row.getOrDefault("started_at", ""));
        } catch (IllegalArgumentException e) {
            throw new InvalidRecordException("validate", "started_at", e.getMessage());
        }
        String direction = row.getOrDefault("direction", "").trim();
        StringBuilder note = new StringBuilder("Phone call");
        if (!direction.isEmpty()) {
            note.append(" (").append(direction).append(")");
        }
        line(note, "Duration", duration(row.getOrDefault("duration_seconds", "")));
        line(note, "Agent", row.get("agent_email"));
        line(note, "Phone", row.get("phone"));
        line(note, "Recording", row.get("recording_url"));
        line(note, "Notes", row.get("notes"));
        Map<String, String> visitor = new java.util.HashMap<>();
        visitor.put("visitor_id", visitorId);
        visitor.put("phone", row.getOrDefault("phone", ""));
        ThreadPlan.PartPlan part = new ThreadPlan.PartPlan("voip-" + callId, ThreadPlan.Author.ADMIN,
                blank(row.get("agent_email")), blank(row.get("agent_email")), true, note.toString(), at, List.of());
        return new ThreadPlan(new RecordKey("clickdesk", "conversation", "voip-" + callId), ThreadPlan.Kind.CONVERSATION,
                new ThreadPlan.ContactRef(new RecordKey("clickdesk", "contact", visitorId), visitors.map(visitor)), at,
                "Phone call " + Values.blankToEmpty(direction), List.of(), null, null, Map.of(),
                Map.of("cd_channel_source", "Phone"), Map.of("cd_channel_source", "string"), null, null, List.of(part), List.of())
                .withState(ThreadPlan.CLOSED); // only a call's own conversation: a note on the visitor's leaves it as it is
    }

    private static String duration(String seconds) {
        try {
            long s = Long.parseLong(seconds.trim());
            return String.format("%d:%02d (%d s)", s / 60, s % 60, s);
        } catch (NumberFormatException e) {
            return seconds;
        }
    }

    private static void line(StringBuilder b, String label, String value) {
        if (value != null && !value.isBlank()) {
            b.append('\n').append(label).append(": ").append(value.trim());
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
