package io.intercommigrator.intercom;

import org.apache.camel.Endpoint;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.core5.util.TimeValue;

/**
 * A kept-alive connection the server has closed since its last answer (an idle limit, a keep-alive timeout, a load
 * balancer) is not seen by Apache HttpClient until a request is written to it, which then fails with "the target
 * server failed to respond" although Intercom was never asked: a burst of them at once reads as an outage to the
 * outage gate and as overload to the {@link InFlightLimit}, and a write among them is ambiguous for nothing.
 * camel-http leaves the pool's {@code validateAfterInactivity} unset (never checked); this sets it on the pool of
 * every camel-http endpoint as it is created, to {@value #VALIDATE_AFTER_INACTIVITY_MS} ms: every reused connection is
 * checked (a read of at most 1 ms) before a request is written to it, and a closed one replaced by a new connection.
 * Not only long-idle ones: a server may close a connection right after its answer (the JDK server of the fake does
 * once 200 are idle), and a pool handing back its most recent connections first reuses that one within milliseconds
 * (a 500 ms threshold still left 90 of them failing in the 25,000/min × 400 ms bench cell).
 */
public final class StaleConnectionCheck extends LifecycleStrategySupport {
    static final long VALIDATE_AFTER_INACTIVITY_MS = 0;

    @Override
    public void onEndpointAdd(Endpoint endpoint) {
        apply(endpoint);
    }

    /** Sets the check on {@code endpoint}'s connection pool when it is a camel-http one; true when it did. */
    public static boolean apply(Endpoint endpoint) {
        if (endpoint instanceof HttpEndpoint http
                && http.getClientConnectionManager() instanceof PoolingHttpClientConnectionManager pool) {
            pool.setDefaultConnectionConfig(ConnectionConfig.custom()
                    .setValidateAfterInactivity(TimeValue.ofMilliseconds(VALIDATE_AFTER_INACTIVITY_MS)).build());
            return true;
        }
        return false;
    }
}
