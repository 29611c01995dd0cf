package io.intercommigrator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.intercommigrator.core.RunAccounting;

class ProgressReporterTest {
    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-03-01T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final RunAccounting accounting = new RunAccounting();
    final AtomicLong callsSent = new AtomicLong();
    final ManualClock clock = new ManualClock();
    final ProgressReporter progress = new ProgressReporter(accounting, callsSent::get, () -> 1000, clock);

    private void read(int rows) {
        for (int i = 0; i < rows; i++) {
            accounting.rowRead();
        }
    }

    @Test
    void lineShowsDoneOfTotalRateCallsAgainstQuotaAndEta() {
        progress.fileStarted("clickdesk/visitors.csv", 1000L);
        read(200);
        callsSent.addAndGet(150);
        accounting.outcome("contact", RunAccounting.Outcome.DEAD_LETTERED);
        clock.advance(Duration.ofSeconds(10));

        String line = progress.tick().orElseThrow();

        assertThat(line).contains("clickdesk/visitors.csv: 200/1000 records", "20.0 records/s", "900 calls/min of 1000/min quota",
                "ETA 40s", "1 dead letters");
    }

    @Test
    void rateAndEtaFollowTheLastInterval() {
        progress.fileStarted("leaddesk/contacts.csv", 10_000L);
        read(1000);
        clock.advance(Duration.ofSeconds(10));
        progress.tick();
        read(500);
        clock.advance(Duration.ofSeconds(10));

        assertThat(progress.tick().orElseThrow()).contains("1500/10000 records", "50.0 records/s", "0 calls/min", "ETA 2m50s");
    }

    @Test
    void quietWhileNothingMovesAndTotalUnknownWithoutAFile() {
        clock.advance(Duration.ofSeconds(10));
        assertThat(progress.tick()).isEmpty();

        read(30);
        clock.advance(Duration.ofSeconds(10));
        assertThat(progress.tick().orElseThrow()).contains("30 records, 3.0 records/s", "ETA unknown");
    }

    @Test
    void csvTotalIsTheLinesLessTheHeader(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("visitors.csv"), "visitor_id,name\nv1,A\nv2,B\nv3,C");
        assertThat(ProgressReporter.csvRows(csv)).isEqualTo(3);
        Files.writeString(csv, "visitor_id,name\nv1,A\n");
        assertThat(ProgressReporter.csvRows(csv)).isEqualTo(1);
    }
}
