package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.intercommigrator.fake.FakeIntercom;
import io.intercommigrator.testing.ClickDeskDrop.Size;
import io.intercommigrator.testing.LedgerAudit;
import io.intercommigrator.testing.MigrationInvariants;
import io.intercommigrator.testing.MigratorHarness;
import io.intercommigrator.testing.MigratorHarness.Result;

/**
 * The migrator as its own process, killed with SIGKILL at seeded moments (after the fake Intercom has seen a given
 * number of requests) and started again: the ledger and the lookups must make the crashes invisible in Intercom.
 * Runs from target/classes and the runtime classpath the build writes, so it needs a Maven build, not the jar.
 */
@Tag("process")
class CrashRestartEndToEndTest extends io.intercommigrator.testing.AgainstMigratorProcesses {
    private static final String TOKEN = "tok_crash";
    private static final long SEED = Long.getLong("crash.seed", 20_260_403L);
    static final Size SIZE = new Size(240, 40, 24, 60);
    private static final int KILLS = 3;

    /** Waits until the fake has seen {@code requests} requests (or the process ended), then SIGKILLs the process. */
    private void killAt(Process p, int requests, String what) throws Exception {
        Awaitility.await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                .until(() -> intercom.requestCount() >= requests || !p.isAlive());
        assertThat(p.isAlive()).as(what + ": still at work when killed (else the moment came too late)").isTrue();
        p.destroyForcibly();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    }

    private int finish(Process p) throws Exception {
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("the last run ends by itself").isTrue();
        return p.exitValue();
    }

    /**
     * Ctrl-C or SIGTERM ends a service-mode run the way the operator contract says: in-flight records finish, then the
     * run still writes its report and prints its summary before the process exits (before, the JVM's shutdown ended the
     * process while the summary was being written).
     */
    @Test
    @Timeout(120)
    void aServiceStoppedBySigtermStillWritesItsReportAndSummary() throws Exception {
        MigratorHarness migrator = new MigratorHarness(home).set("intake.read-lock-min-age-ms", "0");
        migrator.drop("clickdesk/visitors.csv", BackboneEndToEndTest.VISITORS);
        Path log = home.resolve("service.log");
        Process service = start(migrator, List.of(), "service.log");
        Awaitility.await("the visitors are handled").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> java.nio.file.Files.exists(log) && java.nio.file.Files.readString(log).contains("3 records in"));

        service.destroy(); // SIGTERM

        assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(service.exitValue()).as("ended by SIGTERM").isEqualTo(128 + 15);
        String out = java.nio.file.Files.readString(log);
        assertThat(out).contains("(dry-run) finished.", "contact            source 3: created 3", "report: ");
        Path report = Path.of(out.lines().map(String::strip).filter(l -> l.startsWith("report: ")).findFirst().orElseThrow()
                .substring("report: ".length()));
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(report.toFile()).path("finished_at").asText())
                .isNotEmpty();
    }

    @Test
    @Timeout(120)
    void killedThreeTimesMidMigrationThenRunToTheEndEverythingLandsOnce() throws Exception {
        intercom = FaultsEndToEndTest.intercomFor(TOKEN, SEED).latencyMillis(40).build().start();
        MigratorHarness migrator = new MigratorHarness(home).live(intercom.baseUrl(), TOKEN)
                .set("delivery.max-retries", "8")
                .set("intercom.rate-limit-per-minute", "120000");
        FaultsEndToEndTest.dropInto(home, SIZE, SEED);

        // the three moments: somewhere in each third of the first ~80 % of the migration's requests (~800, visitor
        // tags in bulk)
        Random random = new Random(SEED);
        List<Integer> killedAt = new ArrayList<>();
        for (int k = 0; k < KILLS; k++) {
            int at = Math.max(intercom.requestCount() + 20, 40 + k * 200 + random.nextInt(160));
            Process run = start(migrator, List.of("--once"), "run-" + (k + 1) + ".log");
            killAt(run, at, "kill " + (k + 1) + " at request " + at);
            killedAt.add(intercom.requestCount());
        }
        assertThat(migrator.inbox().resolve("clickdesk")).as("the kills left work to do")
                .isDirectoryContaining(p -> p.getFileName().toString().endsWith(".csv") || p.getFileName().toString().endsWith(".json"));

        int exit = finish(start(migrator, List.of("--once"), "run-final.log"));

        System.out.printf("crash: killed at requests %s; %s%n", killedAt, intercom.stats());
        assertThat(exit).as("final run exit code (see run-final.log)").isZero();
        try (Stream<Path> left = Files.list(migrator.inbox().resolve("clickdesk"))) {
            assertThat(left).as("every file handled").isEmpty();
        }
        MigrationInvariants.assertNoDuplicates(intercom);
        var dead = migrator.deadLetters();
        MigrationInvariants.assertDeadLettersExplained(dead, 0);
        MigrationInvariants.assertThreadsWhole(intercom, SIZE, Set.of());
        Result last = new Result(exit, "", "", reportNamedIn(home.resolve("run-final.log")));
        last.assertAddsUp();
        Map<String, LedgerAudit.Count> audit = LedgerAudit.of(migrator, SIZE);
        System.out.printf("crash: ledger %s%n", audit);
        assertThat(audit).allSatisfy((kind, c) -> {
            assertThat(c.missing()).as(kind + " records with no trace in the ledger (lost)").isZero();
            assertThat(c.inFlight()).as(kind + " records left with an unknown outcome").isZero();
            assertThat(c.delivered() + c.skipped() + c.dead()).as(kind).isEqualTo(c.expected());
        });
    }

    @Test
    @Timeout(120)
    void rollbackKilledMidwayThenRunAgainRestoresTheWorkspace() throws Exception {
        intercom = FaultsEndToEndTest.intercomFor(TOKEN, SEED).build().start();
        intercom.seedContact(JsonNodeFactory.instance.objectNode().put("email", "visitor1@example.com")
                .put("name", "Visitor One (CRM)").put("role", "user").put("external_id", "crm-1"));
        Map<String, Object> before = RollbackEndToEndTest.state(intercom);
        MigratorHarness migrator = new MigratorHarness(home).live(intercom.baseUrl(), TOKEN);
        FaultsEndToEndTest.dropInto(home, new Size(60, 12, 8, 24), SEED);
        Result run = migrator.once();
        assertThat(run.exitCode()).isZero();
        Map<String, Object> migrated = RollbackEndToEndTest.state(intercom);
        assertThat(migrated).isNotEqualTo(before);
        String runId = run.report().path("run_id").asText();

        intercom.latencyMillis(40);
        int at = intercom.requestCount() + 30 + new Random(SEED).nextInt(60);
        killAt(start(migrator, List.of("rollback", runId), "rollback-1.log"), at, "rollback killed at request " + at);
        assertThat(RollbackEndToEndTest.state(intercom)).as("the kill came mid-way").isNotEqualTo(before).isNotEqualTo(migrated);

        int exit = finish(start(migrator, List.of("rollback", runId), "rollback-2.log"));

        assertThat(exit).as("second rollback exit code (see rollback-2.log)").isZero();
        assertThat(RollbackEndToEndTest.state(intercom)).isEqualTo(before);
    }

    @Test
    @Timeout(120)
    void killedWhileCampaignTagsGoOutInBulkTheRestartSendsABatchAtMostOnceMore() throws Exception {
        intercom = FakeIntercom.builder().token(TOKEN).limitPer10s(5000).latencyMillis(20).build().start();
        MigratorHarness migrator = new MigratorHarness(home).live(intercom.baseUrl(), TOKEN)
                .set("delivery.tag-batch-size", "25").set("verification.sample-size", "0");
        migrator.drop("leaddesk/campaigns.json", LeadDeskCampaignTagsEndToEndTest.CAMPAIGNS);
        migrator.drop("leaddesk/contacts.csv", LeadDeskCampaignTagsEndToEndTest.contacts(LeadDeskCampaignTagsEndToEndTest.range(300)));

        // a campaign's batch of 25 fills every 75 contacts: killed once the second bulk call has reached Intercom
        Process first = start(migrator, List.of("--once"), "run-1.log");
        Awaitility.await("the second bulk tag call").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                .until(() -> LeadDeskCampaignTagsEndToEndTest.bulkTagCalls(intercom.requests()).size() >= 2 || !first.isAlive());
        assertThat(first.isAlive()).as("still at work when killed").isTrue();
        first.destroyForcibly();
        assertThat(first.waitFor(20, TimeUnit.SECONDS)).isTrue();
        int bulkBeforeKill = LeadDeskCampaignTagsEndToEndTest.bulkTagCalls(intercom.requests()).size();

        int exit = finish(start(migrator, List.of("--once"), "run-final.log"));

        assertThat(exit).as("final run exit code (see run-final.log)").isZero();
        assertThat(intercom.duplicateEmails()).isEmpty();
        assertThat(intercom.contacts()).hasSize(300).allSatisfy(c -> {
            int i = Integer.parseInt(c.path("email").asText().replaceAll("\\D", ""));
            assertThat(c.path("tags").path("data").findValuesAsText("name")).as(c.path("email").asText())
                    .containsExactly(LeadDeskCampaignTagsEndToEndTest.campaignTagOf(i));
        });
        Map<String, Integer> sends = new java.util.HashMap<>();
        LeadDeskCampaignTagsEndToEndTest.bulkTagCalls(intercom.requests())
                .forEach(b -> b.path("users").forEach(u -> sends.merge(u.path("id").asText(), 1, Integer::sum)));
        assertThat(sends).as("every contact in a bulk call").hasSize(300);
        assertThat(sends.values()).as("a contact's tag is sent once, or once more after the crash").allSatisfy(n ->
                assertThat(n).isBetween(1, 2));
        long again = sends.values().stream().filter(n -> n == 2).count();
        assertThat(again).as("only the batches that had reached Intercom before the kill went again")
                .isLessThanOrEqualTo(25L * bulkBeforeKill);
        System.out.printf("crash during bulk tags: %d bulk calls before the kill, %d contacts tagged twice%n", bulkBeforeKill, again);
        Result last = new Result(exit, "", "", reportNamedIn(home.resolve("run-final.log")));
        last.assertAddsUp();

        int requests = intercom.requestCount();
        assertThat(migrator.once().exitCode()).isZero();
        assertThat(intercom.requestCount()).as("the ledger knows every tag: a re-run sends nothing").isEqualTo(requests);
    }

    /** The report a run's summary names ("report: <path>"). */
    private static Path reportNamedIn(Path log) throws Exception {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.map(String::strip).filter(l -> l.startsWith("report: ")).map(l -> Path.of(l.substring(8)))
                    .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no report named in " + log));
        }
    }
}
