package io.intercommigrator.ledger;

/** Identifies one source record: which system, which object type, which id in that system. */
public record RecordKey(String system, String objectType, String sourceId) {
    @Override
    public String toString() {
        return system + "/" + objectType + "/" + sourceId;
    }
}
