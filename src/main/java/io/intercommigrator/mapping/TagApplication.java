package io.intercommigrator.mapping;

import java.util.List;

import io.intercommigrator.ledger.RecordKey;

/**
 * A tag to put on an object migrated earlier (found in the ledger under the first of {@code targets} it knows),
 * or, for a tag family the operator maps to an attribute, a contact attribute to set instead.
 *
 * @param attribute null for a plain tag; else the contact attribute that receives {@code value}
 */
public record TagApplication(List<RecordKey> targets, String tag, String attribute, String value) implements PlannedRecord {
    @Override
    public RecordKey key() {
        RecordKey first = targets.get(0);
        return new RecordKey(first.system(), "tag", first.objectType() + ":" + first.sourceId() + "|"
                + (attribute == null ? tag.trim().toLowerCase(java.util.Locale.ROOT) : attribute));
    }

    @Override
    public Object payload() {
        return this;
    }
}
