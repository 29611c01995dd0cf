package io.intercommigrator.clickdesk;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.intercommigrator.mapping.Timestamps;
import io.intercommigrator.mapping.InvalidRecordException;
import io.intercommigrator.mapping.ThreadPlan;
import io.intercommigrator.mapping.Values;

/**
 * One row of ClickDesk ticket_messages.csv → a part of its ticket's thread: visitor → contact reply, agent → admin
 * reply (admin matched by author_email); attachments '|'-separated. Pure: no I/O.
 */
public final class TicketMessageToPart {
    private final Timestamps timestamps;

    public TicketMessageToPart(Timestamps timestamps) {
        this.timestamps = timestamps;
    }

    /** The ticket the message belongs to (required). */
    public static String ticketId(Map<String, String> row) {
        return ThreadFields.required(row.get("ticket_id"), "ticket_id");
    }

    /**
     * Why the row is no message to move (neither body nor attachments: the route counts it as a skipped part), or null.
     */
    public static String emptyReason(Map<String, String> row) {
        String body = row.get("body") == null ? "" : row.get("body");
        if (body.isBlank() && Values.multi(row.get("attachments")).isEmpty()) {
            return "message " + Values.blankToEmpty(row.get("message_id")) + " has neither body nor attachments";
        }
        return null;
    }

    public ThreadPlan.PartPlan map(Map<String, String> row) {
        ticketId(row);
        String messageId = ThreadFields.required(row.get("message_id"), "message_id");
        String authorType = Values.blankToEmpty(row.get("author_type")).toLowerCase(Locale.ROOT);
        ThreadPlan.Author author = switch (authorType) {
            case "visitor" -> ThreadPlan.Author.CONTACT;
            case "agent" -> ThreadPlan.Author.ADMIN;
            default -> throw new InvalidRecordException("validate", "author_type",
                    "author_type must be visitor or agent, not '" + Values.blankToEmpty(row.get("author_type")) + "'");
        };
        long createdAt = ThreadFields.time(row.get("created_at"), "created_at", timestamps);
        String body = row.get("body") == null ? "" : row.get("body");
        List<String> attachments = List.copyOf(Values.multi(row.get("attachments")));
        String empty = emptyReason(row);
        if (empty != null) {
            throw new InvalidRecordException("validate", "body", empty);
        }
        String adminEmail = author == ThreadPlan.Author.ADMIN ? ThreadFields.blankToNull(row.get("author_email")) : null;
        return new ThreadPlan.PartPlan(messageId, author, adminEmail, null, false, ThreadFields.textOrFiles(body, attachments),
                createdAt, attachments);
    }
}
