package io.intercommigrator.mapping;

import java.util.List;
import java.util.Map;

import io.intercommigrator.ledger.RecordKey;

import io.intercommigrator.core.LeftOffValue;
/**
 * What a source thread (chat, ticket, offline message, social thread, call, chatbot session) becomes in Intercom:
 * a conversation or a ticket started by a contact, backdated to the source's start, with its parts in order,
 * conversation attributes, an assignee and tags. Pure data: {@code ThreadDelivery} sends it.
 *
 * @param key            ledger key of the thread (system, "conversation" or "ticket", source id)
 * @param kind           conversation or ticket
 * @param contact        who started it (resolved through the ledger, or upserted first from {@code contact.fallback})
 * @param createdAt      Unix seconds of the thread's start
 * @param body           the opening message (required by Intercom; a placeholder line when the source has none)
 * @param attachmentUrls attachments of the opening message (at most 10 are sent; the rest go into a note)
 * @param subject        title (ticket title / conversation title), may be null
 * @param ticketTypeName ticket type for kind TICKET (provisioned by the run), else null
 * @param ticketAttributes ticket type attributes by name (values string / number / boolean), for kind TICKET
 * @param attributes     conversation attributes by name → value (cd_channel_source, ld_disposition, …)
 * @param attributeTypes conversation attribute name → Intercom data_type (string, integer, decimal, boolean, datetime)
 * @param assigneeEmail  source agent email to assign to (matched to an Intercom admin), may be null
 * @param teamName       source department / office / project name (matched to an Intercom team), may be null
 * @param parts          the thread's messages after the opening one, in source order
 * @param tags           tag names for the conversation / ticket
 * @param state          how the thread ended: conversation {@link #OPEN} or {@link #CLOSED}; ticket: the ticket state
 *                       it lands in, an Intercom state label or category ({@code GET /ticket_states}); null = as created
 * @param leftOff        source values left off because they do not fit their attribute, and messages left out
 *                       (empty, or one message exported twice): the route queues / counts them
 */
public record ThreadPlan(RecordKey key, Kind kind, ContactRef contact, long createdAt, String body, List<String> attachmentUrls,
                         String subject, String ticketTypeName, Map<String, Object> ticketAttributes,
                         Map<String, Object> attributes, Map<String, String> attributeTypes, String assigneeEmail,
                         String teamName, List<PartPlan> parts, List<String> tags, String state, List<LeftOffValue> leftOff)
        implements PlannedRecord {

    public static final String OPEN = "open";
    public static final String CLOSED = "closed";

    public ThreadPlan {
        leftOff = List.copyOf(leftOff);
    }

    /** A thread with values left off, landing as Intercom creates it (an open conversation, a submitted ticket). */
    public ThreadPlan(RecordKey key, Kind kind, ContactRef contact, long createdAt, String body, List<String> attachmentUrls,
                      String subject, String ticketTypeName, Map<String, Object> ticketAttributes,
                      Map<String, Object> attributes, Map<String, String> attributeTypes, String assigneeEmail,
                      String teamName, List<PartPlan> parts, List<String> tags, List<LeftOffValue> leftOff) {
        this(key, kind, contact, createdAt, body, attachmentUrls, subject, ticketTypeName, ticketAttributes, attributes,
                attributeTypes, assigneeEmail, teamName, parts, tags, null, leftOff);
    }

    /** A thread with nothing left off, landing as Intercom creates it (an open conversation, a submitted ticket). */
    public ThreadPlan(RecordKey key, Kind kind, ContactRef contact, long createdAt, String body, List<String> attachmentUrls,
                      String subject, String ticketTypeName, Map<String, Object> ticketAttributes,
                      Map<String, Object> attributes, Map<String, String> attributeTypes, String assigneeEmail,
                      String teamName, List<PartPlan> parts, List<String> tags) {
        this(key, kind, contact, createdAt, body, attachmentUrls, subject, ticketTypeName, ticketAttributes, attributes,
                attributeTypes, assigneeEmail, teamName, parts, tags, null, List.of());
    }

    /** The same thread, landing in {@code state}. */
    public ThreadPlan withState(String state) {
        return new ThreadPlan(key, kind, contact, createdAt, body, attachmentUrls, subject, ticketTypeName, ticketAttributes,
                attributes, attributeTypes, assigneeEmail, teamName, parts, tags, state, leftOff);
    }

    /** The same thread, assigned to the team named {@code teamName} (matched to an Intercom team by name). */
    public ThreadPlan withTeam(String teamName) {
        return new ThreadPlan(key, kind, contact, createdAt, body, attachmentUrls, subject, ticketTypeName, ticketAttributes,
                attributes, attributeTypes, assigneeEmail, teamName, parts, tags, state, leftOff);
    }

    public enum Kind { CONVERSATION, TICKET }

    @Override
    public Object payload() {
        return this;
    }

    /**
     * The contact a thread belongs to: the ledger key of its source person (e.g. clickdesk/contact/v1), and the
     * contact to upsert first when that person is not in Intercom yet (built from what the thread itself carries).
     */
    public record ContactRef(RecordKey sourceKey, ContactPlan fallback) {
    }

    /**
     * One message of a thread.
     *
     * @param partKey     stable id of the part within the thread (source message id, or its index)
     * @param author      who wrote it
     * @param adminEmail  for ADMIN authors: the source agent's email (matched to an Intercom admin), may be null
     * @param adminName   for ADMIN authors: the agent's display name, for the note when no admin matches
     * @param note        true → an internal admin note (bots, call summaries, handovers), false → a visible reply
     * @param body        text (plain; notes may carry simple HTML)
     * @param createdAt   Unix seconds
     * @param attachmentUrls attachment URLs (at most 10 sent with the part; the rest listed in a following note)
     */
    public record PartPlan(String partKey, Author author, String adminEmail, String adminName, boolean note, String body,
                           long createdAt, List<String> attachmentUrls) {
    }

    public enum Author { CONTACT, ADMIN }
}
