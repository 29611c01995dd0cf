package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.intercommigrator.fake.FakeIntercom;
import io.intercommigrator.testing.MigratorHarness;
import io.intercommigrator.testing.MigratorHarness.Result;

/**
 * The migrator as its own process, killed with SIGKILL while a provisioning create is applied by Intercom but not yet
 * answered (so not in the ledger): the next run finds the definition in the workspace and uses it, refusing nothing.
 */
@Tag("process")
class ProvisioningCrashEndToEndTest extends io.intercommigrator.testing.AgainstMigratorProcesses {
    private static final String TOKEN = "tok_provisioning_crash";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/data_attributes", "/conversations/attributes", "/ticket_types", "/ticket_types/[^/]+/attributes",
            "/tags"})
    @Timeout(120)
    void killedBetweenAProvisioningWriteAndItsLedgerRecordTheNextRunUsesWhatLanded(String path) throws Exception {
        intercom = FakeIntercom.builder().token(TOKEN).limitPer10s(1000).admin("sam@acme.test", "Sam").team("Support")
                .build().start();
        MigratorHarness migrator = new MigratorHarness(home).live(intercom.baseUrl(), TOKEN);
        migrator.drop("clickdesk/visitors.csv", "visitor_id,name,email,phone,tags\nv1,Anna,anna@example.de,+49 1,vip\n");
        migrator.drop("clickdesk/chats.json", ProvisioningEndToEndTest.CHATS);
        migrator.drop("clickdesk/tickets.csv", ProvisioningEndToEndTest.TICKETS);
        intercom.faultsOnlyFor("POST", path).stallNext(1);

        Process first = migrator.process(List.of("--once"), home.resolve("run-1.log")).start();
        started.add(first);
        Awaitility.await("the create is applied and left unanswered").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> intercom.requests().stream().anyMatch(r -> r.method().equals("POST") && r.path().matches(path))
                        || !first.isAlive());
        assertThat(first.isAlive()).as("still waiting for the answer when killed").isTrue();
        first.destroyForcibly();
        assertThat(first.waitFor(20, TimeUnit.SECONDS)).isTrue();
        intercom.stallNext(0).faultsOnlyFor(null, null);

        Result next = migrator.once();

        assertThat(next.exitCode()).isZero();
        assertThat(migrator.deadLetters()).as("dead letters").isEmpty();
        assertThat(intercom.tickets()).hasSize(3);
        assertThat(intercom.conversations()).hasSize(2);
        assertThat(names(intercom.dataAttributes())).doesNotHaveDuplicates();
        assertThat(names(intercom.conversationAttributes())).doesNotHaveDuplicates();
        assertThat(intercom.ticketTypes()).hasSize(1);
        assertThat(names(intercom.tags())).doesNotHaveDuplicates();
        assertThat(intercom.requests()).as("nothing refused as already there")
                .noneMatch(r -> r.method().equals("POST") && r.status() >= 400 && r.status() < 500);
    }

    private static List<String> names(List<? extends com.fasterxml.jackson.databind.JsonNode> nodes) {
        return nodes.stream().filter(n -> !n.path("archived").asBoolean()).map(n -> n.path("name").asText().toLowerCase(Locale.ROOT))
                .toList();
    }
}
