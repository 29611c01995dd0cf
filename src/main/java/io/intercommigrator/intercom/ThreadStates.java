package io.intercommigrator.intercom;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.intercommigrator.core.Concurrently;
import io.intercommigrator.core.RunControl;
import io.intercommigrator.ledger.Ledger;
import io.intercommigrator.ledger.LedgerRecord;
import io.intercommigrator.ledger.RecordKey;
import io.intercommigrator.mapping.ThreadPlan;
import io.intercommigrator.core.RunAccounting;

/**
 * How a migrated thread ended (mapping.md, "Thread state"). A conversation is closed with a close part (authored by
 * {@code migration.closing-admin-id}, else the token's own admin; no body, so nobody is notified) after its last
 * part, and opened again with an open part when a later export shows it open; a ticket gets the ticket state of its
 * plan ({@code GET /ticket_states}, by label, then by category) through {@code PUT /tickets/{id}}.
 * <p>
 * The ledger keeps the state the migrator set, one entry per thread ({@value #STATE}), so a re-run sends nothing and a
 * delta sends only a change. A conversation whose messages still arrive from another file (a ClickDesk ticket shell,
 * whose ticket_messages.csv rows follow), or that a contact reply re-opened, is closed once, at the end of the batch
 * ({@link #settleDeferred()}), after the last of its parts: never a pile of close / open parts. While deferred its
 * entry is in flight with {@value #DEFERRED}, so a run that is killed first closes it at the end of the next one.
 */
public final class ThreadStates {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadStates.class);
    static final String STATE = "thread_state";
    static final String DEFERRED = "defer:";
    private static final int ATTEMPTS = 4;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final IntercomClient client;
    private final Ledger ledger;
    private final AdminDirectory directory;
    private final RunAccounting accounting;
    private final RunControl run;
    private final String closingAdminId;
    private final int concurrency;
    private final Map<RecordKey, String> deferred = new ConcurrentHashMap<>(); // state key → conversation id
    private volatile List<JsonNode> ticketStates;

    /**
     * @param closingAdminId the admin who closes and opens conversations; blank = the token's own admin ({@code GET /me})
     * @param concurrency    how many deferred conversations are closed at the same time at the end of a batch
     */
    public ThreadStates(IntercomClient client, Ledger ledger, AdminDirectory directory, RunAccounting accounting, RunControl run,
                        String closingAdminId, int concurrency) {
        this.client = client;
        this.ledger = ledger;
        this.directory = directory;
        this.accounting = accounting;
        this.run = run;
        this.closingAdminId = closingAdminId == null || closingAdminId.isBlank() ? null : closingAdminId.trim();
        this.concurrency = Math.max(1, concurrency);
    }

    /**
     * After a thread's parts, attributes, assignments and tags: puts it in the plan's state, unless the ledger says it is
     * there already. {@code reopened}: this delivery sent what re-opens a closed conversation (a contact reply, an
     * assignment).
     */
    public void settle(ThreadPlan plan, String threadId, boolean reopened) {
        if (plan.kind() == ThreadPlan.Kind.TICKET) {
            ticket(plan, threadId);
            return;
        }
        String wanted = plan.state() == null ? ThreadPlan.OPEN : plan.state();
        RecordKey key = key(plan.key());
        String current = current(key, threadId, reopened);
        if (wanted.equals(current)) {
            confirm(key, threadId, wanted);
            return;
        }
        if (ThreadPlan.CLOSED.equals(wanted) && plan.parts().isEmpty()) {
            defer(key, threadId); // its messages come from another file (ticket_messages.csv): closed after them
            return;
        }
        conversation(key, threadId, wanted, current);
    }

    /**
     * A part appended to a thread from a file of its own (ClickDesk ticket_messages.csv): a contact reply re-opens a
     * closed conversation in Intercom, so it is closed again at the end of the batch, once.
     */
    public void appended(RecordKey threadKey, String threadId, boolean contactReply) {
        if (!threadKey.objectType().equals("conversation")) {
            return;
        }
        RecordKey key = key(threadKey);
        Optional<LedgerRecord> known = ledger.find(key);
        if (contactReply && known.map(r -> r.status() == LedgerRecord.Status.DELIVERED && ThreadPlan.CLOSED.equals(r.contentHash()))
                .orElse(false)) {
            defer(key, threadId);
        }
    }

    /**
     * Closes the conversations deferred in this run (and those a stopped run left deferred or in flight), a few at a
     * time. Called at the end of every batch of files and after the end-of-run replay; a conversation that cannot be
     * closed now stays in flight in the ledger and is tried again at the end of the next batch or run.
     */
    public void settleDeferred() {
        Map<RecordKey, String> todo = new LinkedHashMap<>(deferred);
        for (LedgerRecord r : ledger.inFlight()) {
            if (r.key().objectType().equals(STATE) && r.intercomId() != null && r.key().sourceId().startsWith("conversation:")) {
                todo.putIfAbsent(r.key(), r.intercomId());
            }
        }
        if (todo.isEmpty()) {
            return;
        }
        Concurrently.forEach("thread-states", concurrency, todo.entrySet(), e -> closeDeferred(e.getKey(), e.getValue()));
    }

    /** A failed or unanswered write is tried again a few times (looked up first: {@link #current}), then left for the next run. */
    private void closeDeferred(RecordKey key, String threadId) {
        for (int attempt = 1; ; attempt++) {
            try {
                closeDeferredOnce(key, threadId);
                return;
            } catch (IntercomApiException.Transient e) {
                if (attempt >= ATTEMPTS) {
                    accounting.queue("thread state not set", key.sourceId(), e.getMessage()
                            + ": the conversation keeps its state; it is set again at the end of the next run");
                    LOG.warn("{}: state not set: {}", key, e.getMessage());
                    return;
                }
                try {
                    Thread.sleep(200L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } catch (IntercomApiException.Rejected e) {
                accounting.queue("thread state not set", key.sourceId(), e.getMessage() + ": the conversation keeps its state");
                deferred.remove(key);
                return;
            }
        }
    }

    private void closeDeferredOnce(RecordKey key, String threadId) {
        Optional<LedgerRecord> known = ledger.find(key);
        if (known.isPresent() && known.get().status() == LedgerRecord.Status.DELIVERED) {
            deferred.remove(key);
            return; // settled meanwhile
        }
        String wanted = known.map(LedgerRecord::contentHash).map(h -> h.startsWith(DEFERRED) ? h.substring(DEFERRED.length()) : h)
                .orElse(ThreadPlan.CLOSED);
        String current = current(key, threadId, false);
        if (wanted.equals(current)) {
            confirm(key, threadId, wanted);
        } else {
            conversation(key, threadId, wanted, current);
        }
        deferred.remove(key);
    }

    /**
     * The conversation's state in Intercom as far as the ledger knows: open when nothing was set (a new conversation),
     * what was set last, open when {@code reopened}; after a write whose outcome is unknown it is read from Intercom.
     */
    private String current(RecordKey key, String threadId, boolean reopened) {
        Optional<LedgerRecord> known = ledger.find(key);
        if (known.isEmpty()) {
            return ThreadPlan.OPEN;
        }
        String hash = known.get().contentHash();
        if (known.get().status() == LedgerRecord.Status.DELIVERED) {
            return reopened ? ThreadPlan.OPEN : hash;
        }
        if (hash != null && hash.startsWith(DEFERRED)) {
            return ThreadPlan.OPEN; // deferred: it was open, and nothing was sent since
        }
        if (client.dryRun()) {
            return ThreadPlan.OPEN;
        }
        String state = client.get("/conversations/" + threadId).body().path("state").asText(ThreadPlan.OPEN);
        return state.equals(ThreadPlan.CLOSED) ? ThreadPlan.CLOSED : ThreadPlan.OPEN; // snoozed counts as open
    }

    /** A state found in place (an earlier attempt's write landed): remembered, so nothing is looked up or sent again. */
    private void confirm(RecordKey key, String threadId, String state) {
        Optional<LedgerRecord> known = ledger.find(key);
        if (known.isPresent() && !(known.get().status() == LedgerRecord.Status.DELIVERED && state.equals(known.get().contentHash()))) {
            ledger.markDelivered(key, run.runId(), state, threadId, "updated");
        }
    }

    private void defer(RecordKey key, String threadId) {
        if (deferred.put(key, threadId) == null) {
            ledger.markInFlight(key, run.runId(), DEFERRED + ThreadPlan.CLOSED, threadId);
        }
    }

    /** Sends the close or open part; journaled with the state before, so a rollback of a delta puts it back. */
    private void conversation(RecordKey key, String threadId, String wanted, String current) {
        ledger.markInFlight(key, run.runId(), wanted, threadId);
        long j = ledger.journalIntent(run.runId(), key, "STATE", "/conversations/" + threadId, threadId, current);
        client.post("/conversations/" + threadId + "/parts", part(wanted));
        ledger.journalDone(j, threadId);
        ledger.markDelivered(key, run.runId(), wanted, threadId, "updated");
    }

    /** The close or open part: no body, so nobody is notified (the API cannot backdate it: it carries the time of migration). */
    ObjectNode part(String state) {
        ObjectNode body = NODES.objectNode().put("message_type", ThreadPlan.CLOSED.equals(state) ? "close" : "open");
        if (ThreadPlan.CLOSED.equals(state)) {
            body.put("type", "admin");
        }
        return body.put("admin_id", closingAdmin());
    }

    /** The admin who closes and opens conversations: {@code migration.closing-admin-id}, else the token's own admin. */
    public String closingAdmin() {
        return closingAdminId != null ? closingAdminId : directory.defaultAdminId();
    }

    private void ticket(ThreadPlan plan, String ticketId) {
        if (plan.state() == null) {
            return;
        }
        Optional<JsonNode> state = ticketState(plan.state(), plan.ticketTypeName());
        if (state.isEmpty()) {
            accounting.queue("unmatched ticket state", plan.state(), "no Intercom ticket state with this label or category"
                    + " (GET /ticket_states): its tickets keep the state they were created in; map the status to a state label"
                    + " in config/mapping.yaml (ticket_states)");
            return;
        }
        String wanted = state.get().path("id").asText();
        RecordKey key = key(plan.key());
        Optional<LedgerRecord> known = ledger.find(key);
        String current;
        if (known.isEmpty()) {
            // a new ticket starts in a submitted state: nothing to send when that is the one wanted
            current = "submitted".equals(state.get().path("category").asText()) ? wanted : null;
        } else if (known.get().status() == LedgerRecord.Status.DELIVERED || client.dryRun()) {
            current = known.get().contentHash();
        } else {
            current = client.get("/tickets/" + ticketId).body().path("ticket_state").path("id").asText(null);
        }
        if (wanted.equals(current)) {
            if (known.isEmpty() || known.get().status() != LedgerRecord.Status.DELIVERED) {
                ledger.markDelivered(key, run.runId(), wanted, ticketId, "unchanged");
            }
            return;
        }
        ledger.markInFlight(key, run.runId(), wanted, ticketId);
        long j = ledger.journalIntent(run.runId(), key, "TICKET_STATE", "/tickets/" + ticketId, ticketId, current);
        client.put("/tickets/" + ticketId, NODES.objectNode().put("ticket_state_id", wanted).put("skip_notifications", true));
        ledger.journalDone(j, ticketId);
        ledger.markDelivered(key, run.runId(), wanted, ticketId, "updated");
    }

    /**
     * The workspace's ticket state for a label or category (case-insensitive): by internal label, then external label,
     * then category; a state offered for the ticket's type first, unarchived ones only.
     */
    Optional<JsonNode> ticketState(String wanted, String ticketTypeName) {
        String w = wanted.trim().toLowerCase(Locale.ROOT);
        List<JsonNode> states = ticketStates();
        for (String field : List.of("internal_label", "external_label", "category")) {
            Optional<JsonNode> forType = Optional.empty();
            Optional<JsonNode> any = Optional.empty();
            for (JsonNode s : states) {
                if (s.path("archived").asBoolean(false) || !s.path(field).asText("").trim().toLowerCase(Locale.ROOT).equals(w)) {
                    continue;
                }
                any = any.isPresent() ? any : Optional.of(s);
                boolean offered = false;
                for (JsonNode t : s.path("ticket_types").path("data")) {
                    offered |= ticketTypeName != null && ticketTypeName.equalsIgnoreCase(t.path("name").asText());
                }
                forType = forType.isPresent() || !offered ? forType : Optional.of(s);
            }
            if (forType.isPresent() || any.isPresent()) {
                return forType.isPresent() ? forType : any;
            }
        }
        return Optional.empty();
    }

    private List<JsonNode> ticketStates() {
        List<JsonNode> known = ticketStates;
        if (known == null) {
            synchronized (this) {
                if (ticketStates == null) {
                    List<JsonNode> loaded = new ArrayList<>();
                    if (client.dryRun()) {
                        // nothing to read in a dry-run: the default states, named by their categories
                        for (String c : List.of("submitted", "in_progress", "waiting_on_customer", "resolved")) {
                            loaded.add(NODES.objectNode().put("id", c).put("category", c).put("internal_label", c));
                        }
                    } else {
                        client.get("/ticket_states").body().path("data").forEach(loaded::add);
                    }
                    ticketStates = List.copyOf(loaded);
                }
                known = ticketStates;
            }
        }
        return known;
    }

    private static RecordKey key(RecordKey thread) {
        return new RecordKey(thread.system(), STATE, thread.objectType() + ":" + thread.sourceId());
    }
}
