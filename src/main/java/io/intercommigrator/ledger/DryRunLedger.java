package io.intercommigrator.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ledger of a dry-run: nothing is delivered and nothing is kept beyond the process. It holds what later
 * records of the same drop look up — the planned contacts, conversations and tickets (so a call, a ticket message
 * or a tag finds what it references) and known identities (so duplicates inside an export show as updates) — up
 * to {@link #BUDGET_BYTES} of heap (estimated) in all, so memory stays flat however large the export; the catalogs and the file
 * fingerprints; no journal. Entries are kept compact, since at the cap they are most of what a large dry-run holds:
 * a content hash as its 32 bytes, the outbox's own ids ({@code dry-run-N}) as their number, and one map entry per
 * contact for both its conversation spans and its field owners.
 */
public final class DryRunLedger implements Ledger {
    /**
     * What the kept entries may take of the heap, estimated as they are added: about 7,000 visitors' or 6,000 social
     * threads' worth (as many contacts as the earlier cap of 25,000 identities kept). It keeps a dry-run's peak RSS
     * within 1.2× between a file and one ten times its size (bench/memory.sh) and a 1M-row file under 300 MB
     * (bench/dry-run-throughput.sh).
     */
    static final long BUDGET_BYTES = 6L << 20;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DryRunLedger.class);
    private final Map<RecordKey, Kept> records = new ConcurrentHashMap<>();

    /** A delivered record as kept: the content hash as bytes when it is a SHA-256 in hex (as {@link ContentHash}). */
    private record Kept(Object contentHash, Object intercomId, String runId, String outcome) {
        static Kept of(String contentHash, String intercomId, String runId, String outcome) {
            Object hash = contentHash;
            if (contentHash != null && contentHash.length() == 64 && contentHash.chars().allMatch(
                    c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                hash = java.util.HexFormat.of().parseHex(contentHash);
            }
            return new Kept(hash, compact(intercomId), runId, outcome);
        }

        LedgerRecord record(RecordKey key) {
            String hash = contentHash instanceof byte[] bytes ? java.util.HexFormat.of().formatHex(bytes) : (String) contentHash;
            return new LedgerRecord(key, hash, expand(intercomId), LedgerRecord.Status.DELIVERED, runId, outcome);
        }
    }

    private static final String OWN_ID = "dry-run-"; // DryRunOutbox's ids

    /** An id as kept: the outbox's {@code dry-run-N} as the Long N (16 bytes instead of a 56-byte string). */
    static Object compact(String id) {
        if (id == null || !id.startsWith(OWN_ID) || id.length() == OWN_ID.length() || id.length() > OWN_ID.length() + 18
                || id.charAt(OWN_ID.length()) == '0') {
            return id;
        }
        long n = 0;
        for (int i = OWN_ID.length(); i < id.length(); i++) { // a plain loop: it runs several times for every record
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                return id;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    static String expand(Object id) {
        return id instanceof Long n ? OWN_ID + n : (String) id;
    }

    private final Map<String, Map<String, Object>> identities = new ConcurrentHashMap<>(); // kind → natural key → id
    private final AtomicLong keptBytes = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean budgetWarned = new java.util.concurrent.atomic.AtomicBoolean();

    /** Takes {@code bytes} of the budget for a new entry, or says there is no room left for it. */
    private boolean room(long bytes) {
        if (keptBytes.addAndGet(bytes) <= BUDGET_BYTES) {
            return true;
        }
        keptBytes.addAndGet(-bytes);
        if (budgetWarned.compareAndSet(false, true)) {
            LOG.warn("dry-run: the records planned so far fill the dry-run's {} MB of lookups; later references to "
                    + "the records planned from now on are not tracked, so their dependents may show as dead letters "
                    + "in this dry-run only", BUDGET_BYTES >> 20);
        }
        return false;
    }

    /** Estimated heap of a kept string (header, array, one byte a char) or compacted id (a Long). */
    private static long size(Object kept) {
        return kept == null ? 0 : kept instanceof String text ? 40 + text.length() : 16;
    }
    private final Map<String, Map<String, String>> catalogs = new ConcurrentHashMap<>();
    private final Map<String, String> files = new ConcurrentHashMap<>();
    private final AtomicLong journal = new AtomicLong();

    @Override
    public boolean reachable() {
        return true;
    }

    @Override
    public void startRun(String runId, String mode, String mappingChecksum) {
    }

    @Override
    public void finishRun(String runId, String status) {
    }

    @Override
    public Optional<String> newestRunToUndo(String mode) {
        return Optional.empty();
    }

    @Override
    public void markRolledBack(String runId) {
        // nothing was written, nothing was rolled back
    }

    @Override
    public Optional<String> runMappingChecksum(String runId) {
        return Optional.empty();
    }

    @Override
    public Optional<String> runMode(String runId) {
        return Optional.empty();
    }

    @Override
    public Optional<String> fileSeen(String sha256) {
        return Optional.ofNullable(files.get(sha256));
    }

    @Override
    public boolean rememberFile(String sha256, String name, String runId) {
        return files.putIfAbsent(sha256, name + " (run " + runId + ")") == null;
    }

    @Override
    public void forgetFile(String sha256) {
        files.remove(sha256);
    }

    @Override
    public void forgetAllFiles() {
        files.clear();
    }

    @Override
    public Optional<LedgerRecord> find(RecordKey key) {
        Kept kept = kept(key) ? records.get(key) : null;
        return kept == null ? Optional.empty() : Optional.of(kept.record(key));
    }

    /** Only what later records reference is kept: contacts, conversations and tickets (not parts, tags, notes). */
    private static boolean kept(RecordKey key) {
        return switch (key.objectType()) {
            case "contact", "conversation", "ticket", "lead", "social-contact", "chatbot-contact" -> true;
            default -> false;
        };
    }

    @Override
    public void markInFlight(RecordKey key, String runId, String contentHash, String knownIntercomId) {
    }

    @Override
    public void markDelivered(RecordKey key, String runId, String contentHash, String intercomId, String outcome) {
        if (kept(key) && (records.containsKey(key) || room(120 + size(key.sourceId()) + size(compact(intercomId))))) {
            records.put(key, Kept.of(contentHash, intercomId, runId, outcome));
        }
    }

    @Override
    public void markSkipped(RecordKey key, String runId, String reason) {
    }

    @Override
    public void markDead(RecordKey key, String error) {
    }

    @Override
    public List<LedgerRecord> inFlight() {
        return List.of();
    }

    @Override
    public List<LedgerRecord> deliveredIn(String runId) {
        return List.of();
    }

    @Override
    public long count(String objectType, LedgerRecord.Status status) {
        return 0;
    }

    @Override
    public Optional<String> identity(String kind, String naturalKey) {
        Map<String, Object> ofKind = identities.get(kind);
        return ofKind == null ? Optional.empty() : Optional.ofNullable(expand(ofKind.get(naturalKey)));
    }

    @Override
    public void rememberIdentity(String kind, String naturalKey, String intercomId) {
        Map<String, Object> ofKind = identities.computeIfAbsent(kind, k -> new ConcurrentHashMap<>());
        if (ofKind.containsKey(naturalKey) || room(40 + size(naturalKey) + size(compact(intercomId)))) {
            ofKind.put(naturalKey, compact(intercomId));
        }
    }

    @Override
    public void forgetIdentitiesOf(String intercomId) {
    }

    @Override
    public void repointContact(String fromLeadId, String intoUserId) {
        Object from = compact(fromLeadId);
        Object into = compact(intoUserId);
        identities.values().forEach(byKey -> byKey.replaceAll((k, id) -> id.equals(from) ? into : id));
        records.replaceAll((k, kept) -> from.equals(kept.intercomId())
                ? new Kept(kept.contentHash(), into, kept.runId(), kept.outcome()) : kept);
        Contact lead = contacts.remove(from);
        if (lead != null) { // the lead's threads and written fields are the user's now (as the JDBC ledger moves them)
            contacts.compute(into, (k, user) -> user == null ? lead : user.absorb(lead));
        }
    }

    @Override
    public void putCatalog(String system, String kind, String naturalKey, String value) {
        catalogs.computeIfAbsent(system + "/" + kind, k -> new ConcurrentSkipListMap<>()).put(naturalKey, value);
    }

    @Override
    public List<String[]> catalog(String system, String kind) {
        List<String[]> out = new ArrayList<>();
        catalogs.getOrDefault(system + "/" + kind, Map.of()).forEach((k, v) -> out.add(new String[] {k, v}));
        return out;
    }

    /**
     * A contact's conversation spans (one {@link ConversationSpan}, or an array of them when there are more) and its
     * field owners (an immutable map, empty when none): one map entry per contact, by its compacted id.
     */
    private record Contact(Object spans, Map<String, String> fields) {
        static final Contact NONE = new Contact(null, Map.of());

        ConversationSpan[] spanArray() {
            return spans == null ? new ConversationSpan[0]
                    : spans instanceof ConversationSpan one ? new ConversationSpan[] {one} : (ConversationSpan[]) spans;
        }

        Contact withSpans(ConversationSpan[] all) {
            return new Contact(all.length == 1 ? all[0] : all, fields);
        }

        /** This contact with a merged lead's spans and the fields it wrote that this one has not. */
        Contact absorb(Contact lead) {
            Contact merged = this;
            for (ConversationSpan s : lead.spanArray()) {
                merged = merged.withSpans(widened(merged.spanArray(), s));
            }
            Map<String, String> fields = new java.util.HashMap<>(lead.fields());
            fields.putAll(merged.fields());
            return new Contact(merged.spans(), Map.copyOf(fields));
        }
    }

    private final Map<Object, Contact> contacts = new ConcurrentHashMap<>(); // contact id (compacted) → spans, fields

    @Override
    public void widenSpan(String contactId, String threadId, long firstAt, long lastAt, String runId) {
        if (contactId == null) {
            // a known span only: find its contact
            spanContact(threadId).ifPresent(contact -> widenSpan(contact, threadId, firstAt, lastAt, runId));
            return;
        }
        Object id = compact(contactId);
        Contact before = contacts.get(id);
        if (before != null && holds(before, threadId) || room((before == null ? 80 + size(id) : 16) + 32 + size(threadId))) {
            ConversationSpan span = new ConversationSpan(threadId, firstAt, lastAt);
            contacts.compute(id, (k, known) -> (known == null ? Contact.NONE : known)
                    .withSpans(widened((known == null ? Contact.NONE : known).spanArray(), span)));
        }
    }

    private static ConversationSpan[] widened(ConversationSpan[] known, ConversationSpan span) {
        for (int i = 0; i < known.length; i++) {
            ConversationSpan a = known[i];
            if (a.threadId().equals(span.threadId())) {
                ConversationSpan[] copy = known.clone();
                copy[i] = new ConversationSpan(a.threadId(), Math.min(a.firstAt(), span.firstAt()), Math.max(a.lastAt(), span.lastAt()));
                return copy;
            }
        }
        ConversationSpan[] copy = java.util.Arrays.copyOf(known, known.length + 1);
        copy[known.length] = span;
        return copy;
    }

    private static boolean holds(Contact contact, String threadId) {
        for (ConversationSpan s : contact.spanArray()) {
            if (s.threadId().equals(threadId)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<ConversationSpan> spansOf(String contactId) {
        Contact known = contacts.get(compact(contactId));
        return known == null ? List.of() : List.of(known.spanArray());
    }

    @Override
    public Optional<String> spanContact(String threadId) {
        for (Map.Entry<Object, Contact> e : contacts.entrySet()) {
            for (ConversationSpan s : e.getValue().spanArray()) {
                if (s.threadId().equals(threadId)) {
                    return Optional.of(expand(e.getKey()));
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public Map<String, String> contactFields(String contactId) {
        Contact known = contacts.get(compact(contactId));
        return known == null ? Map.of() : known.fields();
    }

    @Override
    public void claimContactFields(String contactId, java.util.Collection<String> fields, String owner, String runId) {
        Object id = compact(contactId);
        if (!contacts.containsKey(id) && !room(80 + size(id) + 40L * fields.size())) {
            return;
        }
        int rank = Ledger.fieldOwnerRank(owner);
        contacts.compute(id, (k, known) -> {
            Contact was = known == null ? Contact.NONE : known;
            Map<String, String> claimed = new java.util.HashMap<>(was.fields());
            for (String field : fields) {
                claimed.merge(field, owner, (before, now) -> rank > 0 && Ledger.fieldOwnerRank(before) <= rank ? now : before);
            }
            return new Contact(was.spans(), Map.copyOf(claimed));
        });
    }

    @Override
    public long journalIntent(String runId, RecordKey key, String action, String target, String intercomId, String beforeImage) {
        return journal.incrementAndGet();
    }

    @Override
    public void journalDone(long id, String intercomId) {
    }

    @Override
    public void journalState(long id, String state) {
    }

    @Override
    public List<JournalEntry> journalOf(String runId) {
        return List.of();
    }

    @Override
    public void forgetRun(String runId) {
    }

    @Override
    public boolean undone(long journalId) {
        return false;
    }

    @Override
    public void close() {
    }
}
