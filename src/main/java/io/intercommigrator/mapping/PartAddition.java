package io.intercommigrator.mapping;

import java.util.List;

import io.intercommigrator.ledger.RecordKey;

/**
 * A message that arrives in a file of its own (ClickDesk ticket_messages.csv) and is appended to a thread
 * migrated earlier: the thread is found in the ledger under the first of {@code threadKeys} it knows.
 *
 * @param contactEmail the contact author's email, used for contact replies
 */
public record PartAddition(List<RecordKey> threadKeys, ThreadPlan.PartPlan part, String contactEmail) implements PlannedRecord {
    @Override
    public RecordKey key() {
        return new RecordKey(threadKeys.get(0).system(), "conversation_part", threadKeys.get(0).sourceId() + "#" + part.partKey());
    }

    @Override
    public Object payload() {
        return part;
    }
}
