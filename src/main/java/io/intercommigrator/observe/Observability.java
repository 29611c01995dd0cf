package io.intercommigrator.observe;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;

import org.apache.camel.CamelContext;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.StartupListener;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.health.HealthCheckRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.intercommigrator.core.RunControl;
import io.intercommigrator.config.Settings;
import io.intercommigrator.intercom.IntercomClient;
import io.intercommigrator.intercom.RateLimitGovernor;
import io.intercommigrator.intercom.RequestStats;
import io.intercommigrator.ledger.Ledger;
import io.intercommigrator.core.RunAccounting;

/**
 * Watching a run (operator-contract.md): readiness checks in Camel's health-check registry, the run's meters on
 * the Micrometer registry camel-micrometer-prometheus set up (both served at /observe/* when camel.server.enabled),
 * the progress log every {@code migration.progress-interval-seconds} (0 = off) and, on an interactive --once run,
 * the live progress bar ({@code migration.progress-bar}).
 */
public final class Observability {
    public static final String PROGRESS_BEAN = "progressReporter";
    /** How often the live bar (interactive --once runs only) takes in the counts. */
    private static final long BAR_REFRESH_MS = 200;
    private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

    private Observability() {
    }

    public static void install(CamelContext context, Settings settings, RunControl run, Ledger ledger, IntercomClient client,
                               RunAccounting accounting, RequestStats requests, RateLimitGovernor governor, ProgressBars bars) {
        ProgressReporter progress = new ProgressReporter(accounting, requests::sent, governor::perMinute, Clock.systemUTC(),
                bars, line -> LOG.info(line));
        context.getRegistry().bind(PROGRESS_BEAN, progress);
        int intervalSeconds = settings.getInt("migration.progress-interval-seconds", 10);
        StartupListener onStarted = new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                // nothing yet: Camel Main's health and metrics registries are complete once the context has fully started
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                ExecutorService tokenCheck = started.getExecutorServiceManager().newSingleThreadExecutor(progress, "token-check");
                HealthCheckRegistry health = HealthCheckRegistry.get(started);
                if (health != null) {
                    health.register(new LedgerHealthCheck(ledger));
                    health.register(new IntercomTokenHealthCheck(client, tokenCheck, Clock.systemUTC()));
                    health.register(new InboxHealthCheck(settings.inboxDir(), run.live()));
                }
                MeterRegistry meters = started.getRegistry().lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME,
                        MeterRegistry.class);
                if (meters != null) {
                    new MigratorMetrics(accounting, requests, governor).bindTo(meters);
                }
                if (intervalSeconds > 0) {
                    ScheduledExecutorService ticks = started.getExecutorServiceManager()
                            .newSingleThreadScheduledExecutor(progress, "progress");
                    ticks.scheduleAtFixedRate(progress::tick, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
                }
                if (progress.barShown()) {
                    ScheduledExecutorService bar = started.getExecutorServiceManager()
                            .newSingleThreadScheduledExecutor(progress, "progress-bar");
                    bar.scheduleAtFixedRate(progress::refreshBar, BAR_REFRESH_MS, BAR_REFRESH_MS, TimeUnit.MILLISECONDS);
                }
            }
        };
        try {
            context.addStartupListener(onStarted);
        } catch (Exception e) {
            throw RuntimeCamelException.wrapRuntimeCamelException(e);
        }
    }
}
