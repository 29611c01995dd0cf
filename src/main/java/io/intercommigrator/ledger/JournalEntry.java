package io.intercommigrator.ledger;

/** One Intercom write as journaled: what was done to which object, and what it looked like before. */
public record JournalEntry(long id, String runId, RecordKey key, String action, String target, String intercomId,
                           String beforeImage, String state) {
}
