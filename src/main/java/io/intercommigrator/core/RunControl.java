package io.intercommigrator.core;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run's lifecycle: its id and mode (and, for {@code --sample N}, the sample size), the idle signal that ends a
 * --once run (or one pass of a sample run over the inbox), and the one-message abort.
 */
public final class RunControl {
    private static final Logger LOG = LoggerFactory.getLogger(RunControl.class);

    public enum Mode { DRY_RUN, LIVE }

    private final String runId;
    private final Mode mode;
    private final Integer sample;
    private volatile CountDownLatch finished = new CountDownLatch(1);
    private final AtomicReference<RunAbortedException> abort = new AtomicReference<>();

    public RunControl(String runId, Mode mode) {
        this(runId, mode, null);
    }

    /** @param sample records per kind of a {@code --sample N} run; null for any other run */
    public RunControl(String runId, Mode mode, Integer sample) {
        this.runId = runId;
        this.mode = mode;
        this.sample = sample;
    }

    public String runId() {
        return runId;
    }

    private volatile boolean service;

    /** Marks a service-mode run (watches the inbox until stopped), as opposed to --once, a sample or a task. */
    public RunControl watching() {
        service = true;
        return this;
    }

    /** A service-mode run: it waits out an outage however long it lasts, where a --once run gives up. */
    public boolean service() {
        return service;
    }

    public boolean live() {
        return mode == Mode.LIVE;
    }

    public String modeName() {
        return live() ? "live" : "dry-run";
    }

    /** A {@code --sample N} run: delivers N records of each kind, verifies them and leaves the inbox for the full run. */
    public boolean sampleRun() {
        return sample != null;
    }

    /** N of {@code --sample N}; 0 outside a sample run. */
    public int samplePerKind() {
        return sample == null ? 0 : sample;
    }

    /**
     * Whether handled files leave the inbox (to .done/, .failed/, …) and notes are written there: only in a live run
     * that is not a sample. A dry-run and a sample run leave the inbox exactly as it was, for the run after them.
     */
    public boolean touchesInbox() {
        return live() && !sampleRun();
    }

    /**
     * Called by the intake route when a poll finds nothing new. The run is done only when no other exchange is
     * still in flight (a file's records may still be on their way when the consumer polls again).
     */
    public void inboxIdle(org.apache.camel.Exchange exchange) {
        if (exchange.getContext().getInflightRepository().size() > 1) {
            idlePolls = 0;
            return;
        }
        if (expected.isEmpty()) {
            finished.countDown();
        } else if (++idlePolls >= MAX_IDLE_POLLS) {
            // a file that was there at the start is never picked up (unreadable, still locked by its writer): say so, end
            LOG.warn("Run {}: {} file(s) were in the inbox at the start but could not be picked up: {}", runId,
                    expected.size(), expected);
            finished.countDown();
        }
    }

    private static final int MAX_IDLE_POLLS = 40;
    private volatile int idlePolls;

    private final java.util.Set<String> expected = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A --once run is done only when every file that was in the inbox at its start has been handled. */
    public void expectFiles(java.util.Collection<String> relativeNames) {
        expected.addAll(relativeNames);
    }

    /**
     * Starts another pass over the inbox (a sample run's delivery pass, after its selection pass): the run is done
     * again only once these files have been handled anew. Called while the intake route is stopped.
     */
    public void startPass(java.util.Collection<String> relativeNames) {
        expected.clear();
        expected.addAll(relativeNames);
        idlePolls = 0;
        finished = new CountDownLatch(abort.get() == null ? 1 : 0);
    }

    /** The intake route's last step for a file (and the refusal path): that file is handled. */
    public void fileDone(org.apache.camel.Exchange exchange) {
        String name = exchange.getProperty("intakeName", String.class);
        if (name != null) {
            expected.remove(name);
        }
    }

    /** Ends a run that does not watch the inbox (rollback, replay) once its task is done. */
    public void taskDone() {
        finished.countDown();
    }

    /** Stops the run: the first reason is logged once and becomes the exit message. */
    public void abort(int exitCode, String reason) {
        if (abort.compareAndSet(null, new RunAbortedException(exitCode, reason))) {
            LOG.error("Run {} stopped: {}", runId, reason);
            finished.countDown();
        }
    }

    /** Route step for a 401 / 403 met while delivering: the whole run stops with one message. */
    public void accessDenied(org.apache.camel.Exchange exchange) {
        Throwable cause = exchange.getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (cause instanceof Stopping e) {
            abort(e.exitCode(), e.stopMessage());
        }
    }

    /** A failure that stops the whole run with one message (Intercom's 401 / 403: wrong token, plan or scopes). */
    public interface Stopping {
        int exitCode();

        String stopMessage();
    }

    /** Throws when the run was stopped, so no further record starts a write. */
    public void checkRunning() {
        RunAbortedException e = abort.get();
        if (e != null) {
            throw e;
        }
    }

    public RunAbortedException aborted() {
        return abort.get();
    }

    public boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
        return finished.await(timeout, unit) || abort.get() != null;
    }

    /** The run was stopped; records not yet started stay pending in the inbox and the ledger. */
    public static final class RunAbortedException extends RuntimeException {
        private final int exitCode;

        RunAbortedException(int exitCode, String reason) {
            super(reason, null, false, false);
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }
}
