package io.intercommigrator.ledger;

import java.util.List;
import java.util.Optional;

/**
 * The migration ledger: every source record → its Intercom object, known identities, dropped files, and a journal
 * of every Intercom write (before and after it is sent). {@link JdbcLedger} keeps it in H2 under {@code work/};
 * {@link DryRunLedger} remembers nothing, so a dry-run never marks anything as delivered.
 */
public interface Ledger extends AutoCloseable {
    boolean reachable();

    void startRun(String runId, String mode, String mappingChecksum);

    void finishRun(String runId, String status);

    /** The newest run of this mode with a write that no rollback has undone yet: what {@code rollback} undoes by default. */
    Optional<String> newestRunToUndo(String mode);

    /** Every write of the run was undone (or listed as not undoable): the default rollback moves on to the run before. */
    void markRolledBack(String runId);

    Optional<String> runMappingChecksum(String runId);

    /** The mode the run was started in ({@code live}, {@code rollback}, …); empty when the ledger has no such run. */
    Optional<String> runMode(String runId);

    Optional<String> fileSeen(String sha256);

    boolean rememberFile(String sha256, String name, String runId);

    void forgetFile(String sha256);

    void forgetAllFiles();

    Optional<LedgerRecord> find(RecordKey key);

    void markInFlight(RecordKey key, String runId, String contentHash, String knownIntercomId);

    void markDelivered(RecordKey key, String runId, String contentHash, String intercomId, String outcome);

    void markSkipped(RecordKey key, String runId, String reason);

    void markDead(RecordKey key, String error);

    List<LedgerRecord> inFlight();

    List<LedgerRecord> deliveredIn(String runId);

    long count(String objectType, LedgerRecord.Status status);

    Optional<String> identity(String kind, String naturalKey);

    void rememberIdentity(String kind, String naturalKey, String intercomId);

    void forgetIdentitiesOf(String intercomId);

    /**
     * A lead was merged into a user in Intercom (POST /contacts/merge): whatever the ledger held for the lead (its
     * records, identities, spans, the fields the migrator wrote where the user has none) is the user's now; what it
     * knew of the lead as a contact of its own (who made it, whose identity it carries) is gone with it.
     */
    void repointContact(String fromLeadId, String intoUserId);

    void putCatalog(String system, String kind, String naturalKey, String value);

    List<String[]> catalog(String system, String kind);

    /**
     * A ClickDesk conversation of {@code contactId} holds messages from {@code firstAt} to {@code lastAt}: its span
     * is widened to take them in (a later drop that grows the thread widens it). {@code contactId} null: widens a
     * span the ledger knows, records none.
     */
    void widenSpan(String contactId, String threadId, long firstAt, long lastAt, String runId);

    /** The spans of the contact's delivered ClickDesk conversations (where its VoIP calls' notes may go). */
    List<ConversationSpan> spansOf(String contactId);

    /** The contact of a delivered ClickDesk conversation's span (empty when the thread has no span). */
    Optional<String> spanContact(String threadId);

    /** A contact's field written by its own record: visitors.csv, contacts.csv (the highest rank). */
    String FIELD_OF_RECORD = "record";
    /** A contact's field written by a leads.csv row: above a thread's, below a contact's. */
    String FIELD_OF_LEAD = "lead";
    /** A contact's field a thread filled in (it was empty). */
    String FIELD_OF_THREAD = "thread";

    /** The rank of a field's owner: a writer takes over the fields of its own rank or below, never above. */
    static int fieldOwnerRank(String owner) {
        return switch (owner) {
            case FIELD_OF_THREAD -> 0;
            case FIELD_OF_LEAD -> 1;
            default -> 2;
        };
    }

    /** Field → who wrote it ({@code record}, {@code lead} or {@code thread}) for the fields the migrator set. */
    java.util.Map<String, String> contactFields(String contactId);

    /**
     * The contact's fields were written by {@code owner}: it takes over each field held by an owner of its rank or
     * below ({@link #fieldOwnerRank}) and leaves those of a higher rank as they are; a thread never takes a field
     * another row holds.
     */
    void claimContactFields(String contactId, java.util.Collection<String> fields, String owner, String runId);

    long journalIntent(String runId, RecordKey key, String action, String target, String intercomId, String beforeImage);

    void journalDone(long id, String intercomId);

    void journalState(long id, String state);

    List<JournalEntry> journalOf(String runId);

    /** After a rollback: forgets what the run delivered and the files it took, so they can be migrated again. */
    void forgetRun(String runId);

    /** Whether an undo of journal entry {@code journalId} is already done (rollback resumes after a crash). */
    boolean undone(long journalId);

    /**
     * Runs {@code work}'s ledger calls as one transaction: all kept or none, one commit; a record it marks in flight
     * is on disk when this returns, as {@link #markInFlight} promises on its own.
     */
    default <T> T inTransaction(java.util.function.Supplier<T> work) {
        return work.get();
    }

    @Override
    void close();
}
