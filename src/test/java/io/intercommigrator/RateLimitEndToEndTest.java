package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.intercommigrator.fake.FakeIntercom;
import io.intercommigrator.fake.FakeIntercom.RecordedRequest;
import io.intercommigrator.testing.MigratorHarness;
import io.intercommigrator.testing.Rows;
import io.intercommigrator.testing.MigratorHarness.Result;

/** The rate governor against Intercom's 10-second windows (each test waits at most a window or two). */
class RateLimitEndToEndTest {
    private static final String TOKEN = "tok_rate";

    @TempDir
    Path home;
    FakeIntercom intercom;

    @AfterEach
    void stop() {
        intercom.close();
    }


    @Test
    void theQuotaHeadersPaceDeliveryEvenWhenTheConfiguredCeilingIsTooHigh() {
        intercom = FakeIntercom.builder().token(TOKEN).limitPer10s(10).build().start();
        MigratorHarness migrator = new MigratorHarness(home).live(intercom.baseUrl(), TOKEN)
                .set("intercom.rate-limit-per-minute", "6000").set("delivery.concurrency", "4");
        migrator.drop("clickdesk/visitors.csv", Rows.visitorsCsv("v", 14));

        Result run = migrator.once();

        assertThat(intercom.contacts()).hasSize(14);
        // accepted calls never exceed the window's quota; when concurrent requests reach the server out of order the
        // governor can be one over and get a 429, after which nothing more is sent in that window (no storm)
        Map<Long, Long> perWindow = intercom.requests().stream().filter(r -> r.status() != 429)
                .collect(Collectors.groupingBy(r -> r.at().getEpochSecond() / 10, Collectors.counting()));
        assertThat(perWindow.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(10L));
        assertThat(intercom.rateLimitedCount()).isLessThanOrEqualTo(perWindow.size());
        assertThat(intercom.violationsAfter429()).as("only requests already in flight may arrive after a 429")
                .isLessThanOrEqualTo(4);
        assertThat(run.report().path("requests").path("rate_limited").asLong()).isEqualTo(intercom.rateLimitedCount());
        run.assertAddsUp();
    }

    @Test
    void a429WaitsForTheWindowToResetThenEverythingIsDelivered() {
        intercom = FakeIntercom.builder().token(TOKEN).limitPer10s(1000).build().start();
        intercom.faultsOnlyFor("POST", "/contacts").failNext(1, 429);
        MigratorHarness migrator = new MigratorHarness(home).live(intercom.baseUrl(), TOKEN).set("delivery.concurrency", "1")
                .set("delivery.max-in-flight", "1"); // one request at a time: none in flight when the 429 comes back
        migrator.drop("clickdesk/visitors.csv", Rows.visitorsCsv("v", 3));

        Result run = migrator.once();

        assertThat(intercom.contacts()).hasSize(3);
        List<RecordedRequest> requests = intercom.requests();
        int limited = -1;
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).status() == 429) {
                limited = i;
            }
        }
        assertThat(limited).as("the injected 429 was answered").isNotNegative().isLessThan(requests.size() - 1);
        long windowEnd = (requests.get(limited).at().getEpochSecond() / 10 + 1) * 10;
        assertThat(requests.get(limited + 1).at().getEpochSecond())
                .as("the next request waits for X-RateLimit-Reset instead of retrying at once").isGreaterThanOrEqualTo(windowEnd);
        assertThat(run.report().path("requests").path("rate_limited").asLong()).isEqualTo(1);
        assertThat(run.counts("contact").path("dead_lettered").asLong()).isZero();
        run.assertAddsUp();
    }
}
