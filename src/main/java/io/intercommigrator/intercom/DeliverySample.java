package io.intercommigrator.intercom;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import io.intercommigrator.mapping.ContactPlan;
import io.intercommigrator.mapping.PlannedRecord;
import io.intercommigrator.mapping.ThreadPlan;

/**
 * A seeded random sample of what this run delivered, per object type (contact, conversation, ticket), for the
 * read-back {@link Verifier}. Thread-safe; memory is bounded by the sample size per type.
 * <p>
 * Each record gets a pseudo-random rank from the seed, its type and its source key; every type keeps the
 * {@code size} records of lowest rank (a bottom-k sample, which is a uniform random sample). The result depends on
 * the seed and on what was delivered, never on the order delivery threads happened to finish in. Threads are sampled
 * per type and kind of source file ("conversation" from chats.json, from social_messages.csv, from voip_calls.csv, …),
 * so a kind delivered in small numbers beside a large one is still read back: {@link #draw()} gives every type and
 * kind present at least one slot and splits the rest in proportion to how many of each were delivered.
 * An object delivered twice in a run (two source records merged into one contact) is one item, holding the plan
 * sent last. Parts appended to a thread that was there already (ticket_messages.csv rows, a VoIP call's note on the
 * visitor's conversation) are items of their own type, one per thread, holding every such part of it ({@link #appended}).
 */
public final class DeliverySample {
    public static final String CONTACT = "contact";
    public static final String CONVERSATION = "conversation";
    public static final String TICKET = "ticket";
    /** ticket_messages.csv rows appended to their ticket's thread (the run's object type of those rows). */
    public static final String CONVERSATION_PART = "conversation_part";
    /** A ClickDesk VoIP call's admin note placed on the visitor's conversation (the run's object type of calls). */
    public static final String NOTE = "note";

    /**
     * One delivered object: its type, its Intercom id, the plan it was delivered from, what was sent for it (contacts:
     * the payload of the create / update, after the run fitted it to the workspace; null for threads) and whether the
     * run merged it into a contact that was not its own (identity fields and role kept as they were).
     */
    public record Item(String objectType, String intercomId, PlannedRecord plan, JsonNode sent, boolean merged, Origin origin) {
        /** An item whose source record is not known (the read-back compares it with what was sent). */
        public Item(String objectType, String intercomId, PlannedRecord plan, JsonNode sent, boolean merged) {
            this(objectType, intercomId, plan, sent, merged, null);
        }

        public String source() {
            return plan.key().toString();
        }

        public Item withOrigin(Origin origin) {
            return new Item(objectType, intercomId, plan, sent, merged, origin);
        }

        /** Parts appended to a thread that was there already ({@link #appended}): only those parts are compared. */
        public boolean appendedParts() {
            return CONVERSATION_PART.equals(objectType) || NOTE.equals(objectType);
        }

        /** The stratum the sample draws from: contacts by type; threads by type and kind of source file. */
        String stratum() {
            if (CONTACT.equals(objectType) || origin == null || origin.kind() == null) {
                return objectType;
            }
            return objectType + '\u0000' + origin.kind();
        }
    }

    /**
     * Where a sampled object came from: the file and line, the kind of file ("clickdesk visitors.csv", as the intake
     * names it) and the record as read (a column → value map for CSV, a JSON node for JSON). The read-back compares
     * Intercom with this record through rules of its own ({@link SourceRules}), not with what the mapper made of it.
     */
    public record Origin(String file, long line, String kind, Object record) {
        public static Origin of(io.intercommigrator.mapping.WorkItem item) {
            return item == null ? null : new Origin(item.file(), item.line(), item.kind(), item.verificationRecord());
        }
    }

    private final int size;
    private final long seed;
    private final Map<String, Reservoir> byType = new LinkedHashMap<>();

    public DeliverySample(int size, long seed) {
        if (size < 0) {
            throw new IllegalArgumentException("verification.sample-size must not be negative: " + size);
        }
        this.size = size;
        this.seed = seed;
    }

    /**
     * Everything the run delivers is read back (a {@code --sample N} run: few records, each of which the customer is
     * about to look at). Memory is bounded by what such a run delivers.
     */
    public static DeliverySample everything(long seed) {
        return new DeliverySample(Integer.MAX_VALUE, seed);
    }

    public int size() {
        return size;
    }

    /** True when every delivered object is read back, not a random subset. */
    public boolean everything() {
        return size == Integer.MAX_VALUE;
    }

    public long seed() {
        return seed;
    }

    /** A contact this run created or updated, with the payload it sent. */
    public void contact(ContactPlan plan, String intercomId, JsonNode sent, boolean merged) {
        record(new Item(CONTACT, intercomId, plan, sent, merged));
    }

    /** A conversation or ticket this run delivered in full (created, or given new parts / metadata). */
    public void thread(ThreadPlan plan, String intercomId) {
        thread(plan, intercomId, null);
    }

    /** A conversation or ticket this run delivered in full, with the source record it was mapped from. */
    public void thread(ThreadPlan plan, String intercomId, Origin origin) {
        record(new Item(plan.kind() == ThreadPlan.Kind.TICKET ? TICKET : CONVERSATION, intercomId, plan, null, false, origin));
    }

    /**
     * The source record of a contact just delivered from {@code plan}: given to the sampled item of that id when it
     * holds that very plan (a later delivery to the same contact replaced it otherwise). Keeps memory bounded.
     */
    public void origin(String objectType, String intercomId, PlannedRecord plan, Origin origin) {
        if (intercomId == null || origin == null || size == 0) {
            return;
        }
        Reservoir r;
        synchronized (byType) {
            r = byType.get(objectType);
        }
        if (r != null) {
            r.attach(intercomId, plan, origin);
        }
    }

    public void record(Item item) {
        if (item.intercomId() == null || size == 0) {
            return;
        }
        reservoir(item).offer(rank(item.objectType(), item.source()), item, null);
    }

    /**
     * Parts this run appended to thread {@code threadId} (a ticket or a conversation delivered before): ticket_messages.csv
     * rows ({@link #CONVERSATION_PART}), a VoIP call's note on the visitor's conversation ({@link #NOTE}). One item per
     * thread and type, ranked by {@code thread}'s key (ticket messages: their thread's, so all rank alike; a call: its
     * own): a later part of a thread held in the sample joins it (its source row goes to the item's origin, a list of
     * rows), so the read-back compares them together, in their order.
     *
     * @param thread the key and kind (ticket / conversation) of what was appended, its parts the ones appended
     */
    public void appended(String objectType, ThreadPlan thread, String threadId, Origin origin) {
        if (threadId == null || size == 0) {
            return;
        }
        Origin rows = origin == null ? null : new Origin(origin.file(), origin.line(), origin.kind(),
                new ArrayList<>(List.of(origin.record() == null ? Map.of() : origin.record())));
        Item item = new Item(objectType, threadId, thread, null, false, rows);
        reservoir(item).offer(rank(objectType, item.source()), item, DeliverySample::joined);
    }

    /** A thread's appended parts held so far, with those just appended. */
    private static Item joined(Item held, Item more) {
        ThreadPlan a = (ThreadPlan) held.plan();
        List<ThreadPlan.PartPlan> parts = new ArrayList<>(a.parts());
        parts.addAll(((ThreadPlan) more.plan()).parts());
        ThreadPlan plan = new ThreadPlan(a.key(), a.kind(), null, 0, "", List.of(), null, null, Map.of(), Map.of(), Map.of(),
                null, null, parts, List.of());
        Origin origin = held.origin();
        if (origin == null || more.origin() == null) {
            origin = origin == null ? more.origin() : origin;
        } else {
            List<Object> rows = new ArrayList<>((List<?>) origin.record());
            rows.addAll((List<?>) more.origin().record());
            origin = new Origin(origin.file(), Math.min(origin.line(), more.origin().line()), origin.kind(), rows);
        }
        return new Item(held.objectType(), held.intercomId(), plan, null, false, origin);
    }

    private Reservoir reservoir(Item item) {
        synchronized (byType) {
            return byType.computeIfAbsent(item.stratum(), t -> new Reservoir(item.objectType()));
        }
    }

    /** Starts the sample afresh: a service reads back each drop's own deliveries once that drop is done. */
    public void clear() {
        synchronized (byType) {
            byType.clear();
        }
    }

    /** How many deliveries of each type were offered to the sample (a type present in the run has at least one). */
    public Map<String, Long> delivered() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, Reservoir> e : sortedTypes()) {
            out.merge(e.getValue().objectType, e.getValue().seen(), Long::sum);
        }
        return out;
    }

    /** The sample: at most {@code size} items (more only when there are more types than slots), grouped by type. */
    public List<Item> draw() {
        List<Map.Entry<String, Reservoir>> types = sortedTypes();
        Map<String, List<Item>> held = new LinkedHashMap<>();
        Map<String, Long> seen = new LinkedHashMap<>();
        for (Map.Entry<String, Reservoir> e : types) {
            held.put(e.getKey(), e.getValue().lowest());
            seen.put(e.getKey(), e.getValue().seen());
        }
        Map<String, Integer> slots = allocate(size, seen, held);
        List<Item> out = new ArrayList<>();
        held.forEach((type, items) -> out.addAll(items.subList(0, slots.get(type))));
        return out;
    }

    /**
     * Slots per type: one for every type present, the rest in proportion to what each type delivered (largest
     * remainder, ties in type order), never more than a type holds; slots a type cannot use go to the others.
     */
    static Map<String, Integer> allocate(int size, Map<String, Long> seen, Map<String, List<Item>> held) {
        Map<String, Integer> slots = new LinkedHashMap<>();
        List<String> present = new ArrayList<>();
        long total = 0;
        for (String type : seen.keySet()) {
            boolean any = !held.get(type).isEmpty();
            slots.put(type, any ? 1 : 0);
            if (any) {
                present.add(type);
                total += seen.get(type);
            }
        }
        int rest = size - present.size();
        if (rest <= 0 || total == 0) {
            return slots;
        }
        Map<String, Double> fraction = new HashMap<>();
        int given = 0;
        for (String type : present) {
            double exact = (double) rest * seen.get(type) / total;
            int whole = (int) Math.floor(exact);
            slots.merge(type, whole, Integer::sum);
            fraction.put(type, exact - whole);
            given += whole;
        }
        List<String> byRemainder = new ArrayList<>(present);
        byRemainder.sort(Comparator.comparing((String t) -> -fraction.get(t)));
        for (int i = 0; i < rest - given; i++) {
            slots.merge(byRemainder.get(i % byRemainder.size()), 1, Integer::sum);
        }
        // cap at what each type holds; hand the surplus to types that have more, the largest first
        int surplus = 0;
        for (String type : present) {
            int cap = held.get(type).size();
            if (slots.get(type) > cap) {
                surplus += slots.get(type) - cap;
                slots.put(type, cap);
            }
        }
        List<String> bySize = new ArrayList<>(present);
        bySize.sort(Comparator.comparing((String t) -> -seen.get(t)));
        for (String type : bySize) {
            int room = held.get(type).size() - slots.get(type);
            int take = Math.min(room, surplus);
            slots.merge(type, take, Integer::sum);
            surplus -= take;
        }
        return slots;
    }

    private List<Map.Entry<String, Reservoir>> sortedTypes() {
        List<Map.Entry<String, Reservoir>> types;
        synchronized (byType) {
            types = new ArrayList<>(byType.entrySet());
        }
        types.sort(Comparator.comparing(e -> typeOrder(e.getKey())));
        return types;
    }

    /** Contacts, conversations, tickets, then other types; the kinds of one type by name. */
    private static String typeOrder(String stratum) {
        int kind = stratum.indexOf('\u0000');
        String type = kind < 0 ? stratum : stratum.substring(0, kind);
        String rest = kind < 0 ? "" : stratum.substring(kind);
        return switch (type) {
            case CONTACT -> "0";
            case CONVERSATION -> "1";
            case TICKET -> "2";
            default -> "3" + type;
        } + rest;
    }

    private static final long NOT_ASCII = 0; // also a hash that happens to be 0: then computed again on the bytes

    /** FNV-1a of ASCII text continued from {@code h} without encoding it (every delivery is ranked); else NOT_ASCII. */
    private static long ascii(long h, String text) {
        if (h == NOT_ASCII) {
            return NOT_ASCII;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                return NOT_ASCII;
            }
            h ^= c;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** A pseudo-random 64-bit rank from the seed, the type and the source key (FNV-1a, then SplitMix64's finaliser). */
    long rank(String type, String source) {
        long h = ascii(ascii(ascii(0xcbf29ce484222325L, type), "\u0000"), source);
        if (h == NOT_ASCII) {
            h = 0xcbf29ce484222325L;
            for (byte b : (type + '\u0000' + source).getBytes(StandardCharsets.UTF_8)) {
                h ^= b & 0xff;
                h *= 0x100000001b3L;
            }
        }
        long z = h ^ (seed * 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * The {@code size} lowest-ranked items of one stratum; an Intercom id offered again keeps one slot with the newest
     * plan, or (appended parts) with the item joined to the one held.
     */
    private final class Reservoir {
        private final String objectType;
        private final TreeMap<Long, Item> lowest = new TreeMap<>(Long::compareUnsigned);
        private final Map<String, Long> rankById = new HashMap<>();
        private long seen;

        Reservoir(String objectType) {
            this.objectType = objectType;
        }

        synchronized void offer(long rank, Item item, java.util.function.BinaryOperator<Item> join) {
            Long held = rankById.get(item.intercomId());
            if (held != null) {
                long keep = Long.compareUnsigned(rank, held) < 0 ? rank : held;
                Item kept = lowest.remove(held);
                lowest.put(keep, join == null ? item : join.apply(kept, item));
                rankById.put(item.intercomId(), keep);
                return;
            }
            seen++;
            if (lowest.size() < size) {
                put(rank, item);
            } else if (Long.compareUnsigned(rank, lowest.lastKey()) < 0 && !lowest.containsKey(rank)) {
                rankById.remove(lowest.pollLastEntry().getValue().intercomId());
                put(rank, item);
            }
        }

        private void put(long rank, Item item) {
            if (lowest.containsKey(rank)) {
                return; // a 64-bit collision: the first one stays
            }
            lowest.put(rank, item);
            rankById.put(item.intercomId(), rank);
        }

        synchronized void attach(String intercomId, PlannedRecord plan, Origin origin) {
            Long rank = rankById.get(intercomId);
            if (rank != null && lowest.get(rank) != null && lowest.get(rank).plan() == plan) {
                lowest.put(rank, lowest.get(rank).withOrigin(origin));
            }
        }

        synchronized long seen() {
            return seen;
        }

        synchronized List<Item> lowest() {
            return List.copyOf(lowest.values());
        }
    }
}
