package io.intercommigrator.intercom;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.intercommigrator.core.Concurrently;
import io.intercommigrator.core.RunControl;
import io.intercommigrator.ledger.Ledger;
import io.intercommigrator.ledger.LedgerRecord;
import io.intercommigrator.ledger.RecordKey;
import io.intercommigrator.mapping.ContactPlan;
import io.intercommigrator.mapping.PlannedRecord;
import io.intercommigrator.mapping.WorkItem;
import io.intercommigrator.core.RunAccounting;
import io.intercommigrator.core.RunAccounting.Outcome;

/**
 * Puts contact tags on in bulk: one {@code POST /tags {name, users:[{id}, …]}} tags up to {@code batchSize} contacts
 * (intercom-api.md §5, §13) where one {@code POST /contacts/{id}/tags} per contact was needed before. The tags of a
 * file's contacts wait here while the file is delivered; a tag's batch goes out as soon as it is full, the rest when
 * the file is done ({@link #flush}, a route step). An application's ledger entry is marked delivered only after its
 * bulk call succeeded, so a crash re-sends at most the batches that were waiting or in flight (tagging twice changes
 * nothing in Intercom) and a re-run finds every application delivered and sends nothing. Each bulk call is journaled
 * with its contact ids before it is sent, so rollback can take the tag off again.
 *
 * <p>A batch Intercom refuses (a contact deleted meanwhile gives 404 for the whole call) is tagged contact by contact,
 * so only the contact at fault is dead-lettered: object {@code tag}, with its contact's source row, replayable. A
 * batch never throws, except when the run stops: each application ends delivered, skipped or dead-lettered.
 */
public final class ContactTagBatches {
    private static final Logger LOG = LoggerFactory.getLogger(ContactTagBatches.class);
    /** Past this many full batches' worth of waiting tags (a file with many campaigns), the fullest goes out early. */
    static final int MAX_WAITING_BATCHES = 10;

    private final IntercomClient client;
    private final Ledger ledger;
    private final TagRegistry tags;
    private final RunAccounting accounting;
    private final RunControl run;
    private final DeadLetters deadLetters;
    private final int batchSize;
    private final int concurrency;
    private final Map<String, Batch> waiting = new LinkedHashMap<>(); // guarded by itself; tag key → its applications
    private int waitingCount;

    public ContactTagBatches(IntercomClient client, Ledger ledger, TagRegistry tags, RunAccounting accounting, RunControl run,
                             DeadLetters deadLetters, int batchSize, int concurrency) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
        }
        this.client = client;
        this.ledger = ledger;
        this.tags = tags;
        this.accounting = accounting;
        this.run = run;
        this.deadLetters = deadLetters;
        this.batchSize = batchSize;
        this.concurrency = Math.max(1, concurrency);
    }

    /** Where a tag that cannot be applied goes (the run's dead-letter writer), with its cause and the attempts made. */
    @FunctionalInterface
    public interface DeadLetters {
        void write(WorkItem letter, Throwable cause, int attempts);
    }

    /** One contact's tag: its ledger key, and the record it came from (for a dead letter). */
    private record Application(WorkItem source, RecordKey key, String contactId) {
    }

    /** The applications of one tag waiting for their bulk call. */
    private record Batch(String name, List<Application> applications) {
    }

    /** A tag put on one contact, as a dead letter names it. */
    public record ContactTag(RecordKey key, String tag, String contactId) implements PlannedRecord {
        @Override
        public Object payload() {
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("name", tag);
            body.putArray("users").addObject().put("id", contactId);
            return body;
        }
    }

    /**
     * The plan's tags for the delivered contact: one the ledger already has on this contact counts as unchanged, the
     * others wait for their tag's bulk call (sent from here when that fills a batch).
     */
    public void add(WorkItem source, ContactPlan plan, String contactId) {
        for (String name : plan.tags()) {
            RecordKey key = new RecordKey(plan.key().system(), "tag", plan.key().sourceId() + "|" + TagRegistry.key(name));
            Optional<LedgerRecord> known = ledger.find(key);
            if (known.isPresent() && known.get().delivered() && contactId.equals(known.get().contentHash())) {
                count(Outcome.UNCHANGED);
                continue;
            }
            Batch due = null;
            synchronized (waiting) {
                Batch batch = waiting.computeIfAbsent(TagRegistry.key(name), k -> new Batch(name.trim(), new ArrayList<>()));
                batch.applications().add(new Application(source, key, contactId));
                waitingCount++;
                if (batch.applications().size() >= batchSize) {
                    due = take(TagRegistry.key(name));
                } else if (waitingCount >= batchSize * MAX_WAITING_BATCHES) {
                    due = take(waiting.entrySet().stream().max(Comparator.comparingInt(e -> e.getValue().applications().size()))
                            .orElseThrow().getKey());
                }
            }
            if (due != null) {
                send(due);
            }
        }
    }

    /**
     * Route step after a file's contacts: sends every tag still waiting, up to {@code concurrency} calls at a time (one
     * after another they left the end of every file's rate-limit window mostly unused, issue 14).
     */
    public void flush() {
        List<Batch> due = new ArrayList<>();
        synchronized (waiting) {
            waiting.values().forEach(batch -> due.addAll(calls(batch)));
            waiting.clear();
            waitingCount = 0;
        }
        Concurrently.forEach("tag-batches", concurrency, due, call -> send(call.name(), call.applications()));
    }

    private Batch take(String tagKey) {
        Batch batch = waiting.remove(tagKey);
        waitingCount -= batch.applications().size();
        return batch;
    }

    private void send(Batch batch) {
        calls(batch).forEach(call -> send(call.name(), call.applications()));
    }

    /** A tag's waiting applications cut into bulk calls of at most {@code batchSize} each. */
    private List<Batch> calls(Batch batch) {
        List<Application> all = batch.applications();
        List<Batch> calls = new ArrayList<>();
        for (int from = 0; from < all.size(); from += batchSize) {
            calls.add(new Batch(batch.name(), all.subList(from, Math.min(all.size(), from + batchSize))));
        }
        return calls;
    }

    private void send(String name, List<Application> batch) {
        run.checkRunning();
        String tagId;
        try {
            tagId = tags.idFor(name);
        } catch (IntercomApiException.Rejected e) {
            for (Application a : batch) {
                ledger.markSkipped(a.key(), run.runId(), e.getMessage());
                count(Outcome.SKIPPED);
            }
            accounting.queue("tag rejected by Intercom", name, e.code() + ": " + e.getMessage());
            return;
        } catch (IntercomApiException.Transient e) {
            // never thrown from here: the batch is not anyone's record
            batch.forEach(a -> deadLetter(a, name, e, client.repeatableAttempts()));
            return;
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("name", name);
        ArrayNode users = body.putArray("users");
        ArrayNode contactIds = JsonNodeFactory.instance.arrayNode();
        batch.stream().map(Application::contactId).distinct().forEach(id -> {
            users.addObject().put("id", id);
            contactIds.add(id);
        });
        long journal = ledger.journalIntent(run.runId(), null, "TAG_CONTACTS", "tag:" + name, tagId, contactIds.toString());
        try {
            client.postRepeatable("/tags", body);
        } catch (IntercomApiException.Rejected e) {
            ledger.journalState(journal, "FAILED");
            LOG.warn("Tag {} on {} contacts refused in bulk ({} {}): tagging them one by one", name, contactIds.size(),
                    e.status(), e.getMessage());
            oneByOne(name, tagId, batch);
            return;
        } catch (IntercomApiException.Transient e) {
            // the journal entry stays INTENT: the call may have landed
            batch.forEach(a -> deadLetter(a, name, e, client.repeatableAttempts()));
            return;
        }
        ledger.inTransaction(() -> { // one commit for the batch, not one a contact
            ledger.journalDone(journal, tagId);
            for (Application a : batch) {
                ledger.markDelivered(a.key(), run.runId(), a.contactId(), tagId, "created");
            }
            return null;
        });
        Set<RecordKey> done = new HashSet<>();
        for (Application a : batch) {
            count(done.add(a.key()) ? Outcome.CREATED : Outcome.UNCHANGED); // a row repeated in the file
        }
    }

    private void oneByOne(String name, String tagId, List<Application> batch) {
        for (Application a : batch) {
            long journal = ledger.journalIntent(run.runId(), a.key(), "TAG_CONTACT", "contact:" + a.contactId(), tagId, null);
            try {
                client.postRepeatable("/contacts/" + a.contactId() + "/tags", JsonNodeFactory.instance.objectNode().put("id", tagId));
            } catch (IntercomApiException.Rejected e) {
                ledger.journalState(journal, "FAILED");
                deadLetter(a, name, e, 1);
                continue;
            } catch (IntercomApiException.Transient e) {
                deadLetter(a, name, e, client.repeatableAttempts());
                continue;
            }
            ledger.journalDone(journal, tagId);
            ledger.markDelivered(a.key(), run.runId(), a.contactId(), tagId, "created");
            count(Outcome.CREATED);
        }
    }

    /** A dead letter under {@code tag} that carries the contact's source row: replaying it tags the contact again. */
    private void deadLetter(Application a, String name, IntercomApiException cause, int attempts) {
        WorkItem source = a.source();
        WorkItem letter = new WorkItem(source.system(), "tag", source.file(), source.line(), source.sourceRecord(), null)
                .plan(new ContactTag(a.key(), name, a.contactId()));
        accounting.source("tag");
        deadLetters.write(letter, cause, attempts);
    }

    private void count(Outcome outcome) {
        accounting.source("tag");
        accounting.outcome("tag", outcome);
    }
}
