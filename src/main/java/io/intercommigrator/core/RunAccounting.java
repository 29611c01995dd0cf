package io.intercommigrator.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every record of the run, counted: read from a source, then exactly one outcome. The reconciliation report is
 * built from these counts, so {@code source = created + updated + unchanged + skipped + dead_lettered} holds
 * for every object type once the run has finished.
 */
public final class RunAccounting {
    public static final List<String> OBJECT_TYPES = List.of("contact", "conversation", "ticket", "conversation_part", "tag", "note");

    public enum Outcome { CREATED, UPDATED, UNCHANGED, SKIPPED, DEAD_LETTERED }

    /**
     * One line of the reconciliation queue: what needs a person's attention, and why; {@code details} says where, field
     * by field, when the entry is about one value of one record (file, line, column, attribute, value).
     */
    public record QueueEntry(String kind, String subject, String reason, Map<String, Object> details) {
        public QueueEntry(String kind, String subject, String reason) {
            this(kind, subject, reason, Map.of());
        }
    }

    /** The kind of queue entry for a value left off a record that still moved. */
    public static final String VALUE_LEFT_OFF = "value left off";
    private static final int SHOWN_VALUE_CHARS = 120;

    /**
     * What a mapper left out of a record that still moves (mapping.md: a bad value costs a field, never the record):
     * each value that does not fit its attribute is queued with its file, line, column, value and reason; each
     * message left out of its thread (empty, or one message exported twice) is a conversation_part read and skipped.
     */
    public void leftOff(String file, long line, List<LeftOffValue> leftOff) {
        for (LeftOffValue v : leftOff) {
            String where = file + ":" + line + ", " + v.column();
            if (v.isMessage()) {
                source("conversation_part");
                skipped("conversation_part", where, v.reason());
                continue;
            }
            String shown = v.value().codePointCount(0, v.value().length()) <= SHOWN_VALUE_CHARS ? v.value()
                    : v.value().substring(0, v.value().offsetByCodePoints(0, SHOWN_VALUE_CHARS)) + "…";
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("file", file);
            details.put("line", line);
            details.put("column", v.column());
            details.put("attribute", v.attribute());
            details.put("value", shown);
            String subject = file + ":" + line + ", column " + v.column();
            String reason = "'" + shown + "' left off " + v.attribute() + ": " + v.reason() + "; the record moved without it";
            if (queueKeys.add(VALUE_LEFT_OFF + "\u0000" + subject + "\u0000" + reason)) {
                queue.add(new QueueEntry(VALUE_LEFT_OFF, subject, reason, Collections.unmodifiableMap(details)));
            }
        }
    }

    private final Map<String, Map<String, LongAdder>> counts = new ConcurrentHashMap<>();
    private final Set<String> systems = new ConcurrentSkipListSet<>();
    private final List<QueueEntry> queue = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> queueKeys = ConcurrentHashMap.newKeySet();
    private final Map<String, LongAdder> leftOut = new ConcurrentHashMap<>();

    public RunAccounting() {
        OBJECT_TYPES.forEach(this::counters);
    }

    public void system(String system) {
        systems.add(system);
    }

    private final LongAdder rowsRead = new LongAdder();

    /** One record read from a file (derived records such as tag applications are not rows). */
    public void rowRead() {
        rowsRead.increment();
    }

    public long rowsRead() {
        return rowsRead.sum();
    }

    public void source(String objectType) {
        counters(objectType).get("source").increment();
    }

    /** A record read as one object type turned out to be another (a ClickDesk ticket routed to a conversation). */
    public void retype(String from, String to) {
        counters(from).get("source").decrement();
        counters(to).get("source").increment();
    }

    public void outcome(String objectType, Outcome outcome) {
        counters(objectType).get(outcome.name().toLowerCase(java.util.Locale.ROOT)).increment();
    }

    /**
     * A sample run read the record but did not choose it: it is left for the full run, so it is taken off this run's
     * source count (which holds only what the sample delivered or tried to) and counted as left out.
     */
    public void leftOutOfSample(String objectType) {
        counters(objectType).get("source").decrement();
        leftOut.computeIfAbsent(objectType, k -> new LongAdder()).increment();
    }

    /** object type → records a sample run left for the full run (empty outside a sample run). */
    public Map<String, Long> leftOut() {
        Map<String, Long> out = new LinkedHashMap<>();
        snapshot().keySet().forEach(type -> {
            LongAdder n = leftOut.get(type);
            if (n != null && n.sum() > 0) {
                out.put(type, n.sum());
            }
        });
        return out;
    }

    /**
     * Forgets every count, outcome and queue entry (not the rows read, which measure progress): a sample run's
     * selection pass reads and maps everything but delivers nothing, and its delivery pass counts again.
     */
    public void reset() {
        counts.values().forEach(m -> m.values().forEach(LongAdder::reset));
        leftOut.clear();
        systems.clear();
        synchronized (queue) {
            queue.clear();
            queueKeys.clear();
        }
    }

    /** A record deliberately not delivered: counted as skipped and listed in the reconciliation queue with its reason. */
    public void skipped(String objectType, String where, String reason) {
        outcome(objectType, Outcome.SKIPPED);
        queue("skipped " + objectType, where, reason);
    }

    /** Adds a reconciliation-queue entry once (the same kind, subject and reason are listed only once). */
    /** Dead letters of one error code (stage, HTTP status, code): how many, and the first few as examples. */
    public record DeadLetterGroup(String stage, int status, String code, long count, List<DeadLetterExample> examples) {
    }

    public record DeadLetterExample(String objectType, String file, long line, String message) {
    }

    private static final int EXAMPLES_PER_CODE = 3;
    private final Map<String, DeadLetterCode> deadLetterCodes = new LinkedHashMap<>(); // guarded by itself

    /** The running tally of one error code. */
    private static final class DeadLetterCode {
        final String stage;
        final int status;
        final String code;
        long count;
        final List<DeadLetterExample> examples = new ArrayList<>();

        DeadLetterCode(String stage, int status, String code) {
            this.stage = stage;
            this.status = status;
            this.code = code;
        }
    }

    /** Counts a dead letter under its error code for the report; the first few of each code are kept as examples. */
    public void deadLetter(String objectType, String stage, int status, String code, String file, long line, String message) {
        synchronized (deadLetterCodes) {
            DeadLetterCode c = deadLetterCodes.computeIfAbsent(stage + "\u0000" + status + "\u0000" + code,
                    k -> new DeadLetterCode(stage, status, code));
            c.count++;
            if (c.examples.size() < EXAMPLES_PER_CODE) {
                c.examples.add(new DeadLetterExample(objectType, file, line, message));
            }
        }
    }

    /** The dead letters by error code, most frequent first. */
    public List<DeadLetterGroup> deadLetterGroups() {
        synchronized (deadLetterCodes) {
            List<DeadLetterGroup> groups = new ArrayList<>();
            for (DeadLetterCode c : deadLetterCodes.values()) {
                groups.add(new DeadLetterGroup(c.stage, c.status, c.code, c.count, List.copyOf(c.examples)));
            }
            groups.sort(java.util.Comparator.comparingLong(DeadLetterGroup::count).reversed());
            return groups;
        }
    }

    public void queue(String kind, String subject, String reason) {
        if (queueKeys.add(kind + "\u0000" + subject + "\u0000" + reason)) {
            queue.add(new QueueEntry(kind, subject, reason));
        }
    }

    /**
     * Queues one entry per kind and subject, whatever the reason says: an unmatched agent met under several display
     * names (agents.csv, chat messages) is one thing to fix, listed once with the first name it was met under.
     */
    public void queueOnce(String kind, String subject, String reason) {
        if (queueKeys.add(kind + "\u0000" + subject)) {
            queue(kind, subject, reason);
        }
    }

    private Map<String, LongAdder> counters(String objectType) {
        return counts.computeIfAbsent(objectType, k -> {
            Map<String, LongAdder> m = new LinkedHashMap<>();
            for (String n : List.of("source", "created", "updated", "unchanged", "skipped", "dead_lettered")) {
                m.put(n, new LongAdder());
            }
            return m;
        });
    }

    /** object type → counter name → value, object types in report order. */
    public Map<String, Map<String, Long>> snapshot() {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        List<String> order = new ArrayList<>(OBJECT_TYPES);
        counts.keySet().stream().filter(k -> !order.contains(k)).sorted().forEach(order::add);
        for (String type : order) {
            Map<String, Long> c = new LinkedHashMap<>();
            counters(type).forEach((k, v) -> c.put(k, v.sum()));
            out.put(type, c);
        }
        return out;
    }

    /** One counter ("source", "created", …, "dead_lettered") of one object type. */
    public long count(String objectType, String counter) {
        return counters(objectType).get(counter).sum();
    }

    public long total(String counter) {
        return snapshot().values().stream().mapToLong(m -> m.get(counter)).sum();
    }

    public Set<String> systems() {
        return systems;
    }

    public List<QueueEntry> queue() {
        synchronized (queue) {
            return List.copyOf(queue);
        }
    }
}
