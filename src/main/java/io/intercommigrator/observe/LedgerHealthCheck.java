package io.intercommigrator.observe;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import io.intercommigrator.ledger.Ledger;

/** Readiness: the ledger answers a query (nothing is written to Intercom without it). */
public final class LedgerHealthCheck extends AbstractHealthCheck {
    private final Ledger ledger;

    public LedgerHealthCheck(Ledger ledger) {
        super("migrator", "migrator-ledger");
        this.ledger = ledger;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (ledger.reachable()) {
            builder.up();
        } else {
            builder.down().message("the ledger cannot be queried");
        }
    }
}
