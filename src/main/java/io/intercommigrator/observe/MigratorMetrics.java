package io.intercommigrator.observe;

import java.util.List;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.intercommigrator.intercom.RateLimitGovernor;
import io.intercommigrator.intercom.RequestStats;
import io.intercommigrator.core.RunAccounting;

/**
 * The run's own counts as Micrometer meters, read from the objects that keep them (nothing is counted twice):
 * records by object and outcome, Intercom calls by endpoint and status, 429s, time spent waiting for the rate
 * governor, dead letters. Prometheus names: {@code migrator_records_total{object,outcome}}, {@code migrator_calls_total},
 * {@code migrator_rate_limited_total}, {@code migrator_governor_wait_seconds_total}, {@code migrator_dead_letters_total}.
 */
public final class MigratorMetrics implements MeterBinder {
    static final List<String> OUTCOMES = List.of("created", "updated", "unchanged", "skipped", "dead_lettered");

    private final RunAccounting accounting;
    private final RequestStats requests;
    private final RateLimitGovernor governor;

    public MigratorMetrics(RunAccounting accounting, RequestStats requests, RateLimitGovernor governor) {
        this.accounting = accounting;
        this.requests = requests;
        this.governor = governor;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String object : RunAccounting.OBJECT_TYPES) {
            FunctionCounter.builder("migrator.source.records", accounting, a -> a.count(object, "source"))
                    .description("Records read from the exports").tag("object", object).register(registry);
            for (String outcome : OUTCOMES) {
                FunctionCounter.builder("migrator.records", accounting, a -> a.count(object, outcome))
                        .description("Records finished, by outcome").tags("object", object, "outcome", outcome).register(registry);
            }
        }
        requests.eachEndpointAndStatus(key -> {
            String[] methodEndpointStatus = key.split(" ", 3);
            FunctionCounter.builder("migrator.calls", requests, r -> r.count(key)).description("Requests sent to Intercom")
                    .tags("method", methodEndpointStatus[0], "endpoint", methodEndpointStatus[1], "status", methodEndpointStatus[2])
                    .register(registry);
        });
        FunctionCounter.builder("migrator.rate.limited", requests, RequestStats::rateLimitedCount)
                .description("429 answers from Intercom").register(registry);
        FunctionCounter.builder("migrator.retried", requests, RequestStats::retriedCount)
                .description("Reads sent again after a transient failure").register(registry);
        FunctionCounter.builder("migrator.governor.wait", governor, g -> g.waitedMillis() / 1000.0).baseUnit("seconds")
                .description("Time requests waited for the rate governor").register(registry);
        Gauge.builder("migrator.quota.per.minute", governor, RateLimitGovernor::perMinute)
                .description("Requests per minute Intercom currently allows").register(registry);
        FunctionCounter.builder("migrator.dead.letters", accounting, a -> a.total("dead_lettered"))
                .description("Records written to deadletter/").register(registry);
    }
}
