package io.intercommigrator.intercom;

import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.intercommigrator.core.RunControl;
import io.intercommigrator.ledger.Ledger;
import io.intercommigrator.ledger.LedgerRecord;
import io.intercommigrator.mapping.InvalidRecordException;
import io.intercommigrator.mapping.TagApplication;
import io.intercommigrator.mapping.WorkItem;
import io.intercommigrator.core.RunAccounting;
import io.intercommigrator.core.RunAccounting.Outcome;

/**
 * Delivers a {@link TagApplication}: the tag (created once, matched case-insensitively) is put on the contact,
 * conversation or ticket the ledger knows for the source object; a tag family mapped to an attribute sets that
 * contact attribute instead. A name Intercom rejects is skipped and reported, never dropped silently.
 */
public final class TagDelivery {
    private final IntercomClient client;
    private final Ledger ledger;
    private final TagRegistry tags;
    private final AttributeProvisioner attributes;
    private final AdminDirectory directory;
    private final RunAccounting accounting;
    private final RunControl run;

    public TagDelivery(IntercomClient client, Ledger ledger, TagRegistry tags, AttributeProvisioner attributes,
                       AdminDirectory directory, RunAccounting accounting, RunControl run) {
        this.client = client;
        this.ledger = ledger;
        this.tags = tags;
        this.attributes = attributes;
        this.directory = directory;
        this.accounting = accounting;
        this.run = run;
    }

    public void deliver(WorkItem item) {
        run.checkRunning();
        TagApplication tag = (TagApplication) item.plan();
        LedgerRecord target = tag.targets().stream().map(ledger::find).flatMap(Optional::stream)
                .filter(r -> r.intercomId() != null).findFirst()
                .orElseThrow(() -> new InvalidRecordException("reference", "object_id", tag.targets().get(0)
                        + " is not in Intercom yet: drop the file that holds it, then replay"));
        Optional<LedgerRecord> done = ledger.find(tag.key());
        if (done.isPresent() && done.get().delivered()) {
            accounting.outcome(item.objectType(), done.get().runId().equals(run.runId()) ? Outcome.CREATED : Outcome.UNCHANGED);
            return;
        }
        String type = target.key().objectType();
        String path = (type.equals("contact") ? "/contacts/" : type.equals("ticket") ? "/tickets/" : "/conversations/")
                + target.intercomId();
        if (tag.attribute() != null) {
            attributes.ensureContactAttributes(Map.of(tag.attribute(), "string"));
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.putObject("custom_attributes").put(tag.attribute(), tag.value());
            JsonBefore before = new JsonBefore(client.get(path).body().toString());
            long j = ledger.journalIntent(run.runId(), tag.key(), "UPDATE", "contact", target.intercomId(), before.json());
            client.put(path, body);
            ledger.journalDone(j, target.intercomId());
            ledger.markDelivered(tag.key(), run.runId(), target.intercomId(), target.intercomId(), "created");
            accounting.outcome(item.objectType(), Outcome.CREATED);
            return;
        }
        String tagId;
        try {
            tagId = tags.idFor(tag.tag());
        } catch (IntercomApiException.Rejected e) {
            ledger.markSkipped(tag.key(), run.runId(), e.getMessage());
            accounting.outcome(item.objectType(), Outcome.SKIPPED);
            accounting.queue("tag rejected by Intercom", tag.tag(), e.code() + ": " + e.getMessage());
            return;
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("id", tagId);
        if (!type.equals("contact")) {
            body.put("admin_id", directory.defaultAdminId());
        }
        long j = ledger.journalIntent(run.runId(), tag.key(), "TAG_" + type.toUpperCase(java.util.Locale.ROOT), path, tagId, null);
        client.post(path + "/tags", body);
        ledger.journalDone(j, tagId);
        ledger.markDelivered(tag.key(), run.runId(), target.intercomId(), tagId, "created");
        accounting.outcome(item.objectType(), Outcome.CREATED);
    }

    /** The contact before an attribute is set from a tag family, kept for rollback. */
    private record JsonBefore(String json) {
    }
}
