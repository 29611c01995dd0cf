package io.intercommigrator.intercom;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class RateLimitGovernorTest {
    @Test
    void after429NoPermitIsGivenBeforeTheReset() throws Exception {
        RateLimitGovernor governor = new RateLimitGovernor(1000, 0, Clock.systemUTC());
        long nowSec = System.currentTimeMillis() / 1000;
        long reset = nowSec + 2; // a window that ends in ~1-2 s
        governor.observe(governor.acquire(), 1000, 999, reset, false);
        governor.observe(governor.acquire(), 1000, 998, reset, true);

        long before = System.currentTimeMillis();
        CompletableFuture<Long> next = CompletableFuture.supplyAsync(() -> {
            try {
                governor.acquire();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return System.currentTimeMillis();
        });
        long grantedAt = next.get(30, TimeUnit.SECONDS);
        assertThat(grantedAt).as("granted only at the reset").isGreaterThanOrEqualTo(reset * 1000);
        assertThat(grantedAt - before).isLessThan(15_000);
        assertThat(governor.rateLimitedCount()).isEqualTo(1);
    }

    @Test
    void remainingFromTheServerLimitsPermitsWithinTheWindow() throws Exception {
        RateLimitGovernor governor = new RateLimitGovernor(6000, 0, Clock.systemUTC());
        long reset = System.currentTimeMillis() / 1000 + 3600; // far away: permits must run out, not renew
        long first = governor.acquire();
        long second = governor.acquire();
        governor.observe(first, 10, 2, reset, false);   // 2 left when the first arrived; the second was sent after it
        long third = governor.acquire();                // so exactly one permit is left
        governor.observe(second, 10, 1, reset, false);
        governor.observe(third, 10, 0, reset, false);
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
            try {
                governor.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread.onSpinWait();
        assertThat(blocked).as("window spent: the next caller waits").isNotDone();
        blocked.cancel(true);
        assertThat(governor.perMinute()).isEqualTo(60);
    }

    @Test
    void responsesComingBackOutOfOrderNeverReopenASpentWindow() throws Exception {
        RateLimitGovernor governor = new RateLimitGovernor(6000, 0, Clock.systemUTC());
        long reset = System.currentTimeMillis() / 1000 + 3600;
        long first = governor.acquire();
        long second = governor.acquire();
        // the second reached Intercom first (1 left after it), then the first (0 left); the first answer comes back first
        governor.observe(first, 10, 0, reset, false);
        governor.observe(second, 10, 1, reset, false);
        assertBlocked(governor, "Intercom's latest count is 0: the older answer must not reopen the window");
    }

    @Test
    void aResponseArrivingAfterA429DoesNotReopenTheWindow() throws Exception {
        RateLimitGovernor governor = new RateLimitGovernor(6000, 0, Clock.systemUTC());
        long reset = System.currentTimeMillis() / 1000 + 3600;
        long first = governor.acquire();
        long second = governor.acquire();
        governor.observe(second, 10, 0, reset, true);   // 429
        governor.observe(first, 10, 3, reset, false);   // counted earlier, answered later
        assertBlocked(governor, "after a 429 nothing is sent before the reset");
    }

    private static void assertBlocked(RateLimitGovernor governor, String why) throws Exception {
        CompletableFuture<Void> next = CompletableFuture.runAsync(() -> {
            try {
                governor.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread.sleep(300);
        assertThat(next).as(why).isNotDone();
        next.cancel(true);
    }
}
