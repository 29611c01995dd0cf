package io.intercommigrator.mapping;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.intercommigrator.core.RunControl;

/**
 * Order within a thread, parallelism across threads, for the files whose rows append to a thread that already exists
 * (ticket_messages.csv, voip_calls.csv): their splits run on the delivery pool like every other file, and this route
 * step lets a row through only when every earlier row of the same thread (same value of the spec's order column, in
 * file order) is done, delivered or dead-lettered. Each file gets its own {@link Lanes}; the reader numbers the rows
 * per key as it reads them, in file order.
 *
 * <p>No deadlock: the split hands rows to the pool in file order and the pool takes them first in, first out, so a
 * row that waits only ever waits for rows that started before it. Should a wait still last longer than
 * {@code delivery.order-wait-seconds}, the row goes on out of order with a warning instead of hanging the run.
 */
public final class ThreadOrder {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadOrder.class);

    private final RunControl run;
    private final Duration maxWait;

    private final java.util.function.BooleanSupplier paused;

    public ThreadOrder(RunControl run, Duration maxWait) {
        this(run, maxWait, () -> false);
    }

    /** @param paused true while delivery is paused (an Intercom outage): a row's wait for its earlier rows starts afresh */
    public ThreadOrder(RunControl run, Duration maxWait, java.util.function.BooleanSupplier paused) {
        this.run = run;
        this.maxWait = maxWait;
        this.paused = paused;
    }

    /** A row's place: its file's lanes, its thread's lane (key) and its number among that lane's rows. */
    public record Ticket(Lanes lanes, Lane lane, String key, long seq) {
    }

    /**
     * One thread's (or contact stripe's) rows: how many the reader numbered, and how many of them, from the first on,
     * are done. A ticket holds its lane, so a row's wait and its leaving look nothing up by key.
     */
    public static final class Lane {
        private long issued; // reader thread only
        private volatile long done; // written under the file's lock; read without it only to skip the wait
    }

    /** The order state of one file being read. */
    public static final class Lanes {
        private final Map<String, Lane> byKey = new HashMap<>(); // reader thread only
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();

        /** Called by the reader, in file order. */
        public Ticket next(String key) {
            Lane lane = byKey.computeIfAbsent(key, k -> new Lane());
            return new Ticket(this, lane, key, lane.issued++);
        }

        void leave(Ticket t) {
            lock.lock();
            try {
                if (t.lane().done < t.seq() + 1) {
                    t.lane().done = t.seq() + 1;
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Route step, first in the record route: waits for the row's turn, and frees the next row when this one ends. */
    public void enter(Exchange exchange) throws InterruptedException {
        WorkItem item = exchange.getMessage().getBody(WorkItem.class);
        Ticket t = item == null ? null : item.orderTicket();
        if (t == null) {
            return; // replayed or unordered
        }
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange ended) {
                t.lanes().leave(t); // delivered, dead-lettered or failed: the next row of the thread may go
            }
        });
        if (t.lane().done >= t.seq()) {
            return; // every earlier row of its lane is done (the first row of a lane never waits)
        }
        Lanes lanes = t.lanes();
        long deadline = System.nanoTime() + maxWait.toNanos();
        lanes.lock.lock();
        try {
            while (t.lane().done < t.seq()) {
                run.checkRunning();
                if (paused.getAsBoolean()) {
                    deadline = System.nanoTime() + maxWait.toNanos(); // the earlier rows wait out the outage too
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn("{}: waited {} s for the earlier rows of {}; going on out of order", item, maxWait.toSeconds(), t.key());
                    return;
                }
                lanes.changed.await(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
            }
        } finally {
            lanes.lock.unlock();
        }
    }
}
