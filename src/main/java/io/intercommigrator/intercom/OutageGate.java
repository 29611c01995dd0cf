package io.intercommigrator.intercom;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.intercommigrator.core.ExitCode;
import io.intercommigrator.core.RunControl;

/**
 * The circuit breaker of the one HTTP path: {@code delivery.outage-failures} answers in a row that are 5xx or no
 * answer at all mean Intercom is down, not that the records are wrong. While it is down no request goes out except
 * one probe ({@code GET /me}) every {@code delivery.outage-probe-interval-ms}; every caller waits here, so records
 * neither send nor spend their retry budget ({@link RetryBudget} forgives a failure an outage explains) and none is
 * dead-lettered. The first answer that is not a 5xx (the probe's, or a late one of a request already in flight)
 * opens the path again. A --once run gives up after {@code delivery.outage-timeout-seconds} with one message and
 * exit 1, leaving what it did not deliver for the next run; service mode waits as long as the outage lasts.
 */
public final class OutageGate {
    private static final Logger LOG = LoggerFactory.getLogger(OutageGate.class);

    /** What {@link #enter()} lets the caller do: send its request, or send the probe first. */
    public enum Permit { SEND, PROBE }

    private final int failuresToOpen;
    private final long probeIntervalMillis;
    private final long giveUpAfterMillis;
    private final Clock clock;
    private final RunControl run;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    private int failuresInARow;
    private long downSince = -1;
    private long nextProbeAt;
    private boolean probing;
    private String lastFailure = "";
    private final AtomicLong outages = new AtomicLong();
    private final AtomicLong probes = new AtomicLong();
    private final AtomicLong downMillis = new AtomicLong();

    /** @param giveUpAfterMillis 0: wait as long as the outage lasts (service mode) */
    public OutageGate(int failuresToOpen, long probeIntervalMillis, long giveUpAfterMillis, Clock clock, RunControl run) {
        this.failuresToOpen = Math.max(1, failuresToOpen);
        this.probeIntervalMillis = Math.max(1, probeIntervalMillis);
        this.giveUpAfterMillis = giveUpAfterMillis;
        this.clock = clock;
        this.run = run;
    }

    /**
     * Before each request: returns at once while Intercom answers; during an outage blocks until it answers again,
     * except for the one caller whose turn it is to probe ({@link Permit#PROBE}). Gives the run up when the outage
     * outlasts the timeout (the {@link RunControl.RunAbortedException} it throws stops the record, not a dead letter).
     */
    public Permit enter() {
        lock.lock();
        try {
            while (true) {
                run.checkRunning();
                if (downSince < 0) {
                    return Permit.SEND;
                }
                long now = clock.millis();
                if (giveUpAfterMillis > 0 && now - downSince >= giveUpAfterMillis) {
                    run.abort(ExitCode.FAILED, String.format("Intercom has been unavailable for %d s (%s; %d probe(s) of GET /me "
                            + "unanswered): gave up after delivery.outage-timeout-seconds. Nothing was dead-lettered for the "
                            + "outage: what was not delivered stays in the inbox and the ledger for the next run (--once again "
                            + "once Intercom answers)", (now - downSince) / 1000, lastFailure, probes.get()));
                    changed.signalAll();
                    run.checkRunning();
                }
                if (!probing && now >= nextProbeAt) {
                    probing = true;
                    probes.incrementAndGet();
                    return Permit.PROBE;
                }
                long wait = probing ? probeIntervalMillis : nextProbeAt - now;
                if (giveUpAfterMillis > 0) {
                    wait = Math.min(wait, downSince + giveUpAfterMillis - now);
                }
                changed.await(Math.max(1, Math.min(wait, 1000)), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IntercomApiException.Transient(0, "interrupted", "interrupted while Intercom was unavailable", "outage", false, e);
        } finally {
            lock.unlock();
        }
    }

    /** Intercom answered (anything but a 5xx, a 429 included): the path is open. */
    public void answered(boolean probe) {
        lock.lock();
        try {
            failuresInARow = 0;
            if (probe) {
                probing = false;
            }
            if (downSince >= 0) {
                long down = clock.millis() - downSince;
                downMillis.addAndGet(down);
                LOG.warn("Intercom answers again after {} s of outage: delivery resumes", down / 1000);
                downSince = -1;
                probing = false;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** A 5xx or no answer (dropped connection, timeout). {@code what}: status and endpoint, for the give-up message. */
    public void failed(boolean probe, String what) {
        lock.lock();
        try {
            lastFailure = "last: " + what;
            long now = clock.millis();
            if (downSince >= 0) {
                if (probe) {
                    probing = false;
                    nextProbeAt = now + probeIntervalMillis;
                    changed.signalAll();
                }
                return;
            }
            if (++failuresInARow >= failuresToOpen) {
                downSince = now;
                nextProbeAt = now + probeIntervalMillis;
                probing = false;
                outages.incrementAndGet();
                LOG.warn("Intercom answered {} requests in a row with a server error or not at all ({}): treating it as an "
                        + "outage. All delivery is paused (no record is retried or dead-lettered for it); GET /me probes every {} "
                        + "ms{}", failuresInARow, what, probeIntervalMillis, giveUpAfterMillis > 0
                        ? ", giving up after " + giveUpAfterMillis / 1000 + " s (delivery.outage-timeout-seconds)"
                        : " for as long as it lasts");
            }
        } finally {
            lock.unlock();
        }
    }

    /** True while Intercom is taken to be down. */
    public boolean down() {
        lock.lock();
        try {
            return downSince >= 0;
        } finally {
            lock.unlock();
        }
    }

    /** How many outages began so far: a record whose failure is followed by a new outage had it forgiven. */
    public long outages() {
        return outages.get();
    }

    public long probes() {
        return probes.get();
    }

    /** Milliseconds spent in outages that ended. */
    public long downMillis() {
        return downMillis.get();
    }
}
