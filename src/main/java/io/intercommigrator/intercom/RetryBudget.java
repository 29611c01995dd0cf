package io.intercommigrator.intercom;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;

import io.intercommigrator.mapping.WorkItem;

/**
 * The retry rule of the record-delivery dead-letter channel ({@code retryWhileRef}): a transient failure is retried
 * until {@code maximumRedeliveries} ({@code delivery.max-retries}) attempts in a row failed <em>without progress</em>.
 * A record is one request for a contact but up to thousands for a long chat (one per part); counting failures since
 * the record's last confirmed write, not since its start, lets a 1,200-message chat under a 5 % error rate arrive
 * whole while a record that never moves still gives up after the same few attempts. The wait is the
 * {@code intercomRedelivery} policy's back-off (routes/error-handling.camel.yaml); it starts again with the progress:
 * the first failure after progress waits the policy's first delay, the next ones grow from it as Camel computes them.
 */
public final class RetryBudget implements Predicate {
    /** The number of outages begun when this record last failed (exchange property). */
    private static final String OUTAGES_AT_FAILURE = "migratorOutagesAtFailure";

    private final OutageGate outage;

    public RetryBudget() {
        this(null);
    }

    /**
     * @param outage the HTTP path's circuit breaker: a failure during an outage, or followed by one before the record's
     *               next attempt, is the outage's and not the record's, so it does not count against the budget
     */
    public RetryBudget(OutageGate outage) {
        this.outage = outage;
    }

    @Override
    public boolean matches(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (outage != null) {
            long outages = outage.outages();
            Long before = exchange.getProperty(OUTAGES_AT_FAILURE, Long.class);
            exchange.setProperty(OUTAGES_AT_FAILURE, outages);
            boolean down = outage.down();
            if (body instanceof WorkItem item && (down || (before != null && before != outages))) {
                item.outageWaited(); // its earlier failures were the outage's too: the budget starts afresh
            }
            if (down) {
                if (body instanceof WorkItem item) {
                    item.failedAttemptsSinceProgress(); // a failed attempt all the same (what it wrote may have landed)
                    item.outageWaited();
                }
                exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, 0L); // the gate holds the next attempt
                return true;
            }
        }
        RedeliveryPolicy policy = RequestRetry.policy(exchange.getContext());
        int failures = body instanceof WorkItem item ? item.failedAttemptsSinceProgress()
                : exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class);
        if (failures > policy.getMaximumRedeliveries()) {
            return false;
        }
        if (failures == 1) {
            // the back-off starts again: Camel grows the next waits from this one
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, policy.calculateRedeliveryDelay(0, 1));
        } else {
            exchange.getMessage().removeHeader(Exchange.REDELIVERY_DELAY);
        }
        return true;
    }
}
