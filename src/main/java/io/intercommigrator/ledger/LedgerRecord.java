package io.intercommigrator.ledger;

/** What the ledger knows of one source record. */
public record LedgerRecord(RecordKey key, String contentHash, String intercomId, Status status, String runId, String detail) {
    public enum Status { IN_FLIGHT, DELIVERED, SKIPPED, DEAD }

    public boolean delivered() {
        return status == Status.DELIVERED && intercomId != null;
    }
}
