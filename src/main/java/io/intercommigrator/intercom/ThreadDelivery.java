package io.intercommigrator.intercom;

import java.nio.charset.StandardCharsets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.intercommigrator.core.RunControl;
import io.intercommigrator.ledger.ContentHash;
import io.intercommigrator.ledger.Ledger;
import io.intercommigrator.ledger.LedgerRecord;
import io.intercommigrator.ledger.RecordKey;
import io.intercommigrator.mapping.InvalidRecordException;
import io.intercommigrator.mapping.PartAddition;
import io.intercommigrator.mapping.Skip;
import io.intercommigrator.mapping.ThreadPlan;
import io.intercommigrator.mapping.ThreadPlan.PartPlan;
import io.intercommigrator.mapping.WorkItem;
import io.intercommigrator.core.RunAccounting;
import io.intercommigrator.core.RunAccounting.Outcome;

/**
 * Delivers a {@link ThreadPlan}: makes sure its contact exists (upserting it from what the thread carries when the
 * ledger does not know it), creates the conversation or ticket backdated to the source's start, then sends every
 * part in order with its own {@code created_at}, sets the attributes, the assignee and the tags. The thread and
 * each part have their own ledger entry, journaled before and after the write, so a retry or a restart goes on
 * from the first part not yet delivered, and a later drop with a longer thread only appends the new parts. A
 * create or a reply whose outcome is unknown is looked up (conversation or ticket by contact + created_at; part by
 * its time and text) before it is sent again.
 */
public final class ThreadDelivery {
    static final String CONTACT_CONVERSATION = "contact-conversation";
    /** The part key of a thread's opening message, for its attachments (the API takes no files on it). */
    static final String OPENING = "opening";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final IntercomClient client;
    private final Ledger ledger;
    private final ContactUpserter contacts;
    private final AdminDirectory directory;
    private final ThreadSchema schema;
    private final TagRegistry tags;
    private final RunAccounting accounting;
    private final RunControl run;
    private final ObjectMapper json;
    private final boolean strict;
    private final DeliverySample sample;

    private final KeyLocks locks = new KeyLocks();
    private volatile ThreadStates states;
    /** Conversations this delivery sent what re-opens a closed conversation to (a contact reply, an assignment). */
    private final java.util.Set<String> reopening = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile MessageAttachments attachments;
    private volatile VoipCallDelivery calls;
    /** How long a new conversation or ticket may stay out of Intercom's search (intercom.search-lag-ms). */
    private volatile long searchLagMillis;
    /**
     * Thread creates this process sent and has no id for yet, with until when their retry searches for them (epoch ms;
     * 0: one search, the create was answered with an error); an in-flight one not here was left by an earlier process.
     */
    private final Map<RecordKey, Long> createsInDoubt = new java.util.concurrent.ConcurrentHashMap<>();
    private final long startedAt = System.currentTimeMillis();

    public ThreadDelivery(IntercomClient client, Ledger ledger, ContactUpserter contacts, AdminDirectory directory,
                          ThreadSchema schema, TagRegistry tags, RunAccounting accounting, RunControl run, ObjectMapper json,
                          boolean strict, DeliverySample sample) {
        this.client = client;
        this.ledger = ledger;
        this.contacts = contacts;
        this.directory = directory;
        this.schema = schema;
        this.tags = tags;
        this.accounting = accounting;
        this.run = run;
        this.json = json;
        this.strict = strict;
        this.sample = sample;
    }

    /** Files move with the record: every message's attachments are copied from {@code source} (see MessageAttachments). */
    public void copyFilesFrom(io.intercommigrator.attachments.AttachmentSource source) {
        attachments = new MessageAttachments(client, ledger, source, directory, accounting, run);
    }

    /**
     * Route entry: delivers the item's thread (or records its skip) and counts every outcome once, at the end.
     * Two records of the same thread (a row repeated in the export) never deliver at the same time: the second waits
     * for the first and then finds it in the ledger, so the thread is created once.
     */
    public void deliver(WorkItem item) {
        run.checkRunning();
        if (item.plan() instanceof Skip skip) {
            accounting.skipped(item.objectType(), item.file() + ":" + item.line(), skip.reason());
            return;
        }
        ThreadPlan plan = (ThreadPlan) item.plan();
        if (!item.retried()) { // a redelivery of this record has counted them already
            accounting.leftOff(item.file(), item.line(), plan.leftOff());
        }
        KeyLocks.Held lock = locks.lock(plan.key());
        try {
            deliver(item, plan);
        } finally {
            lock.unlock();
        }
    }

    private void deliver(WorkItem item, ThreadPlan plan) {
        List<Runnable> counts = new ArrayList<>();
        Optional<LedgerRecord> before = ledger.find(plan.key());
        if (before.isEmpty() || !before.get().delivered()) {
            // only a thread that is still to be created looks its agent and team up (no request for unchanged ones)
            Optional<String> assignee = Optional.ofNullable(plan.assigneeEmail()).flatMap(e -> directory.adminId(e, null));
            if (strict && plan.assigneeEmail() != null && assignee.isEmpty()) {
                accounting.outcome(item.objectType(), Outcome.SKIPPED);
                accounting.queue("held back (strict)", plan.key().toString(), "assignee " + plan.assigneeEmail()
                        + " matches no Intercom admin and mapping.yaml has strict: true");
                return;
            }
            if (strict && plan.teamName() != null && team(plan).isEmpty()) {
                accounting.outcome(item.objectType(), Outcome.SKIPPED);
                accounting.queue("held back (strict)", plan.key().toString(), "team " + plan.teamName()
                        + " matches no Intercom team and mapping.yaml has strict: true");
                return;
            }
        }
        String contactId = contactOf(plan);
        String threadHash = hash(plan);
        Optional<LedgerRecord> known = ledger.find(plan.key());
        String threadId = known.map(LedgerRecord::intercomId).orElse(null);
        boolean thisRun = known.map(r -> r.runId().equals(run.runId())).orElse(false);
        Outcome outcome;
        if (threadId == null) {
            threadId = create(plan, contactId, threadHash, known, assignee(plan));
            item.progressed();
            outcome = Outcome.CREATED;
            String threadType = plan.kind() == ThreadPlan.Kind.TICKET ? "ticket" : "conversation";
            if (!item.objectType().equals(threadType)) {
                count(threadType, Outcome.CREATED); // a VoIP call with no conversation to go on starts its own
            }
        } else if (!known.get().delivered()) {
            // created, then interrupted before its parts were done (a crash, an outage the run gave up): the run that
            // created it never counted it, so the run that finishes it counts it created
            outcome = Outcome.CREATED;
        } else if (thisRun && known.get().detail() != null && item.retried()) {
            // this record again, after a failed attempt that came after its thread was done: what that attempt did
            outcome = Outcome.valueOf(known.get().detail().toUpperCase(java.util.Locale.ROOT));
        } else {
            // an earlier run's thread, or a repeated row of this run's export: unchanged unless its content differs
            outcome = threadHash.equals(known.get().contentHash()) ? Outcome.UNCHANGED : Outcome.UPDATED;
        }
        // the opening message takes no files: they follow in admin notes at its second, before any other part
        afterMessage(attachments.of(plan, OPENING, plan.attachmentUrls()), plan, threadId, plan.createdAt(), counts, item.retried());
        boolean newParts = sendParts(plan, threadId, contactId, counts, true, item);
        if (newParts && outcome == Outcome.UNCHANGED) {
            outcome = Outcome.UPDATED;
        }
        if (!known.map(r -> r.delivered() && threadHash.equals(r.contentHash())).orElse(false)) {
            if (plan.kind() == ThreadPlan.Kind.TICKET && known.map(LedgerRecord::delivered).orElse(false)) {
                updateTicket(plan, threadId); // delivered by an earlier run, changed since: its fields follow
            }
            finish(plan, threadId, assignee(plan), threadHash, outcome);
        }
        if (states != null) {
            states.settle(plan, threadId, reopening.remove(threadId)); // after every part: how the thread ended
        }
        if (outcome != Outcome.UNCHANGED) {
            sample.thread(plan, threadId, DeliverySample.Origin.of(item)); // fully delivered: a candidate for the read-back
        }
        VoipCallDelivery.recordSpan(ledger, plan, contactId, threadId, run.runId());
        if (calls != null) {
            calls.threadDelivered(plan, contactId, threadId);
        }
        // counted under the item's type: what the record became in Intercom (a ClickDesk ticket routed to a
        // conversation was moved to the conversations when it was mapped)
        accounting.outcome(item.objectType(), outcome);
        counts.forEach(Runnable::run);
    }

    /**
     * For {@link VoipCallDelivery}: the plan's parts (a call's note) appended to an existing conversation of its
     * contact, counted under the item's type (created when sent, unchanged when an earlier run sent it).
     */
    void noteOn(WorkItem item, ThreadPlan plan, String conversationId, String contactId) {
        boolean sent = sendParts(plan, conversationId, contactId, new ArrayList<>(), false, item);
        if (sent) {
            sample.appended(DeliverySample.NOTE, plan, conversationId, DeliverySample.Origin.of(item));
        }
        accounting.outcome(item.objectType(), sent ? Outcome.CREATED : Outcome.UNCHANGED);
    }

    /** Route entry for a message that arrives in its own file (ClickDesk ticket_messages.csv): appended to its thread. */
    public void append(WorkItem item) {
        run.checkRunning();
        if (item.plan() instanceof Skip skip) { // an empty message: a part with nothing to move
            accounting.skipped(item.objectType(), item.file() + ":" + item.line(), skip.reason());
            return;
        }
        PartAddition addition = (PartAddition) item.plan();
        LedgerRecord thread = addition.threadKeys().stream().map(ledger::find).flatMap(Optional::stream)
                .filter(r -> r.intercomId() != null).findFirst()
                .orElseThrow(() -> new InvalidRecordException("reference", "ticket_id", "thread " + addition.threadKeys().get(0).sourceId()
                        + " is not in Intercom yet: drop the file that holds it (e.g. tickets.csv), then replay"));
        ThreadPlan shell = new ThreadPlan(thread.key(), thread.key().objectType().equals("ticket") ? ThreadPlan.Kind.TICKET
                : ThreadPlan.Kind.CONVERSATION, null, 0, "", List.of(), null, null, Map.of(), Map.of(), Map.of(), null, null,
                List.of(addition.part()), List.of());
        String contact = addition.contactEmail();
        if (addition.part().author() == ThreadPlan.Author.CONTACT && contact != null && !contact.isBlank()) {
            // an author email no migrated contact holds yet (its thread's contact came from a file without emails,
            // e.g. voip_calls.csv before visitors.csv) is the thread's own contact, as in any drop order
            contact = ledger.identity(ContactUpserter.EMAIL_IDENTITY, io.intercommigrator.mapping.Values.normaliseEmail(contact)).orElse(null);
        }
        if (addition.part().author() == ThreadPlan.Author.CONTACT && (contact == null || contact.isBlank())) {
            JsonNode t = client.get(path(shell, thread.intercomId())).body();
            contact = t.path("contacts").path("contacts").path(0).path("id").asText(null);
        }
        List<Runnable> counts = new ArrayList<>();
        // the reader already counted this record as read
        if (sendParts(shell, thread.intercomId(), contact, counts, false, item)) {
            sample.appended(DeliverySample.CONVERSATION_PART, shell, thread.intercomId(), DeliverySample.Origin.of(item));
        }
        if (shell.kind() == ThreadPlan.Kind.CONVERSATION) {
            ledger.widenSpan(null, thread.intercomId(), addition.part().createdAt(), addition.part().createdAt(), run.runId());
            if (calls != null) {
                calls.spanWidened(thread.key().system(), thread.intercomId());
            }
        }
        if (states != null) {
            states.appended(thread.key(), thread.intercomId(), reopening.remove(thread.intercomId()));
        }
        counts.forEach(Runnable::run);
    }

    /**
     * Search lag: after a create whose answer was lost, the retry looks the thread up in search until this long after
     * the create was sent before it creates it again (0: one search).
     */
    public void searchLag(long millis) {
        this.searchLagMillis = millis;
    }

    /** VoIP calls that opened a conversation of their own move onto a chat delivered later (VoipCallDelivery). */
    void calls(VoipCallDelivery calls) {
        this.calls = calls;
    }

    /** How threads end (close / open parts, ticket states): without it every thread stays as Intercom creates it. */
    public void states(ThreadStates states) {
        this.states = states;
    }

    /** The thread's team: its department / office / project matched to an Intercom team by name (unmatched: queued). */
    private Optional<String> team(ThreadPlan plan) {
        return plan.teamName() == null || plan.teamName().isBlank() ? Optional.empty() : directory.teamId(plan.teamName());
    }

    private Optional<String> assignee(ThreadPlan plan) {
        return Optional.ofNullable(plan.assigneeEmail()).flatMap(e -> directory.adminId(e, null));
    }

    String contactOf(ThreadPlan plan) {
        Optional<LedgerRecord> known = ledger.find(plan.contact().sourceKey());
        if (known.isPresent() && known.get().intercomId() != null && known.get().delivered()) {
            if (plan.contact().fallback() != null) {
                // a thread may fill the contact's empty fields, never overwrite one (mapping.md)
                ContactUpserter.Delivered filled = contacts.fillEmptyFields(known.get().intercomId(), plan.contact().fallback());
                if (filled.outcome() == Outcome.UPDATED) {
                    count("contact", filled.outcome());
                }
                return filled.intercomId(); // the user a lead of this visitor was merged into, if it was
            }
            return known.get().intercomId();
        }
        if (plan.contact().fallback() == null) {
            throw new InvalidRecordException("reference", "contact", plan.contact().sourceKey()
                    + " is not in Intercom yet: drop the file that holds this contact, then replay");
        }
        ContactUpserter.Delivered contact = contacts.upsert(plan.contact().fallback());
        if (contact.outcome() == Outcome.CREATED || contact.outcome() == Outcome.UPDATED) {
            // a chat's or ticket's visitor that no contact file brought: counted once, when written, so that the
            // report's created / updated match what Intercom holds
            count("contact", contact.outcome());
        }
        return contact.intercomId();
    }

    private String create(ThreadPlan plan, String contactId, String hash, Optional<LedgerRecord> known, Optional<String> assignee) {
        if (known.isPresent() && known.get().status() != LedgerRecord.Status.DELIVERED) {
            Optional<String> found = findExisting(plan, contactId, searchUntil(known.get()));
            if (found.isPresent()) {
                createsInDoubt.remove(plan.key());
                ledger.markInFlight(plan.key(), run.runId(), null, found.get());
                return found.get();
            }
        }
        ledger.markInFlight(plan.key(), run.runId(), null, null);
        long j = ledger.journalIntent(run.runId(), plan.key(), "CREATE", plan.kind() == ThreadPlan.Kind.TICKET ? "ticket" : "conversation",
                null, null);
        String id;
        createsInDoubt.put(plan.key(), 0L);
        long sentAt = System.currentTimeMillis();
        try {
            id = sendCreate(plan, contactId, assignee);
        } catch (IntercomApiException.Transient e) {
            if (e.ambiguous() && (e.status() == 0 || e.status() == 502 || e.status() == 504)) {
                createsInDoubt.put(plan.key(), sentAt + searchLagMillis); // it may have landed: the retry waits for search
            }
            throw e;
        }
        createsInDoubt.remove(plan.key()); // only creates still in doubt are kept (memory stays flat)
        ledger.journalDone(j, id);
        ledger.markInFlight(plan.key(), run.runId(), null, id); // created; parts and attributes still to come
        return id;
    }

    /**
     * Until when the retry of an in-flight thread's create searches for it: search lag after a create sent by this
     * process that got no answer (or a gateway's 502 / 504), after the start of this process for one an earlier
     * process left in flight (it may have crashed mid-request), else one search (an answered error: not applied).
     */
    private long searchUntil(LedgerRecord known) {
        if (known.status() != LedgerRecord.Status.IN_FLIGHT) {
            return 0;
        }
        Long until = createsInDoubt.get(known.key());
        return until != null ? until : startedAt + searchLagMillis;
    }

    private String sendCreate(ThreadPlan plan, String contactId, Optional<String> assignee) {
        String id;
        if (plan.kind() == ThreadPlan.Kind.TICKET) {
            id = createTicket(plan, contactId, assignee);
        } else {
            ObjectNode body = NODES.objectNode();
            body.putObject("from").put("type", "contact").put("id", contactId);
            body.put("body", plan.body());
            body.put("created_at", plan.createdAt());
            if (plan.subject() != null && !plan.subject().isBlank()) {
                body.put("subject", plan.subject());
            }
            JsonNode answer = client.post("/conversations", body).body();
            id = answer.hasNonNull("conversation_id") ? answer.path("conversation_id").asText() : answer.path("id").asText();
        }
        return id;
    }

    private String createTicket(ThreadPlan plan, String contactId, Optional<String> assignee) {
        ObjectNode body = NODES.objectNode();
        ObjectNode ta = ticketAttributes(plan, body);
        body.putArray("contacts").addObject().put("id", contactId);
        body.put("created_at", plan.createdAt());
        body.put("skip_notifications", true);
        body.set("ticket_attributes", ta);
        assignee.ifPresent(a -> body.putObject("assignment").put("admin_assignee_id", a));
        team(plan).ifPresent(t -> (body.has("assignment") ? (ObjectNode) body.get("assignment") : body.putObject("assignment"))
                .put("team_assignee_id", t));
        return client.post("/tickets", body).id();
    }

    /** The ticket's fields as ticket type attributes (the type and its attributes made sure of; its id put on {@code body}). */
    private ObjectNode ticketAttributes(ThreadPlan plan, ObjectNode body) {
        Map<String, Object> attributes = new LinkedHashMap<>(plan.ticketAttributes());
        Map<String, String> types = new LinkedHashMap<>();
        plan.ticketAttributes().forEach((k, v) -> types.put(k, v instanceof Number ? "integer" : "string"));
        plan.attributes().forEach((k, v) -> {
            attributes.put(k, v);
            types.put(k, plan.attributeTypes().getOrDefault(k, "string"));
        });
        ThreadSchema.TicketType type = schema.ticketType(plan.ticketTypeName(), types);
        body.put("ticket_type_id", type.id());
        ObjectNode ta = NODES.objectNode();
        attributes.forEach((k, v) -> ta.set(k, json.valueToTree(v)));
        return ta;
    }

    /**
     * A ticket an earlier run delivered whose source row changed (a delta): its fields are updated in place, the
     * fields it had before journaled so that a rollback puts them back. Its messages follow as new parts.
     */
    private void updateTicket(ThreadPlan plan, String ticketId) {
        ObjectNode ta = ticketAttributes(plan, NODES.objectNode());
        JsonNode before = client.get("/tickets/" + ticketId).body().path("ticket_attributes");
        ObjectNode previous = NODES.objectNode();
        ta.fieldNames().forEachRemaining(name -> previous.set(name, before.has(name) ? before.get(name) : NODES.nullNode()));
        long j = ledger.journalIntent(run.runId(), plan.key(), "UPDATE_TICKET", "ticket", ticketId, previous.toString());
        ObjectNode body = NODES.objectNode();
        body.set("ticket_attributes", ta);
        body.put("skip_notifications", true);
        client.put("/tickets/" + ticketId, body);
        ledger.journalDone(j, ticketId);
    }

    /**
     * A conversation or ticket of this contact with the plan's created_at, if an earlier attempt created it: searched
     * again, about once a second, until {@code until} (epoch ms) while search may not show it yet.
     */
    private Optional<String> findExisting(ThreadPlan plan, String contactId, long until) {
        if (client.dryRun()) {
            return Optional.empty();
        }
        while (true) {
            Optional<String> found = searchExisting(plan, contactId);
            long left = until - System.currentTimeMillis();
            if (found.isPresent() || left <= 0) {
                return found;
            }
            run.checkRunning();
            try {
                Thread.sleep(Math.min(left, 1_000)); // Intercom's search catches up by time: no event to wait for
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IntercomApiException.Transient(0, "interrupted", "interrupted while waiting for search",
                        "POST /conversations/search", false, e);
            }
        }
    }

    private Optional<String> searchExisting(ThreadPlan plan, String contactId) {
        String kind = plan.kind() == ThreadPlan.Kind.TICKET ? "tickets" : "conversations";
        ObjectNode query = NODES.objectNode();
        ObjectNode and = query.putObject("query").put("operator", "AND");
        ArrayNode value = and.putArray("value");
        value.addObject().put("field", "contact_ids").put("operator", "=").put("value", contactId);
        value.addObject().put("field", "created_at").put("operator", "=").put("value", plan.createdAt());
        JsonNode found = client.post("/" + kind + "/search", query).body().path(kind);
        return found.size() == 0 ? Optional.empty() : Optional.of(found.get(0).path("id").asText());
    }

    /**
     * Appends the parts not yet in the ledger, in order; true when at least one was sent. {@code item} hears of every
     * write that landed; a part already delivered counts as created again only when this is a retry of the same
     * record (its earlier attempt sent it), else unchanged (an earlier run, or a row repeated in this export).
     */
    private boolean sendParts(ThreadPlan plan, String threadId, String contactId, List<Runnable> counts, boolean countRead,
                              WorkItem item) {
        boolean retry = item.retried();
        boolean sent = false;
        String system = plan.key().system();
        for (PartPlan part : plan.parts()) {
            RecordKey key = new RecordKey(system, "conversation_part", plan.key().sourceId() + "#" + part.partKey());
            Optional<LedgerRecord> known = ledger.find(key);
            MessageAttachments.Message files = attachments.of(plan, part.partKey(), part.attachmentUrls());
            if (known.isPresent() && known.get().delivered()) {
                Outcome o = retry && known.get().runId().equals(run.runId()) ? Outcome.CREATED : Outcome.UNCHANGED;
                counts.add(() -> count("conversation_part", o, countRead));
                afterMessage(files, plan, threadId, part.createdAt(), counts, retry);
                continue;
            }
            if (known.isPresent() && partAlreadyThere(plan, threadId, part.createdAt(), part.body())) {
                files.landed(filesOnMessage(files, plan, part, contactId), threadId); // what the landed request carried
                ledger.markDelivered(key, run.runId(), threadId, threadId, "created");
                counts.add(() -> count("conversation_part", Outcome.CREATED, countRead));
                afterMessage(files, plan, threadId, part.createdAt(), counts, retry);
                continue;
            }
            ledger.markInFlight(key, run.runId(), threadId, null);
            long j = ledger.journalIntent(run.runId(), key, "REPLY", path(plan, threadId), threadId, null);
            MessageAttachments.OnMessage on = filesOnMessage(files, plan, part, contactId);
            ObjectNode body = files.apply(on, reply(part, contactId));
            if (on.files().isEmpty()) {
                client.post(path(plan, threadId) + "/reply", body);
            } else {
                client.postWithFiles(path(plan, threadId) + "/reply", body, files.files(on));
            }
            if (part.author() == ThreadPlan.Author.CONTACT) {
                reopening.add(threadId); // a contact reply re-opens a closed conversation
            }
            ledger.journalDone(j, threadId);
            files.landed(on, threadId);
            ledger.markDelivered(key, run.runId(), threadId, threadId, "created");
            item.progressed();
            counts.add(() -> count("conversation_part", Outcome.CREATED, countRead));
            sent = true;
            afterMessage(files, plan, threadId, part.createdAt(), counts, retry);
        }
        return sent;
    }

    /**
     * What a message's own request carries of its attachments: files, except on a contact's reply to a ticket (the
     * API takes none there), else the URLs that could not be copied.
     */
    private MessageAttachments.OnMessage filesOnMessage(MessageAttachments.Message files, ThreadPlan plan, PartPlan part,
                                                        String contactId) {
        if (!files.any()) {
            return MessageAttachments.OnMessage.NOTHING;
        }
        boolean carries = plan.kind() == ThreadPlan.Kind.CONVERSATION || part.author() == ThreadPlan.Author.ADMIN;
        return files.forMessage(carries, reply(part, contactId).toString().length());
    }

    /** The message's remaining files (and kept URLs) in notes at its second, then each attachment counted once. */
    private void afterMessage(MessageAttachments.Message files, ThreadPlan plan, String threadId, long createdAt,
                              List<Runnable> counts, boolean retry) {
        try (files) {
            if (files.any()) {
                files.sendRest(path(plan, threadId), threadId, createdAt, (t, text) -> partAlreadyThere(plan, threadId, t, text));
                files.count(counts, retry);
            }
        }
    }

    private ObjectNode reply(PartPlan part, String contactId) {
        ObjectNode body = NODES.objectNode();
        if (part.author() == ThreadPlan.Author.CONTACT) {
            body.put("message_type", "comment").put("type", "user");
            if (contactId.contains("@")) {
                body.put("email", contactId); // an appended message knows its author by email only
            } else {
                body.put("intercom_user_id", contactId);
            }
            body.put("body", part.body());
        } else {
            Optional<String> admin = directory.adminId(part.adminEmail(), part.adminName());
            body.put("message_type", part.note() ? "note" : "comment").put("type", "admin")
                    .put("admin_id", admin.orElseGet(directory::defaultAdminId));
            String who = part.adminName() != null && !part.adminName().isBlank() ? part.adminName() : part.adminEmail();
            body.put("body", admin.isEmpty() && who != null && !part.note() ? "[" + who + "] " + part.body() : part.body());
            body.put("skip_notifications", true);
        }
        body.put("created_at", part.createdAt());
        return body;
    }

    /** After a failure with an unknown outcome: the part is there when the thread holds one with its time and text. */
    private boolean partAlreadyThere(ThreadPlan plan, String threadId, long createdAt, String text) {
        if (client.dryRun()) {
            return false;
        }
        JsonNode thread = client.get(path(plan, threadId)).body();
        JsonNode parts = plan.kind() == ThreadPlan.Kind.TICKET ? thread.path("ticket_parts").path("ticket_parts")
                : thread.path("conversation_parts").path("conversation_parts");
        for (JsonNode p : parts) {
            if (p.path("created_at").asLong() == createdAt && p.path("body").asText("").contains(firstWords(text))) {
                return true;
            }
        }
        return false;
    }

    private static String firstWords(String body) {
        String plain = body == null ? "" : body.strip();
        return plain.length() > 40 ? plain.substring(0, 40) : plain;
    }

    /** Attributes, assignee and tags: sent once per version of the thread's metadata. */
    private void finish(ThreadPlan plan, String threadId, Optional<String> assignee, String hash, Outcome outcome) {
        if (plan.kind() == ThreadPlan.Kind.CONVERSATION) {
            Map<String, Object> values = Map.of();
            if (!plan.attributes().isEmpty()) {
                schema.ensureConversationAttributes(plan.attributeTypes());
                values = schema.conform(plan.attributes(), plan.attributeTypes());
            }
            if (!values.isEmpty()) {
                ObjectNode body = NODES.objectNode();
                ObjectNode custom = body.putObject("custom_attributes");
                values.forEach((k, v) -> custom.set(k, json.valueToTree(v)));
                long j = ledger.journalIntent(run.runId(), plan.key(), "UPDATE_ATTRIBUTES", "conversation", threadId, null);
                client.put("/conversations/" + threadId, body);
                ledger.journalDone(j, threadId);
            }
            if (assignee.isPresent()) {
                assign(plan, threadId, assignee.get());
            }
            Optional<String> team = team(plan);
            if (team.isPresent()) {
                assignTeam(plan, threadId, team.get());
            }
        }
        for (String name : plan.tags()) {
            RecordKey key = new RecordKey(plan.key().system(), "tag", plan.key().objectType() + ":" + plan.key().sourceId()
                    + "|" + TagRegistry.key(name));
            if (ledger.find(key).map(LedgerRecord::delivered).orElse(false)) {
                continue;
            }
            String tagId;
            try {
                tagId = tags.idFor(name);
            } catch (IntercomApiException.Rejected e) {
                accounting.queue("tag rejected by Intercom", name, e.code() + ": " + e.getMessage());
                continue;
            }
            long j = ledger.journalIntent(run.runId(), key, "TAG_" + plan.key().objectType().toUpperCase(java.util.Locale.ROOT),
                    path(plan, threadId), tagId, null);
            client.post(path(plan, threadId) + "/tags", NODES.objectNode().put("id", tagId).put("admin_id", directory.defaultAdminId()));
            ledger.journalDone(j, tagId);
            ledger.markDelivered(key, run.runId(), threadId, tagId, "created");
            count("tag", Outcome.CREATED);
        }
        ledger.markDelivered(plan.key(), run.runId(), hash, threadId, outcome.name().toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * The assignment part, sent once per assignee: finish() runs again on every retry of the thread, so the
     * assignment has its own ledger entry, and after a failure with an unknown outcome the conversation's assignee
     * is looked up before it is sent again (an assignment part cannot be removed).
     */
    private void assign(ThreadPlan plan, String threadId, String adminId) {
        RecordKey key = new RecordKey(plan.key().system(), "assignment", plan.key().objectType() + ":" + plan.key().sourceId());
        Optional<LedgerRecord> known = ledger.find(key);
        if (known.map(r -> r.delivered() && adminId.equals(r.contentHash())).orElse(false)) {
            return;
        }
        boolean landed = known.isPresent() && !known.get().delivered() && !client.dryRun()
                && adminId.equals(client.get("/conversations/" + threadId).body().path("admin_assignee_id").asText(null));
        if (!landed) {
            ledger.markInFlight(key, run.runId(), adminId, threadId);
            ObjectNode body = NODES.objectNode().put("message_type", "assignment").put("type", "admin")
                    .put("admin_id", directory.defaultAdminId()).put("assignee_id", adminId);
            client.post("/conversations/" + threadId + "/parts", body);
            reopening.add(threadId); // an assignment re-opens a closed conversation
        }
        ledger.markDelivered(key, run.runId(), adminId, threadId, "updated");
    }

    /**
     * The team assignment part ({@code type: team}, {@code assignee_id} the team), sent once per team: its own ledger
     * entry, and after a failure with an unknown outcome the conversation's team is looked up before it is sent again.
     */
    private void assignTeam(ThreadPlan plan, String threadId, String teamId) {
        RecordKey key = new RecordKey(plan.key().system(), "team_assignment", plan.key().objectType() + ":" + plan.key().sourceId());
        Optional<LedgerRecord> known = ledger.find(key);
        if (known.map(r -> r.delivered() && teamId.equals(r.contentHash())).orElse(false)) {
            return;
        }
        boolean landed = known.isPresent() && !known.get().delivered() && !client.dryRun()
                && teamId.equals(client.get("/conversations/" + threadId).body().path("team_assignee_id").asText(null));
        if (!landed) {
            ledger.markInFlight(key, run.runId(), teamId, threadId);
            ObjectNode body = NODES.objectNode().put("message_type", "assignment").put("type", "team")
                    .put("admin_id", directory.defaultAdminId()).put("assignee_id", teamId);
            client.post("/conversations/" + threadId + "/parts", body);
            reopening.add(threadId); // an assignment re-opens a closed conversation
        }
        ledger.markDelivered(key, run.runId(), teamId, threadId, "updated");
    }

    private static String path(ThreadPlan plan, String threadId) {
        return (plan.kind() == ThreadPlan.Kind.TICKET ? "/tickets/" : "/conversations/") + threadId;
    }

    private void count(String type, Outcome outcome) {
        count(type, outcome, true);
    }

    private void count(String type, Outcome outcome, boolean countRead) {
        if (countRead) {
            accounting.source(type);
        }
        accounting.outcome(type, outcome);
    }

    /** The thread's own metadata (not its parts: those have their own ledger entries). */
    private String hash(ThreadPlan plan) {
        try {
            return ContentHash.of(json.writeValueAsBytes(plan.attributes()),
                    String.valueOf(plan.assigneeEmail()).getBytes(StandardCharsets.UTF_8),
                    String.join("|", plan.tags()).getBytes(StandardCharsets.UTF_8), json.writeValueAsBytes(plan.ticketAttributes()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
