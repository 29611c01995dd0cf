package io.intercommigrator.intercom;

import java.util.Comparator;
import java.util.Optional;

import io.intercommigrator.RunControl;
import io.intercommigrator.ledger.ConversationSpan;
import io.intercommigrator.ledger.Ledger;
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
 * delivered: a call dropped before the chat it belongs to finds no span and opens its own conversation, which stays
 * where it is when the chat arrives later (a part cannot be moved); a note once placed stays on its conversation
 * in every later run.
 */
public final class VoipCallDelivery {
    private final ThreadDelivery threads;
    private final Ledger ledger;
    private final RunControl run;
    private final long windowSeconds;

    public VoipCallDelivery(ThreadDelivery threads, Ledger ledger, RunControl run, long windowSeconds) {
        this.threads = threads;
        this.ledger = ledger;
        this.run = run;
        this.windowSeconds = windowSeconds;
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

    /** The source id prefix of a call's own conversation (VoipCallToNote). */
    static final String VOIP_PREFIX = "voip-";
}
