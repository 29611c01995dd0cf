package io.intercommigrator.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.intercommigrator.core.MigratorExit;
import io.intercommigrator.core.RunAccounting;

/** The progress component in both modes: plain lines only (pipe, log file) and a live bar (interactive terminal). */
class ProgressBarsTest {
    private static final String ESC = "\u001b";

    final RunAccounting accounting = new RunAccounting();
    final AtomicLong callsSent = new AtomicLong();
    final ProgressReporterTest.ManualClock clock = new ProgressReporterTest.ManualClock();
    final List<String> lines = new ArrayList<>();
    final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    final PrintStream terminal = new PrintStream(screen, true, StandardCharsets.UTF_8);

    private ProgressReporter reporter(ProgressBars bars) {
        return new ProgressReporter(accounting, callsSent::get, () -> 1000, clock, bars, lines::add);
    }

    /** One file of 10 rows read in two steps, 1 dead letter, 150 calls, a progress tick after each step. */
    private void driveOneFile(ProgressReporter progress) {
        progress.fileStarted("clickdesk/visitors.csv", 10L);
        read(4);
        callsSent.addAndGet(150);
        accounting.outcome("contact", RunAccounting.Outcome.DEAD_LETTERED);
        clock.advance(Duration.ofSeconds(10));
        progress.refreshBar();
        progress.tick();
        read(6);
        clock.advance(Duration.ofSeconds(10));
        progress.refreshBar();
        progress.tick();
        progress.fileFinished();
    }

    private void read(int rows) {
        for (int i = 0; i < rows; i++) {
            accounting.rowRead();
        }
    }

    private String screen() {
        return screen.toString(StandardCharsets.UTF_8);
    }

    @Test
    void notATerminalGivesPlainLinesWithoutEscapeCodes() {
        ProgressBars bars = ProgressBars.off();
        driveOneFile(reporter(bars));

        assertThat(bars.interactive()).isFalse();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("clickdesk/visitors.csv: 4/10 records", "0.4 records/s",
                "900 calls/min of 1000/min quota", "ETA 15s", "1 dead letters");
        assertThat(lines.get(1)).contains("clickdesk/visitors.csv: 10/10 records", "0.6 records/s", "ETA 0s");
        assertThat(String.join("\n", lines)).doesNotContain(ESC).doesNotContain("\r");
        assertThat(screen()).isEmpty();
    }

    @Test
    void surefireIsNotAnInteractiveTerminalAndOffIsOff() {
        // the test JVM's standard input is a pipe: auto detects no terminal, exactly as in a pipe or under nohup
        assertThat(ProgressBars.detect("auto").interactive()).isFalse();
        assertThat(ProgressBars.detect("OFF").interactive()).isFalse();
        assertThatThrownBy(() -> ProgressBars.detect("sometimes")).isInstanceOf(MigratorExit.class)
                .hasMessageContaining("migration.progress-bar must be auto or off");
    }

    @Test
    void interactiveTerminalShowsALiveBarWithDoneOfTotalAndTheExtraFields() {
        ProgressBars bars = ProgressBars.forced(terminal, 160, true);
        driveOneFile(reporter(bars));

        String out = screen();
        assertThat(out).contains(ESC, "\r", "clickdesk/visitors.csv", "100%", "10/10 records", "records/s",
                "1 dead letters", "/1000 calls/min", "█");
        // the final drawing of the bar ends its line; it stays on screen as the file's last line
        String last = out.substring(out.lastIndexOf('\r') + 1);
        assertThat(last).contains("10/10 records").endsWith("\n");
        // the plain lines still go to the log
        assertThat(lines).hasSize(2);
    }

    @Test
    void asciiBarWhenTheTerminalCannotShowBlocks() {
        ProgressBars bars = ProgressBars.forced(terminal, 120, false);
        ProgressReporter progress = reporter(bars);
        progress.fileStarted("leaddesk/contacts.csv", 4L);
        read(2);
        progress.fileFinished();

        String out = screen();
        assertThat(out).contains("leaddesk/contacts.csv", " 50% [", "2/4 records", "0 dead letters, 0/1000 calls/min");
        assertThat(out.chars().filter(c -> c > 127)).isEmpty();
        // every drawing fits the terminal's width less one column, so '\r' always reaches its start
        for (String drawing : out.split("\r")) {
            String visible = drawing.replaceAll(ESC + "\\[[0-9;]*[A-Za-z]", "").replace("\n", "");
            assertThat(visible.length()).isLessThanOrEqualTo(119);
        }
    }

    @Test
    void unknownTotalShowsRecordsDoneWithoutAPercentage() {
        ProgressBars bars = ProgressBars.forced(terminal, 120, true);
        ProgressReporter progress = reporter(bars);
        progress.fileStarted("clickdesk/chats.json", null);
        read(3);
        progress.fileFinished();

        assertThat(screen()).contains("clickdesk/chats.json", "? %", "3/? records");
    }

    @Test
    void logLinesWipeTheBarAndItIsDrawnAgainBelowThem() {
        ProgressBars bars = ProgressBars.forced(terminal, 120, true);
        PrintStream originalErr = System.err;
        bars.install();
        try {
            ProgressReporter progress = reporter(bars);
            progress.fileStarted("leaddesk/leads.csv", 8L);
            read(5);
            progress.refreshBar();
            await().atMost(Duration.ofSeconds(5)).until(() -> screen().contains("5/8 records"));
            int before = screen.size();

            System.err.println("12:00:00.000 INFO  Intake                   a log line");

            byte[] all = screen.toByteArray();
            String after = new String(all, before, all.length - before, StandardCharsets.UTF_8);
            int wiped = after.indexOf("\r" + ESC + "[2K");
            assertThat(wiped).as("the bar is wiped before the log line").isGreaterThanOrEqualTo(0);
            assertThat(after.indexOf("\rleaddesk/leads.csv", wiped)).as("and drawn again after it").isGreaterThan(wiped);
            progress.fileFinished();
        } finally {
            bars.close();
        }
        assertThat(System.err).isSameAs(originalErr);
    }
}
