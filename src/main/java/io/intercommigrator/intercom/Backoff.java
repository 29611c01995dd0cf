package io.intercommigrator.intercom;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The wait before retry number n ({@code delivery.retry-initial-delay-ms}, {@code delivery.retry-max-delay-ms}):
 * exponential, capped, with "equal jitter" (a random time between half and all of min(max, initial · 2^(n−1))), so
 * retries of many records spread out instead of arriving together. Used for a record's redeliveries
 * ({@link RetryBudget}) and for the in-place retries of reads and repeatable writes ({@link IntercomClient}).
 */
public record Backoff(long initialMillis, long maxMillis) {

    /** @param attempt 1 for the first retry */
    public long delayBefore(int attempt) {
        long cap = Math.min(maxMillis, initialMillis << Math.min(Math.max(attempt, 1) - 1, 20));
        return cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
    }
}
