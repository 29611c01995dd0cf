package io.intercommigrator.mapping;

import java.util.Map;

/**
 * One source record on its way through a route: where it came from (file, line, the record as read), which
 * object type it counts as, and what the mapper made of it. The exchange body from split to delivery.
 */
public final class WorkItem {
    private final String system;
    private final String objectType;
    private final String file;
    private final long line;
    private final Object sourceRecord;
    private final InvalidRecordException malformed;
    private Object plan;
    private io.intercommigrator.mapping.ThreadOrder.Ticket orderTicket;
    private String kind;
    private Object verificationRecord;
    private long progress; // writes that landed in Intercom for this record, in this attempt or an earlier one
    private long progressAtLastFailure;
    private int failuresSinceProgress;
    private int failures;

    public WorkItem(String system, String objectType, String file, long line, Object sourceRecord,
                    InvalidRecordException malformed) {
        this.system = system;
        this.objectType = objectType;
        this.file = file;
        this.line = line;
        this.sourceRecord = sourceRecord;
        this.malformed = malformed;
    }

    public String system() {
        return system;
    }

    public String objectType() {
        return objectType;
    }

    public String file() {
        return file;
    }

    public long line() {
        return line;
    }

    /** The record as read: a column → value map for CSV, a JSON node for JSON. */
    public Object sourceRecord() {
        return sourceRecord;
    }

    @SuppressWarnings("unchecked")
    public Map<String, String> fields() {
        return (Map<String, String>) sourceRecord;
    }

    /** Set when the reader could not parse the record at all. */
    public InvalidRecordException malformed() {
        return malformed;
    }

    public Object plan() {
        return plan;
    }

    public WorkItem plan(Object plan) {
        this.plan = plan;
        return this;
    }

    /** The same record counted as another object type (what it became in Intercom); a fresh attempt history. */
    public WorkItem retyped(String objectType) {
        WorkItem copy = new WorkItem(system, objectType, file, line, sourceRecord, malformed);
        copy.plan = plan;
        copy.orderTicket = orderTicket;
        copy.kind = kind;
        copy.verificationRecord = verificationRecord;
        return copy;
    }

    /** The kind of file the record was read from ("clickdesk visitors.csv"), or null when the reader did not say. */
    public String kind() {
        return kind;
    }

    public WorkItem kind(String kind) {
        this.kind = kind;
        return this;
    }

    /**
     * The source record the read-back compares the delivered object with: the record as read, unless the reader gave
     * a fuller one (a social thread's rows, a chatbot session's rows, where the record itself holds only the id).
     */
    public Object verificationRecord() {
        return verificationRecord != null ? verificationRecord : sourceRecord;
    }

    public WorkItem verifiedAgainst(Object record) {
        this.verificationRecord = record;
        return this;
    }

    /** The row's place in its thread's order (ticket_messages.csv, voip_calls.csv), or null when unordered. */
    public io.intercommigrator.mapping.ThreadOrder.Ticket orderTicket() {
        return orderTicket;
    }

    public WorkItem orderTicket(io.intercommigrator.mapping.ThreadOrder.Ticket ticket) {
        this.orderTicket = ticket;
        return this;
    }

    /** Called after each write of this record that Intercom confirmed (a part appended, a thread created). */
    public synchronized void progressed() {
        progress++;
    }

    /**
     * Counts one more failed attempt and returns how many failed attempts followed each other without a write
     * landing in between: a long thread that keeps moving is never cut off by failures spread over its parts.
     */
    public synchronized int failedAttemptsSinceProgress() {
        if (progress != progressAtLastFailure) {
            progressAtLastFailure = progress;
            failuresSinceProgress = 0;
        }
        failures++;
        return ++failuresSinceProgress;
    }

    /** Intercom had an outage since this record's last failure: the failures in a row before it are forgiven. */
    public synchronized void outageWaited() {
        failuresSinceProgress = 0;
        progressAtLastFailure = progress;
    }

    /**
     * This record failed an attempt earlier in this run: what that attempt already delivered keeps the outcome it had
     * then, where a repeated row of the export finding the same object counts as unchanged.
     */
    public synchronized boolean retried() {
        return failures > 0;
    }

    /** Failed attempts the retry budget has seen for this record (0 when it never judged one). */
    public synchronized int failures() {
        return failures;
    }

    @Override
    public String toString() {
        return objectType + " at " + file + ":" + line;
    }
}
