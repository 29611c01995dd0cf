package io.intercommigrator.mapping;

import io.intercommigrator.ledger.RecordKey;

/** A mapped record with a ledger key and the payload that is to be sent. */
public interface PlannedRecord {
    RecordKey key();

    Object payload();
}
