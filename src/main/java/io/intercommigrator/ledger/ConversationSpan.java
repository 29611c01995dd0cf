package io.intercommigrator.ledger;

/** A delivered conversation's time span: its first and last message (Unix seconds), as migrated. */
public record ConversationSpan(String threadId, long firstAt, long lastAt) {
    /** Seconds from {@code at} to the span (0 inside it). */
    public long distanceTo(long at) {
        return at < firstAt ? firstAt - at : at > lastAt ? at - lastAt : 0;
    }
}
