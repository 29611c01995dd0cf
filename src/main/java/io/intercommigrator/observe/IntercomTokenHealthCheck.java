package io.intercommigrator.observe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import io.intercommigrator.core.RunControl;
import io.intercommigrator.intercom.IntercomApiException;
import io.intercommigrator.intercom.IntercomClient;

/**
 * Readiness: Intercom accepts the access token. At most one {@code GET /me} per minute, sent in the background, so
 * a slow or rate-limited Intercom never holds up the health endpoint; until the first answer the check is DOWN.
 * A rejected token stops the run like any other request with it would.
 */
public final class IntercomTokenHealthCheck extends AbstractHealthCheck {
    static final Duration RECHECK_AFTER = Duration.ofSeconds(60);

    private record Verdict(boolean accepted, String message, Instant at) {
    }

    private final IntercomClient client;
    private final Executor background;
    private final Clock clock;
    private final AtomicBoolean asking = new AtomicBoolean();
    private volatile Verdict last;

    public IntercomTokenHealthCheck(IntercomClient client, Executor background, Clock clock) {
        super("migrator", "migrator-intercom-token");
        this.client = client;
        this.background = background;
        this.clock = clock;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (client.dryRun()) {
            builder.up().detail("mode", "dry-run").message("dry-run: no token is sent");
            return;
        }
        Verdict verdict = last;
        boolean stale = verdict == null || !clock.instant().isBefore(verdict.at().plus(RECHECK_AFTER));
        if (stale && asking.compareAndSet(false, true)) {
            background.execute(this::askIntercom);
        }
        if (verdict == null) {
            builder.down().message("not checked yet: GET /me is on its way");
        } else {
            builder.state(verdict.accepted() ? HealthCheck.State.UP : HealthCheck.State.DOWN).message(verdict.message())
                    .detail("checked_at", verdict.at().toString());
        }
    }

    private void askIntercom() {
        try {
            client.get("/me");
            last = new Verdict(true, "Intercom accepted the token (GET /me)", clock.instant());
        } catch (IntercomApiException.AccessDenied e) {
            last = new Verdict(false, e.accessDeniedMessage(), clock.instant());
        } catch (RunControl.RunAbortedException e) {
            last = new Verdict(false, "the run was stopped: " + e.getMessage(), clock.instant());
        } catch (RuntimeException e) {
            last = new Verdict(false, "Intercom could not be asked (GET /me): " + e.getMessage(), clock.instant());
        } finally {
            asking.set(false);
        }
    }
}
