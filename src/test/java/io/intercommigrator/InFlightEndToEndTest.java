package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.intercommigrator.fake.FakeIntercom;
import io.intercommigrator.testing.MigratorHarness;
import io.intercommigrator.testing.Rows;
import io.intercommigrator.testing.MigratorHarness.Result;

/** The number of requests in flight against a distant Intercom: sized from quota and latency, cut by a 429. */
class InFlightEndToEndTest {
    private static final String TOKEN = "tok_inflight";

    @TempDir
    Path home;
    FakeIntercom intercom;

    @AfterEach
    void stop() {
        intercom.close();
    }


    @Test
    void atAHighLatencyMoreRequestsThanTheStartingLimitAreInFlightWithoutA429Storm() {
        // 10,000 calls/min at 200 ms takes about 167/s × 0.2 s = 33 requests in flight; the old fixed 16 cannot fill it
        intercom = FakeIntercom.builder().token(TOKEN).limitPer10s(1666).latencyMillis(200).build().start();
        MigratorHarness migrator = new MigratorHarness(home).live(intercom.baseUrl(), TOKEN)
                .set("intercom.rate-limit-per-minute", "10000").set("verification.sample-size", "0");
        migrator.drop("clickdesk/visitors.csv", Rows.visitorsCsv("v", 800));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(intercom.contacts()).hasSize(800);
        assertThat(intercom.stats().path("max_in_flight").asInt()).as("requests in flight at the server, at most")
                .isGreaterThan(16);
        JsonNode inFlight = run.report().path("requests").path("in_flight");
        assertThat(inFlight.path("start").asInt()).isEqualTo(16);
        assertThat(inFlight.path("highest_limit").asInt()).isGreaterThan(16).isLessThanOrEqualTo(256);
        assertThat(intercom.rateLimitedCount()).as("429s").isLessThanOrEqualTo(intercom.requests().size() / 200);
        run.assertAddsUp();
    }

    @Test
    void a429BurstCutsTheRequestsInFlightAndEverythingIsStillDelivered() {
        intercom = FakeIntercom.builder().token(TOKEN).limitPer10s(1666).build().start();
        intercom.faultsOnlyFor("POST", "/contacts").failNext(5, 429);
        // a fixed limit of 8 (max = start): only the 429s can move it
        MigratorHarness migrator = new MigratorHarness(home).live(intercom.baseUrl(), TOKEN)
                .set("intercom.rate-limit-per-minute", "10000").set("verification.sample-size", "0")
                .set("delivery.concurrency", "8").set("delivery.max-in-flight", "8");
        migrator.drop("clickdesk/visitors.csv", Rows.visitorsCsv("v", 100));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(intercom.contacts()).hasSize(100);
        JsonNode inFlight = run.report().path("requests").path("in_flight");
        assertThat(inFlight.path("decreases").asInt()).as("the 429s of one burst cut the limit once or twice, not five times")
                .isBetween(1, 2);
        assertThat(inFlight.path("highest_limit").asInt()).isEqualTo(8);
        assertThat(inFlight.path("lowest_limit").asInt()).as("halved by the burst").isBetween(1, 4);
        assertThat(intercom.stats().path("max_in_flight").asInt()).isLessThanOrEqualTo(8);
        assertThat(run.report().path("requests").path("rate_limited").asLong()).isEqualTo(5);
        assertThat(run.counts("contact").path("dead_lettered").asLong()).isZero();
        run.assertAddsUp();
    }
}
