package io.intercommigrator.intercom;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class InFlightLimitTest {
    private static final long MS = 1_000_000;

    /** Sends {@code n} requests one after another, each answered {@code status} after {@code latencyMillis}. */
    private static void answer(InFlightLimit limit, int n, long latencyMillis, Integer status) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            limit.exit(limit.enter(), latencyMillis * MS, status);
        }
    }

    @Test
    void startsAtTheFloorAndFollowsQuotaTimesLatencyWithHeadroom() throws Exception {
        InFlightLimit limit = new InFlightLimit(16, 256, () -> 10_000);
        assertThat(limit.limit()).isEqualTo(16);

        answer(limit, 10, 150, 200);

        // 10,000/min = 166.7/s × 0.15 s × 1.5 = 37.5
        assertThat(limit.limit()).isEqualTo(38);
        assertThat(limit.latencyMillis()).isEqualTo(150);
    }

    @Test
    void neverBelowTheFloorForLatencyNorAboveTheMax() throws Exception {
        InFlightLimit fast = new InFlightLimit(16, 256, () -> 1_000);
        answer(fast, 10, 5, 200);
        assertThat(fast.limit()).isEqualTo(16);

        InFlightLimit far = new InFlightLimit(16, 256, () -> 25_000);
        answer(far, 10, 2_000, 200);
        assertThat(far.limit()).isEqualTo(256);
    }

    @Test
    void aFewSlowAnswersDoNotSwingTheLimit() throws Exception {
        InFlightLimit limit = new InFlightLimit(16, 256, () -> 10_000);
        answer(limit, 50, 150, 200);
        answer(limit, 5, 3_000, 200);
        assertThat(limit.limit()).isEqualTo(38);
    }

    @Test
    void a429HalvesTheLimitOnceForItsBurstThenItGrowsBack() throws Exception {
        InFlightLimit limit = new InFlightLimit(16, 256, () -> 10_000);
        answer(limit, 10, 150, 200);
        assertThat(limit.limit()).isEqualTo(38);
        long[] out = new long[10];
        for (int i = 0; i < out.length; i++) {
            out[i] = limit.enter();
        }

        for (long ticket : out) {
            limit.exit(ticket, -1, 429); // the whole burst was sent before the first 429 came back
        }

        assertThat(limit.limit()).as("halved once, not once per 429 of the same burst").isEqualTo(19);
        answer(limit, 1, -1, 429);
        assertThat(limit.limit()).as("a request sent after the decrease can decrease again").isEqualTo(9);
        answer(limit, 9, 150, 200);
        assertThat(limit.limit()).as("one more per limit's worth of good answers").isEqualTo(10);
    }

    @Test
    void aBurstOf5xxHalvesTheLimitButScattered5xxDoNot() throws Exception {
        InFlightLimit limit = new InFlightLimit(16, 256, () -> 10_000);
        answer(limit, 10, 150, 200);
        for (int i = 0; i < 8; i++) {
            answer(limit, 1, 150, 500);
            answer(limit, 19, 150, 200);
        }
        assertThat(limit.limit()).as("one 5xx in 20 answers is no burst").isEqualTo(38);

        answer(limit, 4, 150, 503);
        answer(limit, 1, 150, null); // no answer at all counts as a failure too

        assertThat(limit.limit()).isEqualTo(19);
    }

    @Test
    void aBurstOfUnansweredRequestsOutAtOnceHalvesOnceAndOnlyNewFailuresMakeTheNextBurst() throws Exception {
        InFlightLimit limit = new InFlightLimit(16, 256, () -> 25_000);
        answer(limit, 10, 400, 200);
        int full = limit.limit();
        assertThat(full).isBetween(250, 251); // 416.7/s × 0.4 s × 1.5
        long[] out = new long[40];
        for (int i = 0; i < out.length; i++) {
            out[i] = limit.enter();
        }

        for (long ticket : out) {
            limit.exit(ticket, -1, null); // e.g. 40 kept-alive connections the server had closed, all reused at once
        }

        assertThat(limit.limit()).as("halved once for the whole burst").isEqualTo(full / 2);
        answer(limit, 1, -1, null);
        assertThat(limit.limit()).as("one failure sent after the decrease is no new burst").isEqualTo(full / 2);
        answer(limit, 4, -1, 503);
        assertThat(limit.limit()).as("five failures sent after the decrease are").isEqualTo(full / 4);
    }

    @Test
    void aRequestWaitsWhileTheLimitIsOutAndGoesWhenOneComesBack() throws Exception {
        InFlightLimit limit = new InFlightLimit(2, 2, () -> 10_000);
        long first = limit.enter();
        limit.enter();
        CompletableFuture<Long> third = CompletableFuture.supplyAsync(() -> {
            try {
                return limit.enter();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Awaitility.await().during(300, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS).until(() -> !third.isDone());

        limit.exit(first, 150 * MS, 200);

        assertThat(third.get(5, TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(limit.peak()).isEqualTo(2);
    }
}
