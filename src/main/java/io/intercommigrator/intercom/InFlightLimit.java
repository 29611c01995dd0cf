package io.intercommigrator.intercom;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

/**
 * How many Intercom requests are out at the same time. The rate governor decides how many requests a window allows;
 * this decides how many may wait for their answers at once, which is what fills the window when Intercom is far away:
 * by Little's law a quota of R requests per second at a latency of L seconds needs R × L requests in flight, so the
 * limit follows {@code rate × observed latency × headroom}, between {@code floor} (also where it starts, before any
 * answer was timed) and {@code max}; the latency is the median of the last {@value #LATENCY_SAMPLES} answers, so a
 * few slow ones (a cold connection, a pause) do not swing it. A 429 or a burst of 5xx / unanswered requests halves a ceiling on top of that,
 * which then grows back by one for every ceiling's worth of good answers (additive increase, multiplicative decrease);
 * only requests sent after the last decrease can decrease it again, and only their failures make the next burst, so
 * the answers of one burst count once.
 */
public final class InFlightLimit {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InFlightLimit.class);
    static final double HEADROOM = 1.5;
    /** Answers whose latency makes the median the limit follows. */
    static final int LATENCY_SAMPLES = 64;
    /** A burst: this many 5xx or unanswered requests among the last {@link #FAILURE_SPAN} answers. */
    static final int FAILURE_BURST = 5;
    static final int FAILURE_SPAN = 20;

    private final int floor;
    private final int max;
    private final IntSupplier perMinute;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();

    private int inUse;
    private int limit;
    private int ceiling;
    private int goodSinceGrowth;
    private final long[] latencies = new long[LATENCY_SAMPLES];
    private int latencyCount;
    private double latencySeconds = -1;
    private long sent;
    private long decreasedAt;
    private final boolean[] recentFailures = new boolean[FAILURE_SPAN];
    private int recentIndex;
    private int recentFailureCount;
    private int peak;
    private int highestLimit;
    private int lowestLimit;
    private int decreases;
    /** The limit last written to the log (a change of a quarter or more is). */
    private int logged;

    /**
     * @param floor     the limit before any answer was timed, and the lowest the latency can make it (at least 1)
     * @param max       the most requests ever out at once (delivery threads and HTTP connections are sized to it)
     * @param perMinute the quota as currently known (the governor's, from {@code X-RateLimit-Limit})
     */
    public InFlightLimit(int floor, int max, IntSupplier perMinute) {
        if (floor < 1 || max < floor) {
            throw new IllegalArgumentException("need 1 <= floor <= max, not " + floor + " and " + max);
        }
        this.floor = floor;
        this.max = max;
        this.perMinute = perMinute;
        this.limit = floor;
        this.ceiling = max;
        this.highestLimit = floor;
        this.lowestLimit = floor;
        this.logged = floor;
    }

    /** Blocks until one more request may be out; returns its ticket for {@link #exit}. */
    public long enter() throws InterruptedException {
        lock.lock();
        try {
            while (inUse >= limit) {
                freed.await();
            }
            inUse++;
            peak = Math.max(peak, inUse);
            return ++sent;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The request holding {@code ticket} is answered (or failed): its place is free again.
     *
     * @param latencyNanos time from sending to its answer, or a negative number when it says nothing about latency
     * @param status       the HTTP status, or null when no answer came
     */
    public void exit(long ticket, long latencyNanos, Integer status) {
        lock.lock();
        try {
            inUse--;
            boolean failed = status == null || status >= 500;
            boolean afterDecrease = ticket > decreasedAt;
            if (afterDecrease) {
                // the failures of a burst already answered by a decrease are not counted again towards the next one:
                // a burst of N failures out at once (a flap, stale kept-alive connections) halves the limit once
                recentFailureCount += (failed ? 1 : 0) - (recentFailures[recentIndex] ? 1 : 0);
                recentFailures[recentIndex] = failed;
                recentIndex = (recentIndex + 1) % FAILURE_SPAN;
            }
            boolean overloaded = (status != null && status == 429) || recentFailureCount >= FAILURE_BURST;
            if (overloaded && afterDecrease) {
                ceiling = Math.max(1, limit / 2);
                decreasedAt = sent;
                decreases++;
                goodSinceGrowth = 0;
                java.util.Arrays.fill(recentFailures, false);
                recentFailureCount = 0;
                LOG.info("Intercom answered {}: at most {} requests in flight for now", status == null ? "nothing" : status, ceiling);
            } else if (!overloaded && !failed && ceiling < max && ++goodSinceGrowth >= ceiling) {
                ceiling++;
                goodSinceGrowth = 0;
            }
            if (latencyNanos >= 0 && !failed && status != 429) {
                latencies[latencyCount++ % LATENCY_SAMPLES] = latencyNanos;
                long[] recent = java.util.Arrays.copyOf(latencies, Math.min(latencyCount, LATENCY_SAMPLES));
                java.util.Arrays.sort(recent);
                latencySeconds = recent[recent.length / 2] / 1e9;
            }
            int before = limit;
            limit = Math.min(ceiling, Math.max(floor, target()));
            highestLimit = Math.max(highestLimit, limit);
            lowestLimit = Math.min(lowestLimit, limit);
            if (Math.abs(limit - logged) * 4 >= logged) {
                logged = limit;
                LOG.info("Up to {} requests in flight ({} ms latency, {} calls/min quota)", limit,
                        Math.round(Math.max(0, latencySeconds) * 1000), perMinute.getAsInt());
            }
            if (limit > before) {
                freed.signalAll();
            } else if (inUse < limit) {
                freed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Requests in flight that fill the quota at the latency seen so far, with headroom for its jitter. */
    private int target() {
        if (latencySeconds < 0) {
            return floor;
        }
        double perSecond = perMinute.getAsInt() / 60.0;
        return (int) Math.min(max, Math.ceil(perSecond * latencySeconds * HEADROOM));
    }

    /** The number of requests that may be out right now. */
    public int limit() {
        lock.lock();
        try {
            return limit;
        } finally {
            lock.unlock();
        }
    }

    /** The most requests that were out at once. */
    public int peak() {
        lock.lock();
        try {
            return peak;
        } finally {
            lock.unlock();
        }
    }

    /** The highest the limit has been. */
    public int highestLimit() {
        lock.lock();
        try {
            return highestLimit;
        } finally {
            lock.unlock();
        }
    }

    /** For the report: where the limit started, how high and low it went, the most requests out, the decreases. */
    public java.util.Map<String, Long> summary() {
        lock.lock();
        try {
            java.util.Map<String, Long> s = new java.util.LinkedHashMap<>();
            s.put("start", (long) floor);
            s.put("highest_limit", (long) highestLimit);
            s.put("lowest_limit", (long) lowestLimit);
            s.put("peak", (long) peak);
            s.put("decreases", (long) decreases);
            s.put("median_latency_ms", latencySeconds < 0 ? 0 : Math.round(latencySeconds * 1000));
            return s;
        } finally {
            lock.unlock();
        }
    }

    /** The median latency of the last answers, in milliseconds (0 before the first answer). */
    public long latencyMillis() {
        lock.lock();
        try {
            return latencySeconds < 0 ? 0 : Math.round(latencySeconds * 1000);
        } finally {
            lock.unlock();
        }
    }
}
