package io.intercommigrator.intercom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** One lock per key: the same key waits, another key never does (not even one with the same hash). */
class KeyLocksTest {
    private final KeyLocks locks = new KeyLocks();

    @Test
    void keysWithTheSameHashDoNotWaitForEachOther() throws Exception {
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode()); // would share any stripe
        KeyLocks.Held a = locks.lock("Aa");
        try {
            CompletableFuture<Void> other = CompletableFuture.runAsync(() -> locks.lock("BB").unlock());
            other.get(10, TimeUnit.SECONDS); // throws TimeoutException if "BB" waited for "Aa"
        } finally {
            a.unlock();
        }
        assertThat(locks.size()).as("no lock kept for keys nobody holds").isZero();
    }

    @Test
    void theSameKeyWaitsUntilItIsReleased() {
        KeyLocks.Held first = locks.lock("contact@example.com");
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> locks.lock("contact@example.com").unlock());
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> !second.isDone());
        first.unlock();
        await().atMost(Duration.ofSeconds(10)).until(second::isDone);
        assertThat(second).isNotCompletedExceptionally();
        assertThat(locks.size()).isZero();
    }

    @Test
    void itIsReentrant() {
        KeyLocks.Held outer = locks.lock("k");
        KeyLocks.Held inner = locks.lock("k");
        inner.unlock();
        assertThat(locks.size()).as("still held by the outer lock").isEqualTo(1);
        outer.unlock();
        assertThat(locks.size()).isZero();
    }
}
