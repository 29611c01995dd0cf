package io.intercommigrator.clickdesk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.intercommigrator.mapping.Timestamps;
import io.intercommigrator.ledger.RecordKey;
import io.intercommigrator.mapping.ThreadPlan;
import io.intercommigrator.mapping.Values;

/**
 * ClickDesk ticket (tickets.csv) → Intercom conversation or ticket, as {@link TicketRouting} decides (mapping.md).
 * A ticket carries subject / description / priority / status / department ticket attributes; both kinds carry
 * cd_original_ticket_id. Status and priority are lower-cased, as export-formats.md spells their values ({@code Open}
 * → {@code open}). The thread itself comes from ticket_messages.csv ({@link TicketMessageToPart}). Pure: no I/O.
 */
public final class TicketToThread {
    private final VisitorToContact visitors;
    private final Timestamps timestamps;
    private final TicketRouting routing;
    private final String ticketTypeName;
    private final Map<String, String> ticketStates;

    /** The ticket state of a status by category (mapping.md): open → submitted, pending → waiting_on_customer, closed → resolved. */
    public static final Map<String, String> DEFAULT_TICKET_STATES = Map.of("open", "submitted", "pending", "waiting_on_customer",
            "closed", "resolved");

    public TicketToThread(VisitorToContact visitors, Timestamps timestamps, TicketRouting routing, String ticketTypeName) {
        this(visitors, timestamps, routing, ticketTypeName, Map.of());
    }

    /**
     * @param ticketStates status → Intercom ticket state label (or category) where the operator wants another one than
     *                     the default ({@code ticket_states} in mapping.yaml)
     */
    public TicketToThread(VisitorToContact visitors, Timestamps timestamps, TicketRouting routing, String ticketTypeName,
                          Map<String, String> ticketStates) {
        this.visitors = visitors;
        this.timestamps = timestamps;
        this.routing = routing;
        this.ticketTypeName = ticketTypeName;
        Map<String, String> states = new java.util.HashMap<>(DEFAULT_TICKET_STATES);
        ticketStates.forEach((status, state) -> states.put(status.trim().toLowerCase(Locale.ROOT), state.trim()));
        this.ticketStates = Map.copyOf(states);
    }

    public ThreadPlan map(Map<String, String> row) {
        String ticketId = ThreadFields.required(row.get("ticket_id"), "ticket_id");
        long createdAt = ThreadFields.time(row.get("created_at"), "created_at", timestamps);
        String channel = Values.blankToEmpty(row.get("channel"));
        String status = Values.blankToEmpty(row.get("status")).toLowerCase(Locale.ROOT);
        ThreadPlan.Kind kind = routing.route(channel, status);

        String visitorId = ThreadFields.blankToNull(row.get("visitor_id"));
        ThreadPlan.ContactRef contact = ThreadFields.contact(visitors, visitorId != null ? visitorId : "ticket-" + ticketId,
                row.get("visitor_name"), row.get("visitor_email"), null, "visitor_email");

        String subject = ThreadFields.blankToNull(row.get("subject"));
        String rawBody = ThreadFields.blankToNull(row.get("body"));
        String placeholder = "ClickDesk ticket " + ticketId;
        String body = rawBody != null ? rawBody : subject != null ? subject : placeholder;
        String department = ThreadFields.blankToNull(row.get("department"));

        Map<String, Object> ticketAttributes = Map.of();
        if (kind == ThreadPlan.Kind.TICKET) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("_default_title_", subject != null ? subject : placeholder);
            ThreadFields.putIfPresent(t, "_default_description_", rawBody);
            ThreadFields.putIfPresent(t, "priority", Values.blankToEmpty(row.get("priority")).toLowerCase(Locale.ROOT));
            ThreadFields.putIfPresent(t, "status", status);
            ThreadFields.putIfPresent(t, "department", department);
            ticketAttributes = ThreadFields.frozen(t);
        }

        Map<String, Object> attributes = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        ThreadFields.putString(attributes, types, "cd_channel_source", capitalise(channel));
        ThreadFields.putString(attributes, types, "cd_original_ticket_id", ticketId);

        String objectType = kind == ThreadPlan.Kind.TICKET ? "ticket" : "conversation";
        return new ThreadPlan(new RecordKey(VisitorToContact.SYSTEM, objectType, ticketId), kind, contact, createdAt, body,
                List.of(), subject, kind == ThreadPlan.Kind.TICKET ? ticketTypeName : null, ticketAttributes,
                ThreadFields.frozen(attributes), ThreadFields.frozen(types), ThreadFields.blankToNull(row.get("agent_email")),
                department, List.of(), List.copyOf(Values.multi(row.get("tags")))).withState(state(kind, status));
    }

    /** A conversation is closed when the ticket was; a ticket gets the ticket state of its status (submitted when unknown). */
    private String state(ThreadPlan.Kind kind, String status) {
        if (kind == ThreadPlan.Kind.CONVERSATION) {
            return status.equals("closed") ? ThreadPlan.CLOSED : ThreadPlan.OPEN;
        }
        return ticketStates.getOrDefault(status, "submitted");
    }

    /** "email" → "Email", "WEB" → "Web"; "" stays "". */
    static String capitalise(String channel) {
        String c = channel.trim().toLowerCase(Locale.ROOT);
        return c.isEmpty() ? c : Character.toUpperCase(c.charAt(0)) + c.substring(1);
    }
}
