package io.intercommigrator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.intercommigrator.intercom.DryRunOutbox;
import io.intercommigrator.intercom.IntercomClient;
import io.intercommigrator.ledger.DryRunLedger;

class ReadinessChecksTest {
    @TempDir
    Path dir;

    @Test
    void dryRunTokenCheckIsUpWithoutAskingIntercom() throws Exception {
        try (DryRunOutbox outbox = new DryRunOutbox(new ObjectMapper(), dir.resolve("outbox"))) {
            IntercomClient client = new IntercomClient(null, null, "2.16", new ObjectMapper(), outbox, null, null);
            IntercomTokenHealthCheck check = new IntercomTokenHealthCheck(client, task -> {
                throw new AssertionError("a dry-run sends no GET /me");
            }, Clock.systemUTC());

            HealthCheck.Result result = check.call();

            assertThat(result.getState()).isEqualTo(HealthCheck.State.UP);
            assertThat(result.getDetails()).containsEntry("mode", "dry-run");
            assertThat(check.isReadiness()).isTrue();
            assertThat(check.isLiveness()).isFalse();
        }
    }

    @Test
    void inboxMustExistAndBeWritableForALiveRun() throws Exception {
        Path inbox = dir.resolve("inbox");
        assertThat(new InboxHealthCheck(inbox, true).call().getState()).isEqualTo(HealthCheck.State.DOWN);
        Files.createDirectories(inbox);
        assertThat(new InboxHealthCheck(inbox, true).call().getState()).isEqualTo(HealthCheck.State.UP);
    }

    @Test
    void ledgerCheckFollowsReachable() {
        assertThat(new LedgerHealthCheck(new DryRunLedger()).call().getState()).isEqualTo(HealthCheck.State.UP);
    }
}
