package io.intercommigrator.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ledger of a dry-run: nothing is delivered, so no record, identity or journal entry is kept (memory stays
 * flat however large the export). Only what later files of the same drop read is held: the small catalogs
 * (custom field definitions, campaign names) and the fingerprints of files seen.
 */
public final class DryRunLedger implements Ledger {
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
    public Optional<String> newestRun(String mode) {
        return Optional.empty();
    }

    @Override
    public Optional<String> runMappingChecksum(String runId) {
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
        return Optional.empty();
    }

    @Override
    public void markInFlight(RecordKey key, String runId, String contentHash, String knownIntercomId) {
    }

    @Override
    public void markDelivered(RecordKey key, String runId, String contentHash, String intercomId, String outcome) {
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
        return Optional.empty();
    }

    @Override
    public void rememberIdentity(String kind, String naturalKey, String intercomId) {
    }

    @Override
    public void forgetIdentitiesOf(String intercomId) {
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
