package io.intercommigrator.intercom;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The one gate every Intercom request passes. Intercom spreads its quota over 10-second windows and tells the
 * caller where it stands in {@code X-RateLimit-Limit/Remaining/Reset}; the governor starts from the configured
 * per-minute ceiling, then follows those headers. When the window is spent every caller waits for the reset
 * (plus a small margin), so a 429 never turns into a retry storm. It is two steps of the {@code intercom-attempt}
 * route (routes/deliver.camel.yaml): {@link #admit} before the HTTP call, {@link #readHeaders} after it.
 */
public final class RateLimitGovernor {
    /** The ticket of the attempt under way (exchange property), from {@link #admit} to {@link #readHeaders}. */
    static final String TICKET = "migratorGovernorTicket";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RateLimitGovernor.class);
    static final long WINDOW_MILLIS = 10_000;

    private final Clock clock;
    private final long resetMarginMillis;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition windowOpened = lock.newCondition();

    private int limit;
    private long resetAtMillis;
    private long issued;
    /** The lowest X-RateLimit-Remaining seen for the window ending at resetAtMillis: Intercom's latest count of it. */
    private int serverRemaining;
    /** Requests sent whose response has not been observed yet: Intercom may not have counted them. */
    private int inFlight;
    /** Responses of the current window that carried no quota headers (dropped connections): maybe counted. */
    private int unknown;
    /** The current window got a 429: nothing more is sent before its reset. */
    private boolean spent;
    private final AtomicLong waitedMillis = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();

    public RateLimitGovernor(int ceilingPerMinute, long resetMarginMillis, Clock clock) {
        this.clock = clock;
        this.resetMarginMillis = resetMarginMillis;
        this.limit = Math.max(1, (int) Math.ceil(ceilingPerMinute / 6.0));
        this.resetAtMillis = nextBoundary(clock.millis());
        this.serverRemaining = limit;
    }

    /**
     * Blocks until a request may be sent within the quota. Returns the request's ticket (its place in the sending
     * order), to be handed to {@link #observe} with the response.
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
                if (available() > 0) {
                    inFlight++;
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

    /** Route step before the HTTP call: waits for a place in the quota and keeps the attempt's ticket. */
    public void admit(Exchange exchange) {
        try {
            exchange.setProperty(TICKET, acquire());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IntercomApiException.Transient(0, "interrupted", "interrupted while waiting for the rate limit",
                    exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class) + " "
                            + exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class), false, e);
        }
    }

    /**
     * Route step after the HTTP call: reads the quota headers of the answer to the attempt's ticket (none when the
     * request got no answer: the exception the call met is in {@link Exchange#EXCEPTION_CAUGHT}).
     */
    public void readHeaders(Exchange exchange) {
        Long ticket = exchange.getProperty(TICKET, Long.class);
        if (ticket == null) {
            return;
        }
        exchange.removeProperty(TICKET);
        Message answer = exchange.getMessage();
        Integer status = exchange.getProperty(Exchange.EXCEPTION_CAUGHT) == null
                ? answer.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class) : null;
        observe(ticket, status == null ? null : header(answer, "X-RateLimit-Limit", Integer.class),
                status == null ? null : header(answer, "X-RateLimit-Remaining", Integer.class),
                status == null ? null : header(answer, "X-RateLimit-Reset", Long.class), status != null && status == 429);
    }

    private static <T> T header(Message m, String name, Class<T> type) {
        try {
            return m.getHeader(name, type);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * What may still be sent in the current window: Intercom counts a request when it arrives, so the lowest
     * {@code X-RateLimit-Remaining} seen for the window is its latest count, and every request whose response is still
     * out may have arrived after it (threads reach the network in no particular order, and responses come back in
     * none either). Subtracting all of them never overshoots; the estimate rises again as their responses return.
     */
    private int available() {
        if (spent) {
            return 0;
        }
        return Math.min(limit, serverRemaining) - inFlight - unknown;
    }

    /**
     * Reads the quota headers of the response to the request holding {@code ticket}. A response of an earlier window
     * only frees its place in flight; a response of a later window starts that window. Once a window got a 429, no
     * later response of that window reopens it. Any header may be null (a dropped connection).
     */
    public void observe(long ticket, Integer headerLimit, Integer headerRemaining, Long headerResetEpochSeconds, boolean was429) {
        lock.lock();
        try {
            if (headerLimit != null && headerLimit > 0) {
                limit = headerLimit;
            }
            inFlight = Math.max(0, inFlight - 1);
            if (headerResetEpochSeconds != null && headerRemaining != null) {
                long reset = headerResetEpochSeconds * 1000;
                if (reset > resetAtMillis) {
                    // Intercom is in a later window than we thought: start it from its count
                    resetAtMillis = reset;
                    serverRemaining = headerRemaining;
                    unknown = 0;
                    spent = false;
                } else if (reset == resetAtMillis) {
                    serverRemaining = Math.min(serverRemaining, headerRemaining);
                }
            } else if (!was429) {
                unknown++;
            }
            if (was429) {
                LOG.info("Intercom answered 429 (rate limit); no request before the window resets in {} ms",
                        Math.max(0, resetAtMillis - clock.millis()));
                rateLimited.incrementAndGet();
                spent = true;
                if (headerResetEpochSeconds != null && headerResetEpochSeconds * 1000 > resetAtMillis) {
                    resetAtMillis = headerResetEpochSeconds * 1000;
                } else if (resetAtMillis <= clock.millis()) {
                    resetAtMillis = nextBoundary(clock.millis());
                }
            }
            if (available() > 0) {
                windowOpened.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private void openWindow(long now) {
        resetAtMillis = nextBoundary(now);
        serverRemaining = limit;
        unknown = 0;
        spent = false;
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
