package io.intercommigrator.intercom;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;

/**
 * The retry rule of the {@code intercom-call} route's error handler ({@code retryWhileRef}): whether one request is
 * sent again in place. A 429 always is, once the governor's window resets (not a failure of the request, never
 * counted); a read or a repeatable write that met a 5xx or no answer is, up to {@code maximumRedeliveries} of the
 * {@code intercomRedelivery} policy, with its back-off; a failure while Intercom is down waits at the outage gate and
 * does not count. Any other write, and the gate's probe, are never sent again here.
 */
public final class RequestRetry implements Predicate {
    /** The registry name of the one redelivery policy (routes/error-handling.camel.yaml). */
    public static final String POLICY = "intercomRedelivery";
    /** Counted failures of the request (exchange property). */
    private static final String FAILURES = "migratorRequestFailures";

    private final OutageGate outage;
    private final RequestStats stats;

    /** @param outage the HTTP path's circuit breaker (null: none) */
    public RequestRetry(OutageGate outage, RequestStats stats) {
        this.outage = outage;
        this.stats = stats;
    }

    /** The redelivery policy both error handlers use: its settings are the YAML's. */
    public static RedeliveryPolicy policy(CamelContext context) {
        RedeliveryPolicy policy = context.getRegistry().lookupByNameAndType(POLICY, RedeliveryPolicy.class);
        if (policy == null) {
            throw new IllegalStateException("no " + POLICY + " bean: routes/error-handling.camel.yaml defines it");
        }
        return policy;
    }

    @Override
    public boolean matches(Exchange exchange) {
        IntercomClient.Request request = exchange.getProperty(IntercomClient.REQUEST, IntercomClient.Request.class);
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class); // where Camel keeps it meanwhile
        if (request == null || request.probe()) {
            return false;
        }
        if (failure instanceof IntercomClient.RateLimited) {
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, 0L); // the governor holds it until the reset
            return true;
        }
        if (!(failure instanceof IntercomApiException.Transient) || !request.repeatable()) {
            return false;
        }
        if (outage != null && outage.down()) {
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, 0L); // the gate holds it; not counted
            return true;
        }
        int failures = exchange.getProperty(FAILURES, 0, Integer.class) + 1;
        exchange.setProperty(FAILURES, failures);
        if (failures > policy(exchange.getContext()).getMaximumRedeliveries()) {
            return false;
        }
        exchange.getMessage().removeHeader(Exchange.REDELIVERY_DELAY); // the policy's back-off decides the wait
        if (stats != null) {
            stats.retried();
        }
        return true;
    }
}
