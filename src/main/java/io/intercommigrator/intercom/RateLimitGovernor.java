package io.intercommigrator.intercom;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one gate every Intercom request passes. Intercom spreads its quota over 10-second windows and tells the
 * caller where it stands in {@code X-RateLimit-Limit/Remaining/Reset}; the governor starts from the configured
 * per-minute ceiling, then follows those headers. When the window is spent every caller waits for the reset
 * (plus a small margin), so a 429 never turns into a retry storm.
 */
public final class RateLimitGovernor {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RateLimitGovernor.class);
    static final long WINDOW_MILLIS = 10_000;

    private final Clock clock;
    private final long resetMarginMillis;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition windowOpened = lock.newCondition();

    private int limit;
    private int remaining;
    private long resetAtMillis;
    private long issued;
    private final AtomicLong waitedMillis = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();

    public RateLimitGovernor(int ceilingPerMinute, long resetMarginMillis, Clock clock) {
        this.clock = clock;
        this.resetMarginMillis = resetMarginMillis;
        this.limit = Math.max(1, (int) Math.ceil(ceilingPerMinute / 6.0));
        this.resetAtMillis = nextBoundary(clock.millis());
        this.remaining = limit;
    }

    /**
     * Blocks until a request may be sent within the quota. Returns the request's ticket (its place in the sending
     * order), which {@link #observe} needs to read the quota headers of its response correctly.
     */
    public long acquire() throws InterruptedException {
        long ticket;
        long started = clock.millis();
        lock.lock();
        try {
            while (true) {
                long now = clock.millis();
                if (now >= resetAtMillis + resetMarginMillis) {
                    openWindow(now);
                }
                if (remaining > 0) {
                    remaining--;
                    ticket = ++issued;
                    break;
                }
                windowOpened.await(Math.max(1, resetAtMillis + resetMarginMillis - now), TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
        waitedMillis.addAndGet(clock.millis() - started);
        return ticket;
    }

    /**
     * Reads the quota headers of the response to the request holding {@code ticket}. Intercom counts a request when it
     * arrives, so its {@code X-RateLimit-Remaining} already excludes every request sent before it; only the ones sent
     * after it are still to be subtracted. Any header may be null (a dropped connection).
     */
    public void observe(long ticket, Integer headerLimit, Integer headerRemaining, Long headerResetEpochSeconds, boolean was429) {
        lock.lock();
        try {
            if (headerLimit != null && headerLimit > 0) {
                limit = headerLimit;
            }
            long sentAfter = issued - ticket;
            if (headerResetEpochSeconds != null && headerRemaining != null) {
                long reset = headerResetEpochSeconds * 1000;
                if (reset > resetAtMillis || (reset == resetAtMillis && !was429)) {
                    // the server's view of the window this response belongs to, less what we sent since
                    resetAtMillis = reset;
                    remaining = (int) Math.max(0, Math.min(limit, headerRemaining - sentAfter));
                }
            }
            if (was429) {
                LOG.info("Intercom answered 429 (rate limit); no request before the window resets in {} ms",
                        Math.max(0, resetAtMillis - clock.millis()));
                rateLimited.incrementAndGet();
                remaining = 0;
                if (headerResetEpochSeconds != null && headerResetEpochSeconds * 1000 > resetAtMillis) {
                    resetAtMillis = headerResetEpochSeconds * 1000;
                } else if (resetAtMillis <= clock.millis()) {
                    resetAtMillis = nextBoundary(clock.millis());
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void openWindow(long now) {
        resetAtMillis = nextBoundary(now);
        remaining = limit;
        windowOpened.signalAll();
    }

    private static long nextBoundary(long millis) {
        return (millis / WINDOW_MILLIS + 1) * WINDOW_MILLIS;
    }

    public long waitedMillis() {
        return waitedMillis.get();
    }

    public long rateLimitedCount() {
        return rateLimited.get();
    }

    /** Requests allowed per minute as currently known. */
    public int perMinute() {
        lock.lock();
        try {
            return limit * 6;
        } finally {
            lock.unlock();
        }
    }
}
