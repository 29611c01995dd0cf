package io.intercommigrator.mapping;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.intercommigrator.ledger.RecordKey;

import io.intercommigrator.core.LeftOffValue;
/**
 * What a source person becomes in Intercom: the contact payload (role, external_id, email, name, phone, custom
 * attributes, …), the contact attributes it needs (name → Intercom data_type), its tags, and which fields
 * identify the source record (kept as they are when the contact already belongs to someone else), and the source
 * values left off because they do not fit their attribute (the reconciliation queue lists them).
 */
public record ContactPlan(RecordKey key, String email, ObjectNode payload, Map<String, String> attributeTypes,
                          List<String> tags, Set<String> identityAttributes, List<LeftOffValue> leftOff) implements PlannedRecord {
    public ContactPlan {
        leftOff = List.copyOf(leftOff);
    }

    /** A plan with nothing left off. */
    public ContactPlan(RecordKey key, String email, ObjectNode payload, Map<String, String> attributeTypes, List<String> tags,
                       Set<String> identityAttributes) {
        this(key, email, payload, attributeTypes, tags, identityAttributes, List.of());
    }

    public String externalId() {
        return payload.path("external_id").asText(null);
    }
}
