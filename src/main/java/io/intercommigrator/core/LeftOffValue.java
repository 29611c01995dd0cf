package io.intercommigrator.core;

/**
 * Something a mapper left out of a record that still moves (mapping.md: a bad value costs a field, never the record):
 * a source value that does not fit its attribute (the column it came from, the attribute it was meant for, the value
 * as read, why it does not fit), or a message of a thread left out (empty, or one message exported twice), which
 * counts as a skipped conversation_part. The route lists each in the reconciliation queue with the file and line.
 */
public record LeftOffValue(String column, String attribute, String value, String reason) {
    /** The attribute of a message left out of its thread. */
    public static final String MESSAGE = "conversation_part";

    /** A message of the thread left out: {@code where} names it in the source (e.g. {@code messages[3]}). */
    public static LeftOffValue message(String where, String text, String reason) {
        return new LeftOffValue(where, MESSAGE, text == null ? "" : text, reason);
    }

    public boolean isMessage() {
        return MESSAGE.equals(attribute);
    }
}
