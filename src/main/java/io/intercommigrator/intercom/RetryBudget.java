package io.intercommigrator.intercom;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

import io.intercommigrator.mapping.WorkItem;

/**
 * The retry rule of the record-delivery dead-letter channel ({@code retryWhileRef}): a transient failure is retried
 * until {@code delivery.max-retries} attempts in a row failed <em>without progress</em>. A record is one request
 * for a contact but up to thousands for a long chat (one per part); counting failures since the record's last
 * confirmed write, not since its start, lets a 1,200-message chat under a 5 % error rate arrive whole while a
 * record that never moves still gives up after the same few attempts. The backoff ({@link Backoff}) restarts with
 * the progress too; its wait is handed to Camel through the {@link Exchange#REDELIVERY_DELAY} header.
 */
public final class RetryBudget implements Predicate {
    private final int maxRetriesWithoutProgress;
    private final Backoff backoff;

    public RetryBudget(int maxRetriesWithoutProgress, Backoff backoff) {
        this.maxRetriesWithoutProgress = maxRetriesWithoutProgress;
        this.backoff = backoff;
    }

    @Override
    public boolean matches(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        int failures = body instanceof WorkItem item ? item.failedAttemptsSinceProgress()
                : exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class);
        if (failures > maxRetriesWithoutProgress) {
            return false;
        }
        exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, backoff.delayBefore(failures));
        return true;
    }
}
