package io.intercommigrator.intake;

import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.intercommigrator.ledger.RecordKey;
import io.intercommigrator.mapping.ContactPlan;
import io.intercommigrator.mapping.PartAddition;
import io.intercommigrator.mapping.TagApplication;
import io.intercommigrator.mapping.ThreadPlan;
import io.intercommigrator.mapping.WorkItem;
import io.intercommigrator.core.RunAccounting;

/**
 * What a sample run ({@code --sample N}) delivers. Every record route asks {@link #admit} between mapping a record
 * and delivering it; outside a sample run the answer is always yes.
 * <p>
 * A sample run reads the inbox twice, through the same routes and mappers as any run, and moves no file:
 * <ol>
 * <li>selection pass: every record is mapped and offered here; nothing is delivered. Of each kind of source record
 * (visitors.csv, chats.json, tickets.csv, offline_messages.csv, social threads, voip_calls.csv, LeadDesk contacts.csv,
 * leads.csv, call_records.csv, chatbot sessions) the first N in file order are chosen, and with every chosen
 * conversation or ticket the contact it belongs to, wherever that contact stands in its file;</li>
 * <li>delivery pass: the routes deliver exactly what was chosen, plus what belongs to it and arrives in a file of its
 * own: the ticket_messages.csv rows of a chosen ticket and the tags.csv rows on a chosen object (a thread's inline
 * messages and tags come with it anyway). Everything else is left out: neither delivered nor dead-lettered, counted
 * under {@code sample.left_out}, left for the full run. A record that cannot be mapped is never chosen.</li>
 * </ol>
 * Source keys decide, not the order records reach this step (parallel delivery threads make that random), so the
 * delivery pass takes exactly the selection and a second {@code --sample N} chooses the same records. Memory: N
 * candidates per kind and their contacts' keys.
 */
public final class SampleSelection implements org.apache.camel.Predicate {
    private static final Logger LOG = LoggerFactory.getLogger(SampleSelection.class);

    private enum Pass { OFF, SELECTING, DELIVERING }

    /** A record that could be chosen: where it stands in its file, its ledger key and (threads) its contact's key. */
    private record Candidate(String file, long line, RecordKey key, RecordKey contact) {
    }

    private static final Comparator<Candidate> FILE_ORDER = Comparator.comparing(Candidate::file)
            .thenComparingLong(Candidate::line).thenComparing(c -> c.key().toString());

    /** The first {@code perKind} candidates of one kind (a max-heap in file order), and how many were offered. */
    private static final class Kind {
        final PriorityQueue<Candidate> first = new PriorityQueue<>(FILE_ORDER.reversed());
        long offered;
    }

    private final int perKind;
    private final RunAccounting accounting;
    private final Map<String, Kind> kinds = new TreeMap<>();
    private volatile Pass pass;
    private volatile Set<RecordKey> chosen = Set.of();
    private volatile int referencedContacts;

    private SampleSelection(int perKind, RunAccounting accounting, Pass pass) {
        this.perKind = perKind;
        this.accounting = accounting;
        this.pass = pass;
    }

    /** A run that is not a sample: every record is admitted. */
    public static SampleSelection off() {
        return new SampleSelection(0, null, Pass.OFF);
    }

    /** A sample run of {@code perKind} records per kind of source record, starting with its selection pass. */
    public static SampleSelection choosing(int perKind, RunAccounting accounting) {
        if (perKind < 1) {
            throw new IllegalArgumentException("a sample needs at least one record per kind: " + perKind);
        }
        return new SampleSelection(perKind, accounting, Pass.SELECTING);
    }

    public boolean active() {
        return pass != Pass.OFF;
    }

    public int perKind() {
        return perKind;
    }

    /**
     * Route step (the record routes' sample filter), after the mapper: true when the record is to be delivered. In the
     * selection pass it offers the record and returns false; in the delivery pass a record left out is taken off the
     * run's source count and counted under {@code sample.left_out}.
     */
    @Override
    public boolean matches(Exchange exchange) {
        // used as the filter's predicate by reference: no bean-method invocation (which copies the exchange per record)
        return admit(exchange.getMessage().getBody(WorkItem.class), exchange);
    }

    public boolean admit(WorkItem item, Exchange exchange) {
        switch (pass) {
            case OFF:
                return true;
            case SELECTING:
                offer(kindOf(item, exchange), item);
                return false;
            default:
                if (includes(item)) {
                    return true;
                }
                accounting.leftOutOfSample(item.objectType());
                return false;
        }
    }

    /**
     * Whether the record belongs to what this run delivers: always outside a sample run, never in the selection pass.
     * The dead-letter writer asks too, so a record a sample did not choose is never dead-lettered by it.
     */
    public boolean includes(WorkItem item) {
        if (pass == Pass.OFF) {
            return true;
        }
        if (pass == Pass.SELECTING) {
            return false;
        }
        Set<RecordKey> keys = chosen;
        Object plan = item.plan();
        if (plan instanceof ContactPlan contact) {
            return keys.contains(contact.key());
        }
        if (plan instanceof ThreadPlan thread) {
            return keys.contains(thread.key());
        }
        if (plan instanceof PartAddition part) {
            return part.threadKeys().stream().anyMatch(keys::contains);
        }
        if (plan instanceof TagApplication tag) {
            return tag.targets().stream().anyMatch(keys::contains);
        }
        return false; // unparseable, invalid or deliberately skipped: the full run reports it
    }

    private void offer(String kind, WorkItem item) {
        Candidate candidate;
        if (item.plan() instanceof ContactPlan contact) {
            candidate = new Candidate(item.file(), item.line(), contact.key(), null);
        } else if (item.plan() instanceof ThreadPlan thread) {
            candidate = new Candidate(item.file(), item.line(), thread.key(),
                    thread.contact() == null ? null : thread.contact().sourceKey());
        } else {
            return; // ticket messages and tag rows follow the objects they belong to; skips and failures are never chosen
        }
        synchronized (kinds) {
            Kind k = kinds.computeIfAbsent(kind, x -> new Kind());
            k.offered++;
            k.first.add(candidate);
            if (k.first.size() > perKind) {
                k.first.poll(); // the last one in file order
            }
        }
    }

    /** Ends the selection pass: from now on the routes deliver exactly the chosen records and what belongs to them. */
    public void startDelivering() {
        Set<RecordKey> keys = new HashSet<>();
        Set<RecordKey> contacts = new HashSet<>();
        synchronized (kinds) {
            for (Kind k : kinds.values()) {
                for (Candidate c : k.first) {
                    keys.add(c.key());
                    if (c.contact() != null) {
                        contacts.add(c.contact());
                    }
                }
            }
        }
        contacts.removeAll(keys);
        keys.addAll(contacts);
        chosen = Collections.unmodifiableSet(keys);
        referencedContacts = contacts.size();
        pass = Pass.DELIVERING;
        LOG.info("Sample of {} per kind chosen: {}; plus {} contact(s) the chosen conversations and tickets belong to",
                perKind, chosenPerKind(), referencedContacts);
    }

    /** Kind of source record → {chosen, offered}: how many were chosen of how many deliverable records. */
    public Map<String, long[]> chosenPerKind() {
        Map<String, long[]> out = new LinkedHashMap<>();
        synchronized (kinds) {
            kinds.forEach((name, k) -> out.put(name, new long[] {k.first.size(), k.offered}));
        }
        return out;
    }

    /** Contacts delivered because a chosen conversation or ticket belongs to them (beyond the first N of their file). */
    public int referencedContacts() {
        return referencedContacts;
    }

    private static String kindOf(WorkItem item, Exchange exchange) {
        if (item.kind() != null) {
            return item.kind();
        }
        DropKind kind = exchange == null ? null : exchange.getProperty(Intake.KIND, DropKind.class);
        return kind != null ? kind.system() + " " + kind.baseName() : item.system() + " " + item.objectType();
    }
}
