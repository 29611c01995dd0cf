package io.intercommigrator.intercom;

import java.nio.charset.StandardCharsets;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.intercommigrator.core.RunControl;
import io.intercommigrator.ledger.ContentHash;
import io.intercommigrator.ledger.Ledger;
import io.intercommigrator.ledger.LedgerRecord;
import io.intercommigrator.ledger.RecordKey;
import io.intercommigrator.mapping.ContactPlan;
import io.intercommigrator.mapping.Skip;
import io.intercommigrator.mapping.WorkItem;
import io.intercommigrator.core.RunAccounting;
import io.intercommigrator.core.RunAccounting.Outcome;

/**
 * Delivers a {@link ContactPlan}: creates the contact, or updates the one that already holds its email (found in
 * the ledger, or through Intercom's 409), keeping its before-image; then hands its tags to the bulk tagging of the
 * file ({@link #deliverTaggingInBulk}, {@link ContactTagBatches}). Every write is
 * journaled before and after it is sent. A record whose earlier write has an unknown outcome (a crash, a 502, a
 * dropped connection) is looked up in Intercom by email / external_id before anything is sent again.
 * Safe to call again for the same record: that is how retries and restarts resume.
 */
public final class ContactUpserter {
    private static final Logger LOG = LoggerFactory.getLogger(ContactUpserter.class);
    private static final Pattern CONFLICT_ID = Pattern.compile("id=([A-Za-z0-9_-]+)");
    static final String EMAIL_IDENTITY = "contact-email";
    static final String EXTERNAL_ID_IDENTITY = "contact-external-id";
    /** Who wrote a contact's field (ledger contact_field.owner), by rank: see {@link Ledger#claimContactFields}. */
    static final String RECORD = Ledger.FIELD_OF_RECORD;
    static final String LEAD = Ledger.FIELD_OF_LEAD;
    static final String THREAD = Ledger.FIELD_OF_THREAD;
    private static final String CUSTOM = "custom_attributes.";
    /** "custom_attributes.&lt;name&gt;" per attribute name: a contact's fields are listed for every record delivered. */
    private static final Map<String, String> CUSTOM_FIELDS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int CUSTOM_FIELDS_KEPT = 10_000;
    /**
     * What made a contact this migration created: "thread" (on a thread's behalf, before its own record came) or the
     * object type of its own record. A record of a kind that owns a contact's fields more (a contacts.csv / visitors.csv
     * row over a leads.csv row over a thread) takes over a contact a lesser one made, whatever order they came in.
     */
    static final String MADE_BY = "contact-made-by";
    /**
     * Contact id → the source record whose identity (external_id, role) the contact carries: the own record that
     * created it or took it over. Another record meeting the contact, e.g. a second row with the same email, is not
     * "ours" even when a retry finds its own ledger entry pointing at the contact.
     */
    static final String IDENTITY_HELD_BY = "contact-identity-held-by";

    private final IntercomClient client;
    private final Ledger ledger;
    private final AttributeProvisioner attributes;
    private final RunAccounting accounting;
    private final RunControl run;
    private final ObjectMapper json;
    private final DeliverySample sample;
    private final ContactTagBatches tagBatches;
    private final KeyLocks locks = new KeyLocks();

    public ContactUpserter(IntercomClient client, Ledger ledger, AttributeProvisioner attributes,
                           RunAccounting accounting, RunControl run, ObjectMapper json, DeliverySample sample,
                           ContactTagBatches tagBatches) {
        this.client = client;
        this.ledger = ledger;
        this.attributes = attributes;
        this.accounting = accounting;
        this.run = run;
        this.json = json;
        this.sample = sample;
        this.tagBatches = tagBatches;
    }

    /**
     * Route entry (ClickDesk visitors, LeadDesk contacts and leads): delivers the contact, counts it, and hands its
     * tags to the bulk tagging of this file, which sends them a batch at a time ({@link ContactTagBatches}).
     */
    public void deliverTaggingInBulk(WorkItem item) {
        run.checkRunning();
        if (item.plan() instanceof Skip skip) {
            accounting.skipped(item.objectType(), item.file() + ":" + item.line(), skip.reason());
            return;
        }
        ContactPlan plan = (ContactPlan) item.plan();
        accounting.leftOff(item.file(), item.line(), plan.leftOff()); // queued once, however often it is retried
        Delivered contact = upsert(plan, item.retried(), true);
        sample.origin(DeliverySample.CONTACT, contact.intercomId(), plan, DeliverySample.Origin.of(item));
        tagBatches.add(item, plan, contact.intercomId());
        accounting.outcome(item.objectType(), contact.outcome());
    }

    /** The contact's Intercom id and what this run did to it. */
    public record Delivered(String intercomId, Outcome outcome) {
    }

    /**
     * A thread's contact: delivered (or found) on the thread's behalf; the caller counts what it did. A contact that
     * exists already only gets the fields it has no value for (mapping.md, who owns a contact's fields).
     */
    public Delivered upsert(ContactPlan plan) {
        return upsert(plan, false, false);
    }

    /**
     * {@code retry}: this record failed an attempt earlier in this run; if it is already delivered, its outcome is
     * what that attempt did. Otherwise a record found delivered with the same content is unchanged (an earlier run,
     * or a row repeated in this run's export).
     */
    private Delivered upsert(ContactPlan plan, boolean retry, boolean ownRecord) {
        byte[] planned = serialised(plan.payload());
        String hash = contentHash(planned, plan);
        KeyLocks.Held lock = locks.lock(plan.email() != null ? plan.email() : plan.key().toString());
        try {
            Optional<LedgerRecord> known = ledger.find(plan.key());
            if (known.isPresent() && known.get().delivered() && hash.equals(known.get().contentHash())) {
                if (ownRecord) {
                    // its fields are the record's (also for a contact a ledger from before field ownership delivered)
                    ledger.claimContactFields(known.get().intercomId(), fieldsOf(plan.payload()), fieldOwner(plan), run.runId());
                }
                return new Delivered(known.get().intercomId(),
                        retry ? outcomeInThisRun(known.get(), Outcome.UNCHANGED) : Outcome.UNCHANGED);
            }
            String existingId = known.map(LedgerRecord::intercomId).orElse(null);
            boolean ours = existingId != null && holdsIdentity(plan, existingId);
            boolean unsure = known.isPresent() && (known.get().status() == LedgerRecord.Status.IN_FLIGHT
                    || known.get().status() == LedgerRecord.Status.DEAD);
            boolean createInDoubt = unsure && existingId == null;
            if (createInDoubt) {
                existingId = lookUp(plan).orElse(null); // an earlier create may have landed: never create twice
                ours = existingId != null;
                if (existingId != null) {
                    rememberIdentities(plan, existingId);
                    if (ownRecord) {
                        ledger.rememberIdentity(IDENTITY_HELD_BY, existingId, holder(plan));
                    }
                    ledger.claimContactFields(existingId, fieldsOf(plan.payload()), ownRecord ? fieldOwner(plan) : THREAD, run.runId());
                    ledger.markDelivered(plan.key(), run.runId(), hash, existingId, "created");
                    ledger.rememberIdentity(MADE_BY, existingId, madeBy(plan, ownRecord));
                    LOG.info("{}: earlier write found in Intercom as contact {}", plan.key(), existingId);
                    return new Delivered(existingId, Outcome.CREATED);
                }
            }
            if (existingId == null) {
                existingId = knownIdentity(plan).orElse(null);
            }
            if (existingId != null) {
                String merged = mergeLeadHoldingTheExternalId(plan, existingId);
                if (!merged.equals(existingId)) {
                    existingId = merged;
                    ours = holdsIdentity(plan, merged);
                }
            }
            Map<String, String> actualTypes = attributes.ensureContactAttributes(plan.attributeTypes());
            ObjectNode payload = conformToAttributes(plan, actualTypes);
            if (existingId == null) {
                // the payload as planned is sent as the very bytes its content hash was taken of
                Created created = create(plan, payload, payload == plan.payload() ? planned : null, hash, ownRecord);
                if (created.delivered() != null) {
                    return created.delivered();
                }
                existingId = created.conflictingId();
                if (createInDoubt && ownRecord && ledger.identity(IDENTITY_HELD_BY, existingId).isEmpty()) {
                    // the email is taken by a contact no record of ours holds, after this record's own create went
                    // out without an answer (search lag hid it from the look-up): that create landed, it is ours
                    ours = true;
                    ledger.rememberIdentity(IDENTITY_HELD_BY, existingId, holder(plan));
                    if (ledger.identity(MADE_BY, existingId).isEmpty()) {
                        ledger.rememberIdentity(MADE_BY, existingId, plan.key().objectType());
                    }
                }
            }
            // a contact a thread made before this, its own record, came is this record's: its fields win (mapping.md)
            boolean takeOver = ownRecord && ownsMore(plan, existingId);
            return ownRecord ? update(plan, payload, hash, existingId, ours || takeOver, takeOver)
                    : fillEmpty(plan, plan.key(), payload, hash, existingId);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A visitor's record (its own row, or a chat / ticket naming it) meets its contact by email while another
     * contact, a lead a thread made by its id (a VoIP call dropped before visitors.csv), holds its external_id: the lead is merged into the
     * contact (POST /contacts/merge, lead → user), which moves the lead's conversations onto it, and the ledger's
     * entries for the lead point at the contact from then on. So the record ends as one contact in every drop order,
     * as it does when visitors.csv comes first. A lead answering 410 was merged already (an earlier attempt whose
     * answer was lost, or a crash after the merge): the ledger is pointed the same way. Not undoable in Intercom:
     * a rollback lists it.
     */
    private String mergeLeadHoldingTheExternalId(ContactPlan plan, String contactId) {
        Optional<String> byEmail = plan.email() == null ? Optional.empty() : ledger.identity(EMAIL_IDENTITY, plan.email());
        Optional<String> byId = plan.externalId() == null ? Optional.empty() : ledger.identity(EXTERNAL_ID_IDENTITY, plan.externalId());
        if (byEmail.isEmpty() || byId.isEmpty() || byEmail.get().equals(byId.get())) {
            return contactId;
        }
        String userId = byEmail.get();
        String leadId = byId.get();
        if (!client.dryRun()) {
            JsonNode lead;
            try {
                lead = client.get("/contacts/" + leadId).body();
            } catch (IntercomApiException.Rejected e) {
                if (e.status() == 410) {
                    repoint(plan, leadId, userId); // merged by an attempt whose answer was lost
                    return userId;
                } else if (e.status() == 404) {
                    ledger.forgetIdentitiesOf(leadId); // deleted in Intercom meanwhile: nothing to merge
                    return userId;
                }
                throw e;
            }
            if (!"lead".equals(lead.path("role").asText())) {
                return contactId; // two users are not merged: the update meets the conflict as before
            }
        }
        long journal = ledger.journalIntent(run.runId(), plan.key(), "MERGE", "contact", userId, leadId); // before: the lead
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("from", leadId).put("into", userId)
                .put("skip_duplicate_validation", true); // the lead has the record's id, the user its email
        try {
            client.post("/contacts/merge", body);
        } catch (IntercomApiException.Rejected e) {
            if (e.status() != 410) { // 410: applied by an attempt whose answer was lost
                ledger.journalState(journal, "FAILED");
                LOG.warn("{}: lead {} not merged into contact {}: {}", plan.key(), leadId, userId, e.getMessage());
                return contactId;
            }
        }
        ledger.inTransaction(() -> {
            ledger.journalDone(journal, userId);
            repoint(plan, leadId, userId);
            return null;
        });
        LOG.info("{}: lead {} (a thread's contact by this record's id) merged into contact {} (its email)", plan.key(),
                leadId, userId);
        return userId;
    }

    private void repoint(ContactPlan plan, String leadId, String userId) {
        ledger.inTransaction(() -> {
            ledger.repointContact(leadId, userId);
            VoipCallDelivery.contactMerged(ledger, plan.key().system(), leadId, userId);
            return null;
        });
    }

    /** Either the new contact, or the id of the contact that already holds the email / external_id (409). */
    private record Created(Delivered delivered, String conflictingId) {
    }

    private Created create(ContactPlan plan, ObjectNode payload, byte[] payloadJson, String hash, boolean ownRecord) {
        // one transaction before the write (on disk before it is sent) and one after it: a commit each, not one a call
        long journal = ledger.inTransaction(() -> {
            ledger.markInFlight(plan.key(), run.runId(), hash, null);
            return ledger.journalIntent(run.runId(), plan.key(), "CREATE", "contact", null, null);
        });
        try {
            String id = (payloadJson != null ? client.post("/contacts", payload, payloadJson) : client.post("/contacts", payload)).id();
            ledger.inTransaction(() -> {
                ledger.journalDone(journal, id);
                rememberIdentities(plan, id);
                if (ownRecord) {
                    ledger.rememberIdentity(IDENTITY_HELD_BY, id, holder(plan));
                }
                ledger.claimContactFields(id, fieldsOf(payload), ownRecord ? fieldOwner(plan) : THREAD, run.runId());
                ledger.markDelivered(plan.key(), run.runId(), hash, id, "created");
                ledger.rememberIdentity(MADE_BY, id, madeBy(plan, ownRecord)); // with the record: never one without the other
                return null;
            });
            sample.contact(plan, id, payload, false);
            return new Created(new Delivered(id, Outcome.CREATED), null);
        } catch (IntercomApiException.Rejected e) {
            if (e.status() == 409) {
                ledger.journalState(journal, "CONFLICT");
                Matcher m = CONFLICT_ID.matcher(e.getMessage());
                if (m.find()) {
                    String id = m.group(1);
                    if (e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("archived")) {
                        long j = ledger.journalIntent(run.runId(), plan.key(), "UNARCHIVE", "contact", id, null);
                        client.post("/contacts/" + id + "/unarchive", null);
                        ledger.journalDone(j, id);
                    }
                    return new Created(null, id);
                }
                Optional<String> found = lookUp(plan);
                if (found.isPresent()) {
                    return new Created(null, found.get());
                }
            } else {
                ledger.journalState(journal, "FAILED");
            }
            throw e;
        }
    }

    private Delivered update(ContactPlan plan, ObjectNode payload, String hash, String id, boolean ours, boolean takeOver) {
        JsonNode before;
        try {
            before = client.get("/contacts/" + id).body();
        } catch (IntercomApiException.Rejected e) {
            if (e.status() == 404) {
                // deleted in Intercom since we last saw it: forget it and create it again
                ledger.forgetIdentitiesOf(id);
                ledger.markInFlight(plan.key(), run.runId(), null, null);
                return upsertAgainAfterDeletion(plan, true);
            }
            throw e;
        }
        ObjectNode changes = payload.deepCopy();
        Map<String, String> written = ledger.contactFields(id);
        if (!ours) {
            keepExistingIdentity(changes, before, plan, written);
            if (!THREAD.equals(written.get("role"))) {
                changes.remove("role"); // a merge into someone else's contact keeps its role (a lead stays a lead)
            }
        }
        keepOutrankedFields(changes, written, fieldOwner(plan));
        if ("user".equals(before.path("role").asText()) && "lead".equals(changes.path("role").asText()) && !takeOver) {
            changes.remove("role"); // never turn a known user back into a lead (unless a lesser record guessed that role)
        }
        if (changes.isEmpty()) {
            ledger.markDelivered(plan.key(), run.runId(), hash, id, "unchanged"); // all it has is a higher rank's
            return new Delivered(id, Outcome.UNCHANGED);
        }
        long journal = ledger.inTransaction(() -> {
            ledger.markInFlight(plan.key(), run.runId(), hash, id);
            return ledger.journalIntent(run.runId(), plan.key(), "UPDATE", "contact", id, before.toString());
        });
        client.put("/contacts/" + id, changes);
        ledger.inTransaction(() -> {
            ledger.journalDone(journal, id);
            rememberIdentities(plan, id);
            ledger.claimContactFields(id, fieldsOf(changes), fieldOwner(plan), run.runId());
            ledger.markDelivered(plan.key(), run.runId(), hash, id, "updated");
            if (takeOver) {
                ledger.rememberIdentity(MADE_BY, id, plan.key().objectType());
                ledger.rememberIdentity(IDENTITY_HELD_BY, id, holder(plan));
            }
            return null;
        });
        sample.contact(plan, id, changes, !ours);
        return new Delivered(id, Outcome.UPDATED);
    }

    private Delivered upsertAgainAfterDeletion(ContactPlan plan, boolean ownRecord) {
        ObjectNode payload = conformToAttributes(plan, attributes.ensureContactAttributes(plan.attributeTypes()));
        String hash = contentHash(serialised(plan.payload()), plan);
        Created created = create(plan, payload, null, hash, ownRecord);
        if (created.delivered() != null) {
            return created.delivered();
        }
        return ownRecord ? update(plan, payload, hash, created.conflictingId(), false, false)
                : fillEmpty(plan, plan.key(), payload, hash, created.conflictingId());
    }

    /**
     * Route step for a thread whose contact is already in Intercom (ClickDesk chats, tickets, offline messages and
     * VoIP calls of a migrated visitor): the fields the thread knows and the contact has no value for are filled in;
     * nothing else is sent. What the ledger knows the migrator wrote is never asked for again, so a thread that
     * brings nothing new costs no request; a thread content seen before for this contact neither.
     */
    public Delivered fillEmptyFields(String contactId, ContactPlan plan) {
        RecordKey key = new RecordKey(plan.key().system(), "contact-fill", plan.key().objectType() + ":" + plan.key().sourceId());
        String hash = contentHash(serialised(plan.payload()), plan);
        KeyLocks.Held lock = locks.lock(plan.email() != null ? plan.email() : plan.key().toString());
        try {
            contactId = mergeLeadHoldingTheExternalId(plan, contactId);
            Optional<LedgerRecord> known = ledger.find(key);
            if (known.isPresent() && known.get().delivered() && hash.equals(known.get().contentHash())
                    && contactId.equals(known.get().intercomId())) {
                return new Delivered(contactId, Outcome.UNCHANGED);
            }
            if (unwritten(plan.payload(), ledger.contactFields(contactId)).isEmpty()) {
                ledger.markDelivered(key, run.runId(), hash, contactId, "unchanged");
                return new Delivered(contactId, Outcome.UNCHANGED);
            }
            ObjectNode payload = conformToAttributes(plan, attributes.ensureContactAttributes(plan.attributeTypes()));
            return fillEmpty(plan, key, payload, hash, contactId);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A thread's contact that exists already: only the fields it has no value for are sent (never its role), those
     * the migrator wrote before being known as set without asking; the ledger entry {@code key} remembers that this
     * thread content was applied.
     */
    private Delivered fillEmpty(ContactPlan plan, RecordKey key, ObjectNode payload, String hash, String id) {
        Map<String, String> written = ledger.contactFields(id);
        Set<String> candidates = unwritten(payload, written);
        if (candidates.isEmpty()) {
            ledger.markDelivered(key, run.runId(), hash, id, "unchanged");
            return new Delivered(id, Outcome.UNCHANGED);
        }
        JsonNode before;
        try {
            before = client.get("/contacts/" + id).body();
        } catch (IntercomApiException.Rejected e) {
            if (e.status() == 404 && key.equals(plan.key())) {
                ledger.forgetIdentitiesOf(id);
                ledger.markInFlight(plan.key(), run.runId(), null, null);
                return upsertAgainAfterDeletion(plan, false);
            }
            throw e;
        }
        ObjectNode changes = JsonNodeFactory.instance.objectNode();
        for (String field : candidates) {
            if (field.startsWith(CUSTOM)) {
                String name = field.substring(CUSTOM.length());
                if (empty(before.path("custom_attributes").path(name))) {
                    changes.with("custom_attributes").set(name, payload.path("custom_attributes").path(name));
                }
            } else if (empty(before.path(field))) {
                changes.set(field, payload.path(field));
            }
        }
        if (changes.has("email") && "lead".equals(before.path("role").asText()) && THREAD.equals(written.get("role"))
                && "user".equals(payload.path("role").asText())) {
            // a lead a thread made without an email (a VoIP call by visitor id) gets one: a contact with an email is
            // a user (mapping.md), as it is when the thread with the email comes first
            changes.put("role", "user");
        }
        if (changes.isEmpty()) {
            ledger.markDelivered(key, run.runId(), hash, id, "unchanged"); // the workspace had values for all of them
            return new Delivered(id, Outcome.UNCHANGED);
        }
        long journal = ledger.inTransaction(() -> {
            ledger.markInFlight(key, run.runId(), hash, id);
            return ledger.journalIntent(run.runId(), plan.key(), "UPDATE", "contact", id, before.toString());
        });
        client.put("/contacts/" + id, changes);
        ledger.inTransaction(() -> {
            ledger.journalDone(journal, id);
            rememberIdentities(plan, id);
            ledger.claimContactFields(id, fieldsOf(changes), THREAD, run.runId());
            ledger.markDelivered(key, run.runId(), hash, id, "updated");
            return null;
        });
        sample.contact(plan, id, changes, true);
        return new Delivered(id, Outcome.UPDATED);
    }

    /** The payload's fields (role aside: a thread never sets it on an existing contact) the migrator never wrote. */
    private static Set<String> unwritten(ObjectNode payload, Map<String, String> written) {
        Set<String> out = new LinkedHashSet<>(fieldsOf(payload));
        out.remove("role");
        out.removeAll(written.keySet());
        return out;
    }

    /** Field names of a contact payload: top-level fields, and custom_attributes.&lt;name&gt; for its attributes. */
    static Set<String> fieldsOf(JsonNode payload) {
        Set<String> out = new LinkedHashSet<>();
        payload.fieldNames().forEachRemaining(f -> {
            if (!f.equals("custom_attributes")) {
                out.add(f);
            }
        });
        payload.path("custom_attributes").fieldNames().forEachRemaining(f -> out.add(customField(f)));
        return out;
    }

    private static String customField(String name) {
        String field = CUSTOM_FIELDS.get(name);
        if (field == null) {
            field = CUSTOM + name;
            if (CUSTOM_FIELDS.size() < CUSTOM_FIELDS_KEPT) { // attribute names come from the map: a few dozen
                CUSTOM_FIELDS.put(name, field);
            }
        }
        return field;
    }

    private static boolean empty(JsonNode value) {
        return value.isMissingNode() || value.isNull() || (value.isTextual() && value.asText().isBlank());
    }

    /**
     * A merge into a contact that belongs to another record (or to the workspace) keeps that contact's identity
     * fields, unless what it holds there came from a thread: the contact's own record owns its fields.
     */
    private static void keepExistingIdentity(ObjectNode changes, JsonNode before, ContactPlan plan, Map<String, String> written) {
        for (String field : plan.identityAttributes()) {
            if (field.equals("external_id")) {
                if (!before.path("external_id").asText("").isEmpty() && !THREAD.equals(written.get("external_id"))) {
                    changes.remove("external_id");
                }
            } else if (changes.get("custom_attributes") instanceof ObjectNode custom
                    && !before.path("custom_attributes").path(field).asText("").isEmpty()
                    && !THREAD.equals(written.get(CUSTOM + field))) {
                custom.remove(field);
            }
        }
    }

    /**
     * True when the contact carries this record's identity, or when the ledger does not say whose it carries (a
     * ledger from before {@link #IDENTITY_HELD_BY}, or a contact a thread made).
     */
    private boolean holdsIdentity(ContactPlan plan, String contactId) {
        return ledger.identity(IDENTITY_HELD_BY, contactId).map(holder(plan)::equals).orElse(true);
    }

    /** The owner an own record writes a contact's fields as: a lead's rank below a contact's / visitor's. */
    private static String fieldOwner(ContactPlan plan) {
        return fieldOwner(plan.key().objectType());
    }

    /** The field owner of what made a contact ({@link #MADE_BY}: a thread, or its own record's type). */
    private static String fieldOwner(String madeBy) {
        return switch (madeBy) {
            case "thread" -> THREAD;
            case "lead" -> LEAD;
            default -> RECORD;
        };
    }

    /**
     * Leaves out of {@code changes} the fields an own record of a higher rank wrote (a lead meeting its contact's
     * fields), so that contacts.csv and leads.csv end the same in either drop order (mapping.md: fields' owner).
     */
    private static void keepOutrankedFields(ObjectNode changes, Map<String, String> written, String owner) {
        int rank = Ledger.fieldOwnerRank(owner);
        written.forEach((field, by) -> {
            if (Ledger.fieldOwnerRank(by) <= rank) {
                return;
            }
            if (field.startsWith(CUSTOM)) {
                if (changes.get("custom_attributes") instanceof ObjectNode custom) {
                    custom.remove(field.substring(CUSTOM.length()));
                }
            } else {
                changes.remove(field);
            }
        });
    }

    /** What a contact this record creates counts as made by: its own record's type, or a thread. */
    private static String madeBy(ContactPlan plan, boolean ownRecord) {
        return ownRecord ? plan.key().objectType() : "thread";
    }

    private static String holder(ContactPlan plan) {
        RecordKey k = plan.key();
        return k.system() + ":" + k.objectType() + ":" + k.sourceId();
    }

    /** True when this own record owns a contact's fields more than what made the contact (mapping.md, fields' owner). */
    private boolean ownsMore(ContactPlan plan, String contactId) {
        Optional<String> madeBy = ledger.identity(MADE_BY, contactId);
        return madeBy.isPresent() && Ledger.fieldOwnerRank(fieldOwner(plan)) > Ledger.fieldOwnerRank(fieldOwner(madeBy.get()));
    }

    /** What this run already did to a record it meets again (a retry): the earlier outcome, not "unchanged". */
    private Outcome outcomeInThisRun(LedgerRecord record, Outcome otherwise) {
        if (!run.runId().equals(record.runId()) || record.detail() == null) {
            return otherwise;
        }
        return Outcome.valueOf(record.detail().toUpperCase(java.util.Locale.ROOT));
    }

    private Optional<String> knownIdentity(ContactPlan plan) {
        Optional<String> byEmail = plan.email() == null ? Optional.empty() : ledger.identity(EMAIL_IDENTITY, plan.email());
        if (byEmail.isPresent()) {
            return byEmail;
        }
        String ext = plan.externalId();
        return ext == null ? Optional.empty() : ledger.identity(EXTERNAL_ID_IDENTITY, ext);
    }

    private void rememberIdentities(ContactPlan plan, String id) {
        if (plan.email() != null) {
            ledger.rememberIdentity(EMAIL_IDENTITY, plan.email(), id);
        }
        if (plan.externalId() != null) {
            ledger.rememberIdentity(EXTERNAL_ID_IDENTITY, plan.externalId(), id);
        }
    }

    /** Finds the contact in Intercom by email, else by external_id. */
    public Optional<String> lookUp(ContactPlan plan) {
        if (client.dryRun()) {
            return Optional.empty();
        }
        if (plan.email() != null) {
            Optional<String> found = search("email", plan.email());
            if (found.isPresent()) {
                return found;
            }
        }
        return plan.externalId() == null ? Optional.empty() : search("external_id", plan.externalId());
    }

    private Optional<String> search(String field, String value) {
        ObjectNode query = JsonNodeFactory.instance.objectNode();
        query.putObject("query").put("field", field).put("operator", "=").put("value", value);
        JsonNode data = client.post("/contacts/search", query).body().path("data");
        return data.size() == 0 ? Optional.empty() : Optional.of(data.get(0).path("id").asText());
    }

    /** Fits custom attribute values to the types the workspace really has (an existing attribute keeps its type). */
    private ObjectNode conformToAttributes(ContactPlan plan, Map<String, String> actualTypes) {
        if (!(plan.payload().get("custom_attributes") instanceof ObjectNode planned) || fitsAsPlanned(plan, planned, actualTypes)) {
            return plan.payload(); // sent as it is, never changed (update() changes a copy)
        }
        ObjectNode payload = plan.payload().deepCopy();
        ObjectNode custom = (ObjectNode) payload.get("custom_attributes");
        Iterator<Map.Entry<String, JsonNode>> fields = custom.fields();
        List<String> dropped = new ArrayList<>();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String wanted = plan.attributeTypes().getOrDefault(f.getKey(), "string");
            String actual = actualTypes.getOrDefault(f.getKey(), wanted);
            if (actual.equals(wanted)) {
                continue;
            }
            if (actual.equals("string")) {
                f.setValue(JsonNodeFactory.instance.textNode(f.getValue().asText()));
            } else {
                dropped.add(f.getKey());
            }
        }
        for (String name : dropped) {
            custom.remove(name);
            accounting.queue("attribute type mismatch", name, "the workspace attribute has type " + actualTypes.get(name)
                    + " but the map sends " + plan.attributeTypes().get(name) + "; values not migrated");
        }
        return payload;
    }

    private static boolean fitsAsPlanned(ContactPlan plan, ObjectNode custom, Map<String, String> actualTypes) {
        for (Iterator<String> names = custom.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            String wanted = plan.attributeTypes().getOrDefault(name, "string");
            if (!actualTypes.getOrDefault(name, wanted).equals(wanted)) {
                return false;
            }
        }
        return true;
    }

    private byte[] serialised(ObjectNode payload) {
        try {
            return json.writeValueAsBytes(payload);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Of the planned payload's JSON and the tags: what decides whether a record changed since it was delivered. */
    private static String contentHash(byte[] payloadJson, ContactPlan plan) {
        return ContentHash.of(payloadJson, String.join("|", plan.tags()).getBytes(StandardCharsets.UTF_8));
    }
}
