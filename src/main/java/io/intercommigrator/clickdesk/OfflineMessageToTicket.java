package io.intercommigrator.clickdesk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.intercommigrator.mapping.Timestamps;
import io.intercommigrator.ledger.RecordKey;
import io.intercommigrator.mapping.ThreadPlan;

/**
 * ClickDesk offline message (offline_messages.csv) → Intercom ticket, never a conversation (mapping.md):
 * cd_channel_source = Offline, created_at kept, the visitor's page as cd_visitor_url. Pure: no I/O.
 */
public final class OfflineMessageToTicket {
    private final VisitorToContact visitors;
    private final Timestamps timestamps;
    private final String ticketTypeName;

    public OfflineMessageToTicket(VisitorToContact visitors, Timestamps timestamps, String ticketTypeName) {
        this.visitors = visitors;
        this.timestamps = timestamps;
        this.ticketTypeName = ticketTypeName;
    }

    public ThreadPlan map(Map<String, String> row) {
        String messageId = ThreadFields.required(row.get("message_id"), "message_id");
        long createdAt = ThreadFields.time(row.get("created_at"), "created_at", timestamps);
        String visitorId = ThreadFields.blankToNull(row.get("visitor_id"));
        ThreadPlan.ContactRef contact = ThreadFields.contact(visitors, visitorId != null ? visitorId : "offline-" + messageId,
                row.get("name"), row.get("email"), row.get("phone"), "email");

        String name = ThreadFields.blankToNull(row.get("name"));
        String email = ThreadFields.blankToNull(row.get("email"));
        String who = name != null ? name : email;
        String subject = who != null ? "Offline message from " + who : "Offline message " + messageId;
        String message = ThreadFields.blankToNull(row.get("message"));
        String department = ThreadFields.blankToNull(row.get("department"));

        Map<String, Object> ticketAttributes = new LinkedHashMap<>();
        ticketAttributes.put("_default_title_", subject);
        ThreadFields.putIfPresent(ticketAttributes, "_default_description_", message);
        ThreadFields.putIfPresent(ticketAttributes, "department", department);

        Map<String, Object> attributes = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        ThreadFields.putString(attributes, types, "cd_channel_source", "Offline");
        ThreadFields.putString(attributes, types, "cd_original_visitor_id", visitorId);
        ThreadFields.putString(attributes, types, "cd_visitor_url", row.get("visitor_url"));

        return new ThreadPlan(new RecordKey(VisitorToContact.SYSTEM, "ticket", "offline-" + messageId), ThreadPlan.Kind.TICKET,
                contact, createdAt, message != null ? message : subject, List.of(), subject, ticketTypeName,
                ThreadFields.frozen(ticketAttributes), ThreadFields.frozen(attributes), ThreadFields.frozen(types), null,
                department, List.of(), List.of()).withState("submitted"); // it was never answered
    }
}
