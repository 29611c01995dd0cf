package io.intercommigrator.intercom;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.intercommigrator.core.RunControl;
import io.intercommigrator.ledger.ContentHash;
import io.intercommigrator.ledger.ConversationSpan;
import io.intercommigrator.ledger.Ledger;
import io.intercommigrator.ledger.LedgerRecord;
import io.intercommigrator.ledger.RecordKey;
import io.intercommigrator.mapping.ThreadPlan;
import io.intercommigrator.mapping.WorkItem;

/**
 * Where a ClickDesk VoIP call lands (mapping.md, VoIP call placement): an admin note on the visitor's conversation
 * whose span (first to last message as migrated, widened by {@code clickdesk.voip.attach-window-minutes} on each
 * side) holds the call's start, the nearest span when several do; otherwise the call's own conversation.
 *
 * <p>Spans are those of the ClickDesk conversations the ledger knows as delivered for the contact: chats, social
 * threads and tickets the routing rule made conversations (widened by their ticket_messages.csv rows). Tickets and
 * offline messages (Intercom tickets) and other calls' own conversations are no span. A call is placed when it is
 * delivered; a call dropped before the chat it belongs to finds no span and opens its own conversation, and when
 * that chat arrives later (or a ticket_messages.csv row widens its span to hold the call) the call's note is copied
 * onto it and the call's own conversation deleted, so every drop order ends as the bundle does. A note once placed
 * on a chat stays there in every later run.
 */
public final class VoipCallDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(VoipCallDelivery.class);
    /** Catalog kind of the calls that have a conversation of their own: "contact call" → "thread at part". */
    private static final String OWN = "voip-own:";
    private static final String MOVED = "moved";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ThreadDelivery threads;
    private final IntercomClient client;
    private final Ledger ledger;
    private final RunControl run;
    private final long windowSeconds;

    public VoipCallDelivery(ThreadDelivery threads, IntercomClient client, Ledger ledger, RunControl run, long windowSeconds) {
        this.threads = threads;
        this.client = client;
        this.ledger = ledger;
        this.run = run;
        this.windowSeconds = windowSeconds;
        threads.calls(this);
    }

    /** Route entry (voip_calls.csv). */
    public void deliver(WorkItem item) {
        run.checkRunning();
        if (!(item.plan() instanceof ThreadPlan plan) || plan.parts().isEmpty()
                || ledger.find(plan.key()).map(r -> r.intercomId() != null).orElse(false)) {
            threads.deliver(item); // a skip, or the call's own conversation exists already (an earlier attempt or run)
            return;
        }
        String contactId = threads.contactOf(plan);
        Optional<String> conversation = placedBefore(plan).or(() -> conversationAt(contactId, plan.parts().get(0).createdAt()));
        if (conversation.isEmpty()) {
            threads.deliver(item);
        } else {
            threads.noteOn(item, plan, conversation.get(), contactId);
        }
    }

    /** The contact's conversation whose widened span holds {@code at}: the nearest, then the one that started last. */
    Optional<String> conversationAt(String contactId, long at) {
        return ledger.spansOf(contactId).stream().filter(s -> s.distanceTo(at) <= windowSeconds)
                .min(Comparator.comparingLong((ConversationSpan s) -> s.distanceTo(at))
                        .thenComparing(Comparator.comparingLong(ConversationSpan::firstAt).reversed())
                        .thenComparing(ConversationSpan::threadId))
                .map(ConversationSpan::threadId);
    }

    /** The conversation an earlier attempt sent (or was sending) the note to: a retry never sends it elsewhere. */
    private Optional<String> placedBefore(ThreadPlan plan) {
        RecordKey part = new RecordKey(plan.key().system(), "conversation_part",
                plan.key().sourceId() + "#" + plan.parts().get(0).partKey());
        return ledger.find(part).map(r -> r.intercomId() != null ? r.intercomId() : r.contentHash());
    }

    /**
     * Called by {@link ThreadDelivery} for every thread it delivered: a ClickDesk conversation (not a call's own)
     * is a span calls may join, from its first to its last message.
     */
    static void recordSpan(Ledger ledger, ThreadPlan plan, String contactId, String threadId, String runId) {
        if (threadId == null || plan.kind() != ThreadPlan.Kind.CONVERSATION || !"clickdesk".equals(plan.key().system())
                || plan.key().sourceId().startsWith(VOIP_PREFIX)) {
            return;
        }
        long first = plan.createdAt();
        long last = plan.createdAt();
        for (ThreadPlan.PartPlan p : plan.parts()) {
            first = Math.min(first, p.createdAt());
            last = Math.max(last, p.createdAt());
        }
        ledger.widenSpan(contactId, threadId, first, last, runId);
    }

    /**
     * Called by {@link ThreadDelivery} after {@link #recordSpan} for every thread it delivered: a call's own
     * conversation is remembered for its contact; a ClickDesk conversation takes in the contact's calls with a
     * conversation of their own whose nearest span it now is.
     */
    void threadDelivered(ThreadPlan plan, String contactId, String threadId) {
        if (threadId == null || contactId == null || plan.kind() != ThreadPlan.Kind.CONVERSATION
                || !"clickdesk".equals(plan.key().system())) {
            return;
        }
        if (plan.key().sourceId().startsWith(VOIP_PREFIX)) {
            if (!plan.parts().isEmpty() && ledger.find(plan.key()).map(LedgerRecord::delivered).orElse(false)) {
                String callId = plan.key().sourceId();
                boolean moved = ownCalls(plan.key().system(), contactId).stream()
                        .anyMatch(e -> e[0].equals(contactId + " " + callId) && e[1].equals(MOVED));
                if (!moved) {
                    ledger.putCatalog(plan.key().system(), ownKind(contactId), contactId + " " + callId,
                            threadId + " " + plan.parts().get(0).createdAt() + " " + plan.parts().get(0).partKey());
                }
            }
            return;
        }
        takeInCalls(plan.key().system(), contactId, threadId);
    }

    /** After a message appended to a thread widened its span: the thread's contact's calls it now holds come in. */
    void spanWidened(String system, String threadId) {
        if (!"clickdesk".equals(system)) {
            return;
        }
        ledger.spanContact(threadId).ifPresent(contactId -> takeInCalls(system, contactId, threadId));
    }

    private void takeInCalls(String system, String contactId, String threadId) {
        for (String[] entry : ownCalls(system, contactId)) {
            if (entry[1].equals(MOVED)) {
                continue;
            }
            String[] own = entry[1].split(" ", 3);
            long at = Long.parseLong(own[1]);
            if (conversationAt(contactId, at).filter(threadId::equals).isPresent()) {
                moveCall(system, contactId, entry[0].substring(contactId.length() + 1), own[0], own[2], threadId);
            }
        }
    }

    /**
     * A lead was merged into a user (ContactUpserter): the calls catalogued as the lead's, with a conversation of
     * their own, are the user's now, so the user's chat that arrives later takes them in as it would have.
     */
    static void contactMerged(Ledger ledger, String system, String fromLeadId, String intoUserId) {
        for (String[] e : ledger.catalog(system, ownKind(fromLeadId))) {
            if (e[0].startsWith(fromLeadId + " ")) {
                ledger.putCatalog(system, ownKind(intoUserId), intoUserId + e[0].substring(fromLeadId.length()), e[1]);
            }
        }
    }

    /** The contact's calls with a conversation of their own, as catalogued: {"contact call", "thread at part" | moved}. */
    private List<String[]> ownCalls(String system, String contactId) {
        return ledger.catalog(system, ownKind(contactId)).stream().filter(e -> e[0].startsWith(contactId + " ")).toList();
    }

    /** The catalog kind holds 32 characters: the contact's id goes in hashed (and whole in the key). */
    private static String ownKind(String contactId) {
        byte[] digest = ContentHash.sha256().digest(contactId.getBytes(StandardCharsets.UTF_8));
        return OWN + java.util.HexFormat.of().formatHex(digest, 0, 8);
    }

    /**
     * The call's note copied onto {@code chatId} (unless a failed earlier attempt landed it), then the call's own
     * conversation deleted (Intercom: DELETE /conversations/{id}); each step in the ledger, so a retry goes on.
     */
    private void moveCall(String system, String contactId, String callId, String ownId, String partKey, String chatId) {
        RecordKey call = new RecordKey(system, "conversation", callId);
        RecordKey part = new RecordKey(system, "conversation_part", callId + "#" + partKey);
        if (client.dryRun()) {
            return;
        }
        Optional<JsonNode> note = noteOf(ownId);
        if (note.isPresent()) {
            ledger.markInFlight(part, run.runId(), chatId, null); // from now on the call's note belongs on the chat
            if (!holds(chatId, note.get())) {
                ObjectNode body = NODES.objectNode().put("message_type", "note").put("type", "admin")
                        .put("admin_id", note.get().path("author").path("id").asText())
                        .put("body", note.get().path("body").asText()).put("created_at", note.get().path("created_at").asLong())
                        .put("skip_notifications", true);
                long j = ledger.journalIntent(run.runId(), part, "REPLY", "/conversations/" + chatId, chatId, null);
                client.post("/conversations/" + chatId + "/reply", body);
                ledger.journalDone(j, chatId);
            }
            ledger.markDelivered(part, run.runId(), chatId, chatId, "created");
            long j = ledger.journalIntent(run.runId(), call, "DELETE", "conversation", ownId, null);
            try {
                client.delete("/conversations/" + ownId);
            } catch (IntercomApiException.Rejected e) {
                if (e.status() != 404) {
                    throw e; // 404: an earlier attempt deleted it
                }
            }
            ledger.journalDone(j, ownId);
        }
        ledger.markSkipped(call, run.runId(), "its note moved onto conversation " + chatId);
        ledger.putCatalog(system, ownKind(contactId), contactId + " " + callId, MOVED);
        LOG.info("VoIP call {}: note moved onto conversation {} (its chat arrived after it), its own conversation {} deleted",
                callId, chatId, ownId);
    }

    /** The admin note of a call's own conversation; empty when the conversation is gone (an earlier attempt). */
    private Optional<JsonNode> noteOf(String ownId) {
        JsonNode own;
        try {
            own = client.get("/conversations/" + ownId).body();
        } catch (IntercomApiException.Rejected e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
        for (JsonNode p : own.path("conversation_parts").path("conversation_parts")) {
            if (p.path("part_type").asText().equals("note")) {
                return Optional.of(p);
            }
        }
        throw new IllegalStateException("conversation " + ownId + " holds no call note");
    }

    private boolean holds(String chatId, JsonNode note) {
        for (JsonNode p : client.get("/conversations/" + chatId).body().path("conversation_parts").path("conversation_parts")) {
            if (p.path("part_type").asText().equals("note") && p.path("created_at").asLong() == note.path("created_at").asLong()
                    && p.path("body").asText().equals(note.path("body").asText())) {
                return true;
            }
        }
        return false;
    }

    /** The source id prefix of a call's own conversation (VoipCallToNote). */
    static final String VOIP_PREFIX = "voip-";
}
