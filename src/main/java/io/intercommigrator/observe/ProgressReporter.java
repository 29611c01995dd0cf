package io.intercommigrator.observe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.intercommigrator.intake.DropKind;
import io.intercommigrator.intake.Intake;
import io.intercommigrator.core.RunAccounting;

/**
 * Where long work stands, logged at a steady cadence rather than per record: records done of the current file's
 * total, records/s, calls/min against the quota, ETA and dead letters so far. Quiet while nothing moves. The
 * routes tell it which file is being read; {@link #tick()} runs every {@code migration.progress-interval-seconds}.
 * On an interactive terminal it also keeps a live bar per file up to date ({@link ProgressBars}, {@link #refreshBar()}
 * a few times a second); elsewhere the bars are off and the plain lines are all there is.
 */
public final class ProgressReporter {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

    /** The file being read: its name, its row count when known (CSV lines less the header), rows read before it. */
    private record CurrentFile(String name, Long totalRows, long rowsReadBefore, Instant startedAt) {
    }

    /** Calls sent by a moment, for the bar's calls/min over the last {@link #BAR_RATE_WINDOW}. */
    private record CallsAt(Instant at, long calls) {
    }

    private static final Duration BAR_RATE_WINDOW = Duration.ofSeconds(10);
    /** {@link DropKind#phase()} of the first files that hold records (contacts); earlier ones are definitions. */
    private static final int FIRST_RECORD_PHASE = 2;

    private record Sample(Instant at, long rowsRead, long callsSent, long deadLetters) {
        boolean sameCounts(Sample other) {
            return rowsRead == other.rowsRead && callsSent == other.callsSent && deadLetters == other.deadLetters;
        }
    }

    private final RunAccounting accounting;
    private final LongSupplier callsSent;
    private final IntSupplier quotaPerMinute;
    private final Clock clock;
    private final ProgressBars bars;
    private final Consumer<String> lines;
    private final Deque<CallsAt> recentCalls = new ArrayDeque<>();
    private volatile CurrentFile file;
    private Sample previous;

    public ProgressReporter(RunAccounting accounting, LongSupplier callsSent, IntSupplier quotaPerMinute, Clock clock) {
        this(accounting, callsSent, quotaPerMinute, clock, ProgressBars.off(), LOG::info);
    }

    /** {@code lines}: where the plain progress lines go (the log). */
    public ProgressReporter(RunAccounting accounting, LongSupplier callsSent, IntSupplier quotaPerMinute, Clock clock,
                            ProgressBars bars, Consumer<String> lines) {
        this.accounting = accounting;
        this.callsSent = callsSent;
        this.quotaPerMinute = quotaPerMinute;
        this.clock = clock;
        this.bars = bars;
        this.lines = lines;
        this.previous = sample();
    }

    /** True when a live bar is drawn: {@link #refreshBar()} is then worth calling often. */
    public boolean barShown() {
        return bars.interactive();
    }

    /** Route step: the exchange's file (a dropped file or a bundle entry) is about to be read. */
    public void fileStarted(Exchange exchange) {
        String name = exchange.getProperty(Intake.NAME, String.class);
        Path path = exchange.getMessage().getBody(Path.class);
        Long rows = name != null && path != null && name.toLowerCase(Locale.ROOT).endsWith(".csv") ? csvRows(path) : null;
        // a bar for each file of records (contacts, threads, thread additions, tags): not for definitions and
        // inventories (phases 0-1, nothing counted as a record), a bundle (each of its files gets its own) or an
        // unrecognised file
        DropKind kind = exchange.getProperty(Intake.KIND, DropKind.class);
        fileStarted(name, rows, kind != null && kind.phase() >= FIRST_RECORD_PHASE);
    }

    /** {@code totalRows} null: unknown, only the records done are shown. */
    public void fileStarted(String name, Long totalRows) {
        fileStarted(name, totalRows, true);
    }

    private synchronized void fileStarted(String name, Long totalRows, boolean bar) {
        file = new CurrentFile(name, totalRows, accounting.rowsRead(), clock.instant());
        if (bar) {
            bars.start(name == null ? "file" : name, totalRows);
            recentCalls.clear();
            refreshBar();
        } else {
            bars.finish();
        }
    }

    /** Route step: the current file has been handled (or set aside); its bar shows its final count and stays. */
    public synchronized void fileFinished() {
        refreshBar();
        bars.finish();
        file = null;
    }

    /** Brings the live bar up to date: records done of the file, dead letters so far, calls/min against the quota. */
    public synchronized void refreshBar() {
        CurrentFile current = file;
        if (current == null || !bars.interactive()) {
            return;
        }
        Instant now = clock.instant();
        long calls = callsSent.getAsLong();
        recentCalls.addLast(new CallsAt(now, calls));
        while (recentCalls.size() > 2 && Duration.between(recentCalls.peekFirst().at(), now).compareTo(BAR_RATE_WINDOW) > 0) {
            recentCalls.removeFirst();
        }
        CallsAt oldest = recentCalls.peekFirst();
        double seconds = Math.max(1.0, Duration.between(oldest.at(), now).toMillis() / 1000.0);
        double callsPerMinute = (calls - oldest.calls()) * 60 / seconds;
        bars.update(accounting.rowsRead() - current.rowsReadBefore(),
                accounting.total("dead_lettered") + " dead letters",
                String.format(Locale.ROOT, "%.0f/%d calls/min", callsPerMinute, quotaPerMinute.getAsInt()));
    }

    /** Logs (and returns) one progress line, unless nothing moved since the last tick. */
    public synchronized Optional<String> tick() {
        Sample now = sample();
        Sample before = previous;
        previous = now;
        if (now.sameCounts(before)) {
            return Optional.empty();
        }
        double seconds = Math.max(0.001, Duration.between(before.at(), now.at()).toMillis() / 1000.0);
        double recordsPerSecond = (now.rowsRead() - before.rowsRead()) / seconds;
        double callsPerMinute = (now.callsSent() - before.callsSent()) * 60 / seconds;
        CurrentFile current = file;
        String done;
        String eta = "unknown";
        if (current == null) {
            done = now.rowsRead() + " records";
        } else {
            long rows = now.rowsRead() - current.rowsReadBefore();
            done = current.name() + ": " + rows + (current.totalRows() == null ? "" : "/" + current.totalRows()) + " records";
            if (current.totalRows() != null) {
                long left = Math.max(0, current.totalRows() - rows);
                double fileSeconds = Duration.between(current.startedAt(), now.at()).toMillis() / 1000.0;
                double rate = recordsPerSecond > 0 ? recordsPerSecond : rows / Math.max(0.001, fileSeconds);
                eta = left == 0 ? "0s" : rate > 0 ? format(Duration.ofSeconds((long) Math.ceil(left / rate))) : "unknown";
            }
        }
        String line = String.format(Locale.ROOT, "Progress %s, %.1f records/s, %.0f calls/min of %d/min quota, ETA %s, %d dead letters",
                done, recordsPerSecond, callsPerMinute, quotaPerMinute.getAsInt(), eta, now.deadLetters());
        lines.accept(line);
        return Optional.of(line);
    }

    private Sample sample() {
        return new Sample(clock.instant(), accounting.rowsRead(), callsSent.getAsLong(), accounting.total("dead_lettered"));
    }

    static String format(Duration d) {
        long h = d.toHours();
        long m = d.toMinutesPart();
        long s = d.toSecondsPart();
        return h > 0 ? String.format(Locale.ROOT, "%dh%02dm%02ds", h, m, s) : m > 0 ? String.format(Locale.ROOT, "%dm%02ds", m, s) : s + "s";
    }

    /** Lines less the header, in one pass over the bytes (a quoted multi-line field counts more than once). */
    static Long csvRows(Path csv) {
        long newlines = 0;
        int last = '\n';
        try (InputStream in = Files.newInputStream(csv)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        newlines++;
                    }
                }
                last = buffer[n - 1];
            }
        } catch (IOException e) {
            return null; // unknown total; reading the file itself reports what is wrong with it
        }
        long lines = newlines + (last == '\n' ? 0 : 1);
        return Math.max(0, lines - 1);
    }
}
