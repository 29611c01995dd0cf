package io.intercommigrator.rollback;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.intercommigrator.core.OwnerOnly;
import io.intercommigrator.core.RunControl;
import io.intercommigrator.intercom.AdminDirectory;
import io.intercommigrator.intercom.IntercomApiException;
import io.intercommigrator.intercom.IntercomClient;
import io.intercommigrator.ledger.JournalEntry;
import io.intercommigrator.ledger.Ledger;

/**
 * Undoes a run from its journal, newest write first (so parts and tags go before their threads, threads before
 * contacts, contacts before the attributes they use): deletes the conversations, tickets, contacts and tags it
 * created, restores every contact it updated from its before-image, removes the tags it applied (one by one or in
 * bulk), archives the attributes, list options and ticket types it created or unarchived. What the API cannot undo
 * (notes and parts added to conversations that existed before, conversation attributes set on them) is listed in
 * {@code rollback.json}, never ignored. Every undo is journaled under the rollback's own run id, so a rollback
 * interrupted by a crash resumes where it stopped and a second rollback does nothing twice. Every request goes
 * through the same client and rate governor.
 */
public final class Rollback {
    private static final Logger LOG = LoggerFactory.getLogger(Rollback.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final IntercomClient client;
    private final Ledger ledger;
    private final AdminDirectory directory;
    private final RunControl run;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public Rollback(IntercomClient client, Ledger ledger, AdminDirectory directory, RunControl run) {
        this.client = client;
        this.ledger = ledger;
        this.directory = directory;
        this.run = run;
    }

    /** Undoes {@code target} (a run id) and writes its rollback report into {@code reportFolder}; returns the report. */
    public Path undo(String target, Path reportFolder) {
        List<JournalEntry> journal = ledger.journalOf(target);
        if (journal.isEmpty()) {
            throw io.intercommigrator.core.MigratorExit.refused("nothing to roll back: run " + target + " has no journaled writes to undo");
        }
        Set<String> createdThreads = new HashSet<>();
        Set<String> createdContacts = new HashSet<>();
        Set<String> createdAttributes = new HashSet<>();
        for (JournalEntry e : journal) {
            if (e.action().equals("CREATE") && e.intercomId() != null && !e.state().equals("INTENT")) {
                (e.target().equals("contact") ? createdContacts : createdThreads).add(e.intercomId());
            }
            if (e.action().equals("CONVERSATION_ATTRIBUTE_CREATE") && e.intercomId() != null) {
                createdAttributes.add(e.intercomId());
            }
        }
        Map<String, Integer> undone = new TreeMap<>();
        List<ObjectNode> notUndoable = new ArrayList<>();
        for (JournalEntry e : journal) {
            run.checkRunning();
            if (ledger.undone(e.id())) {
                count(undone, "already undone");
                continue;
            }
            if (!e.state().equals("DONE") && !e.state().equals("CONFLICT")) {
                if (e.state().equals("INTENT")) {
                    notUndoable.add(entry(e, "outcome unknown (the run stopped during this write): check " + e.target()
                            + (e.intercomId() == null ? "" : " " + e.intercomId()) + " by hand"));
                }
                continue;
            }
            String outcome = undoOne(e, createdThreads, createdContacts, createdAttributes, notUndoable);
            if (outcome != null) {
                long j = ledger.journalIntent(run.runId(), e.key(), "UNDO", "journal:" + e.id(), e.intercomId(), null);
                ledger.journalDone(j, e.intercomId());
                count(undone, outcome);
            }
        }
        ledger.forgetRun(target);
        ledger.markRolledBack(target);
        ObjectNode report = NODES.objectNode();
        report.put("rolled_back_run", target).put("rollback_run", run.runId());
        ObjectNode counts = report.putObject("undone");
        undone.forEach(counts::put);
        report.putArray("not_undoable").addAll(notUndoable);
        try {
            OwnerOnly.createDirectories(reportFolder); // like the run's own report: owner-only
            Path file = OwnerOnly.createFile(reportFolder.resolve("rollback.json"));
            Files.writeString(file, json.writeValueAsString(report));
            LOG.info("Rolled back run {}: {}; {} item(s) the API cannot undo are listed in {}", target, undone,
                    notUndoable.size(), file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Undoes one journaled write; returns what was done (for the counts) or null when nothing is to be done. */
    private String undoOne(JournalEntry e, Set<String> createdThreads, Set<String> createdContacts, Set<String> createdAttributes,
                           List<ObjectNode> notUndoable) {
        String id = e.intercomId();
        switch (e.action()) {
            case "CREATE" -> {
                String path = switch (e.target()) {
                    case "contact" -> "/contacts/";
                    case "ticket" -> "/tickets/";
                    default -> "/conversations/";
                };
                deleteQuietly(path + id);
                return "deleted " + e.target();
            }
            case "REPLY", "NOTE" -> {
                String thread = e.target().substring(e.target().lastIndexOf('/') + 1);
                if (createdThreads.contains(thread)) {
                    return null; // goes with its conversation or ticket
                }
                notUndoable.add(entry(e, "a part or note added to " + e.target() + ", which existed before the run: "
                        + "Intercom cannot delete a single conversation part (redact it by hand if needed)"));
                return null;
            }
            case "UPDATE_ATTRIBUTES" -> {
                if (!createdThreads.contains(id)) {
                    notUndoable.add(entry(e, "conversation attributes set on conversation " + id + ", which existed before the run"));
                }
                return null;
            }
            case "UPDATE_TICKET" -> {
                if (createdThreads.contains(id)) {
                    return null; // deleted with its ticket
                }
                ObjectNode restore = NODES.objectNode();
                restore.set("ticket_attributes", readTree(e.beforeImage()));
                restore.put("skip_notifications", true);
                try {
                    client.put("/tickets/" + id, restore);
                } catch (IntercomApiException.Rejected r) {
                    if (r.status() != 404) {
                        throw r;
                    }
                    return null; // deleted since: nothing to restore
                }
                return "restored ticket";
            }
            case "STATE", "TICKET_STATE" -> {
                if (createdThreads.contains(id)) {
                    return null; // deleted with its conversation or ticket
                }
                String before = e.beforeImage();
                if (before == null || before.isBlank()) {
                    notUndoable.add(entry(e, "the state " + e.target() + " had before the run is not known: set it by hand"));
                    return null;
                }
                try {
                    if (e.action().equals("TICKET_STATE")) {
                        client.put(e.target(), NODES.objectNode().put("ticket_state_id", before).put("skip_notifications", true));
                    } else {
                        ObjectNode part = NODES.objectNode().put("message_type", before.equals("closed") ? "close" : "open");
                        if (before.equals("closed")) {
                            part.put("type", "admin");
                        }
                        client.post(e.target() + "/parts", part.put("admin_id", directory.defaultAdminId()));
                    }
                } catch (IntercomApiException.Rejected r) {
                    if (r.status() != 404) {
                        throw r;
                    }
                    return null; // deleted since: nothing to restore
                }
                // kept under the rollback's own run (not forgotten with the target's): the state is the one before again
                ledger.markDelivered(e.key(), run.runId(), before, id, "restored");
                return "restored state";
            }
            case "UPDATE" -> {
                if (createdContacts.contains(id)) {
                    return null;
                }
                restoreContact(id, e.beforeImage());
                return "restored contact";
            }
            case "MERGE" -> {
                notUndoable.add(entry(e, "a contact merge cannot be undone in Intercom: lead " + e.beforeImage()
                        + " stays merged into contact " + e.intercomId()));
                return null;
            }
            case "UNARCHIVE" -> {
                client.post("/contacts/" + id + "/archive", null);
                return "archived contact again";
            }
            case "TAG_CONTACT" -> {
                String contact = e.target().substring(e.target().lastIndexOf(e.target().startsWith("contact:") ? ':' : '/') + 1);
                if (createdContacts.contains(contact)) {
                    return null;
                }
                deleteQuietly("/contacts/" + contact + "/tags/" + id);
                return "removed tag";
            }
            case "TAG_CONTACTS" -> {
                // a bulk POST /tags {name, users}: the 2.16 API documents "untag" only for companies, so each contact
                // that existed before the run loses the tag through DELETE /contacts/{id}/tags/{tag_id}
                int removed = 0;
                for (JsonNode contact : readTree(e.beforeImage())) {
                    if (!createdContacts.contains(contact.asText())) {
                        deleteQuietly("/contacts/" + contact.asText() + "/tags/" + id);
                        removed++;
                    }
                }
                return removed == 0 ? null : "removed tag (bulk)";
            }
            case "TAG_CONVERSATION", "TAG_TICKET" -> {
                String thread = e.target().substring(e.target().lastIndexOf('/') + 1);
                if (createdThreads.contains(thread)) {
                    return null;
                }
                try {
                    client.send("DELETE", e.target() + "/tags/" + id, NODES.objectNode().put("admin_id", directory.defaultAdminId()));
                } catch (IntercomApiException.Rejected r) {
                    if (r.status() != 404) {
                        throw r;
                    }
                }
                return "removed tag";
            }
            case "TAG_CREATE" -> {
                try {
                    deleteQuietly("/tags/" + id);
                    return "deleted tag";
                } catch (IntercomApiException.Rejected r) {
                    notUndoable.add(entry(e, "tag " + e.target() + " is still used (" + r.code() + "): delete it by hand"));
                    return null;
                }
            }
            case "ATTRIBUTE_CREATE" -> {
                client.put("/data_attributes/" + id, NODES.objectNode().put("archived", true));
                return "archived contact attribute";
            }
            case "ATTRIBUTE_UNARCHIVE" -> {
                client.put("/data_attributes/" + id, NODES.objectNode().put("archived", true));
                return "archived contact attribute";
            }
            case "TICKET_TYPE_UNARCHIVE" -> {
                client.put("/ticket_types/" + id, NODES.objectNode().put("archived", true));
                return "archived ticket type";
            }
            case "CONVERSATION_OPTION_CREATE" -> {
                String attribute = e.target().split(":", 3)[1]; // conversation_attribute_option:<attribute id>:<label>
                if (createdAttributes.contains(attribute)) {
                    return null; // archived with its attribute
                }
                deleteQuietly("/conversations/attributes/" + attribute + "/options/" + id);
                return "archived list option";
            }
            case "CONVERSATION_ATTRIBUTE_CREATE" -> {
                deleteQuietly("/conversations/attributes/" + id);
                return "archived conversation attribute";
            }
            case "TICKET_TYPE_CREATE" -> {
                client.put("/ticket_types/" + id, NODES.objectNode().put("archived", true));
                return "archived ticket type";
            }
            case "TICKET_TYPE_ATTRIBUTE_CREATE", "TICKET_TYPE_ATTRIBUTE_UNARCHIVE" -> {
                String typeId = e.target().split(":")[1];
                client.put("/ticket_types/" + typeId + "/attributes/" + id, NODES.objectNode().put("archived", true));
                return "archived ticket type attribute";
            }
            default -> {
                notUndoable.add(entry(e, "no undo known for " + e.action()));
                return null;
            }
        }
    }

    private JsonNode readTree(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts back what the contact held before: its fields and custom attributes; attributes it did not have are cleared. */
    private void restoreContact(String id, String beforeImage) {
        JsonNode before = readTree(beforeImage);
        JsonNode now;
        try {
            now = client.get("/contacts/" + id).body();
        } catch (IntercomApiException.Rejected r) {
            if (r.status() == 404) {
                return; // deleted since: nothing to restore
            }
            throw r;
        }
        ObjectNode restore = NODES.objectNode();
        for (String field : List.of("role", "email", "phone", "name", "external_id", "signed_up_at", "last_seen_at")) {
            restore.set(field, before.path(field).isMissingNode() ? NODES.nullNode() : before.path(field));
        }
        ObjectNode custom = restore.putObject("custom_attributes");
        for (Iterator<String> it = now.path("custom_attributes").fieldNames(); it.hasNext(); ) {
            String name = it.next();
            custom.set(name, before.path("custom_attributes").has(name) ? before.path("custom_attributes").get(name) : NODES.nullNode());
        }
        client.put("/contacts/" + id, restore);
    }

    private void deleteQuietly(String path) {
        try {
            client.delete(path);
        } catch (IntercomApiException.Rejected r) {
            if (r.status() != 404) {
                throw r; // 404: already gone, which is what an undo wants
            }
        }
    }

    private static ObjectNode entry(JournalEntry e, String reason) {
        ObjectNode o = NODES.objectNode();
        o.put("journal_id", e.id()).put("action", e.action()).put("target", e.target()).put("intercom_id", e.intercomId());
        if (e.key() != null) {
            o.put("source", e.key().toString());
        }
        o.put("reason", reason);
        return o;
    }

    private static void count(Map<String, Integer> counts, String what) {
        counts.merge(what, 1, Integer::sum);
    }
}
