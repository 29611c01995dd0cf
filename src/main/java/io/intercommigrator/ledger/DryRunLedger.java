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
 * to {@link #CAP} entries each, so memory stays flat however large the export; the catalogs and the file
 * fingerprints; no journal. Entries are kept compact (a content hash as its 32 bytes, one flat map entry per contact
 * for its spans and its field owners): at the cap they are most of what a large dry-run holds.
 */
public final class DryRunLedger implements Ledger {
    static final int CAP = 25_000; // keeps a dry-run of a 1M-row file under 300 MB RSS
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DryRunLedger.class);
    private final Map<RecordKey, Kept> records = new ConcurrentHashMap<>();

    /** A delivered record as kept: the content hash as bytes when it is a SHA-256 in hex (as {@link ContentHash}). */
    private record Kept(Object contentHash, String intercomId, String runId, String outcome) {
        static Kept of(String contentHash, String intercomId, String runId, String outcome) {
            Object hash = contentHash;
            if (contentHash != null && contentHash.length() == 64 && contentHash.chars().allMatch(
                    c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                hash = java.util.HexFormat.of().parseHex(contentHash);
            }
            return new Kept(hash, intercomId, runId, outcome);
        }

        LedgerRecord record(RecordKey key) {
            String hash = contentHash instanceof byte[] bytes ? java.util.HexFormat.of().formatHex(bytes) : (String) contentHash;
            return new LedgerRecord(key, hash, intercomId, LedgerRecord.Status.DELIVERED, runId, outcome);
        }
    }
    private final Map<String, Map<String, String>> identities = new ConcurrentHashMap<>(); // kind → natural key → id
    private final java.util.concurrent.atomic.AtomicInteger identityCount = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicBoolean capWarned = new java.util.concurrent.atomic.AtomicBoolean();

    private boolean room(int size) {
        if (size < CAP) {
            return true;
        }
        if (capWarned.compareAndSet(false, true)) {
            LOG.warn("dry-run: more than {} records planned; later references to them are not tracked, so their "
                    + "dependents may show as dead letters in this dry-run only", CAP);
        }
        return false;
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
        if (kept(key) && room(records.size())) {
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
        Map<String, String> ofKind = identities.get(kind);
        return ofKind == null ? Optional.empty() : Optional.ofNullable(ofKind.get(naturalKey));
    }

    @Override
    public void rememberIdentity(String kind, String naturalKey, String intercomId) {
        if (room(identityCount.get())
                && identities.computeIfAbsent(kind, k -> new ConcurrentHashMap<>()).put(naturalKey, intercomId) == null) {
            identityCount.incrementAndGet();
        }
    }

    @Override
    public void forgetIdentitiesOf(String intercomId) {
    }

    @Override
    public void repointContact(String fromLeadId, String intoUserId) {
        identities.values().forEach(byKey -> byKey.replaceAll((k, id) -> id.equals(fromLeadId) ? intoUserId : id));
        records.replaceAll((k, kept) -> fromLeadId.equals(kept.intercomId())
                ? new Kept(kept.contentHash(), intoUserId, kept.runId(), kept.outcome()) : kept);
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

    private final Map<String, ConversationSpan[]> spans = new ConcurrentHashMap<>(); // contact → its threads' spans
    private final Map<String, Map<String, String>> contactFields = new ConcurrentHashMap<>(); // contact → field → owner (immutable)

    @Override
    public void widenSpan(String contactId, String threadId, long firstAt, long lastAt, String runId) {
        if (contactId == null) {
            // a known span only: find its contact
            spanContact(threadId).ifPresent(contact -> widenSpan(contact, threadId, firstAt, lastAt, runId));
            return;
        }
        if (spans.containsKey(contactId) || room(spans.size())) {
            spans.compute(contactId, (k, known) -> widened(known, new ConversationSpan(threadId, firstAt, lastAt)));
        }
    }

    private static ConversationSpan[] widened(ConversationSpan[] known, ConversationSpan span) {
        if (known == null) {
            return new ConversationSpan[] {span};
        }
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

    private static boolean holds(ConversationSpan[] spans, String threadId) {
        for (ConversationSpan s : spans) {
            if (s.threadId().equals(threadId)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<ConversationSpan> spansOf(String contactId) {
        ConversationSpan[] known = spans.get(contactId);
        return known == null ? List.of() : List.of(known);
    }

    @Override
    public Optional<String> spanContact(String threadId) {
        return spans.entrySet().stream().filter(e -> holds(e.getValue(), threadId)).map(Map.Entry::getKey).findFirst();
    }

    @Override
    public Map<String, String> contactFields(String contactId) {
        return contactFields.getOrDefault(contactId, Map.of());
    }

    @Override
    public void claimContactFields(String contactId, java.util.Collection<String> fields, String owner, String runId) {
        if (!contactFields.containsKey(contactId) && !room(contactFields.size())) {
            return;
        }
        int rank = Ledger.fieldOwnerRank(owner);
        contactFields.compute(contactId, (k, known) -> {
            Map<String, String> claimed = known == null ? new java.util.HashMap<>() : new java.util.HashMap<>(known);
            for (String field : fields) {
                claimed.merge(field, owner, (was, now) -> rank > 0 && Ledger.fieldOwnerRank(was) <= rank ? now : was);
            }
            return Map.copyOf(claimed);
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
