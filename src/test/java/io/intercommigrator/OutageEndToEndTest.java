package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.intercommigrator.fake.FakeIntercom;
import io.intercommigrator.testing.ClickDeskDrop.Size;
import io.intercommigrator.testing.LedgerAudit;
import io.intercommigrator.testing.MigrationInvariants;
import io.intercommigrator.testing.MigratorHarness;
import io.intercommigrator.testing.Rows;

/**
 * Intercom answering 503 to everything (issue 16, item 3), the migrator as its own process: an outage pauses all
 * delivery behind one probe instead of every record sitting through its own back-off and being dead-lettered; a
 * --once run gives up after delivery.outage-timeout-seconds and the next --once, then replay, deliver every record of
 * every kind once; a service waits out an outage however long it lasts.
 */
@Tag("process")
class OutageEndToEndTest extends io.intercommigrator.testing.AgainstMigratorProcesses {
    private static final String TOKEN = "tok_outage";
    private static final long SEED = 20_261_201L;
    private static final Size SIZE = new Size(120, 24, 16, 40);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SOCIAL = """
            thread_id,network,handle,name,email,author_type,agent_email,text,created_at
            s1,facebook,anna.fb,Anna Müller,anna.fb@example.de,visitor,,Hi from Facebook,2025-03-08T09:00:00Z
            s2,twitter,@kari,Kari,,visitor,,DM on twitter,2025-03-08T10:00:00Z
            s1,facebook,anna.fb,Anna Müller,anna.fb@example.de,agent,,Hello Anna,2025-03-08T09:05:00Z
            """;

    private MigratorHarness migrator() {
        return new MigratorHarness(home).live(intercom.baseUrl(), TOKEN)
                .set("intercom.rate-limit-per-minute", "120000")
                .set("delivery.outage-probe-interval-ms", "200")
                .set("delivery.outage-timeout-seconds", "3");
    }

    @Test
    @Timeout(240)
    void aOnceRunGivesUpALongOutageThenTheNextOnceAndReplayDeliverEveryRecordOnce() throws Exception {
        intercom = FaultsEndToEndTest.intercomFor(TOKEN, SEED).latencyMillis(10).build().start();
        MigratorHarness migrator = migrator();
        FaultsEndToEndTest.dropInto(home, SIZE, SEED);
        migrator.drop("clickdesk/social_messages.csv", SOCIAL);
        migrator.drop("leaddesk/chatbot_export_2026.zip", BundleZips.zip(LeadDeskEndToEndTest.chatbot(true)));

        Process first = start(migrator, List.of("--once"), "run-1.log");
        Awaitility.await("the run is under way").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                .until(() -> intercom.requestCount() >= 150 || !first.isAlive());
        assertThat(first.isAlive()).as("still at work when Intercom goes down").isTrue();
        intercom.outageFor(Duration.ofMinutes(10), 503);
        long down = System.nanoTime();

        assertThat(first.waitFor(60, TimeUnit.SECONDS)).as("the run gives up by itself").isTrue();
        double gaveUpAfter = (System.nanoTime() - down) / 1e9;
        String log1 = Files.readString(home.resolve("run-1.log"));
        assertThat(first.exitValue()).as("exit code (see run-1.log)").isEqualTo(1);
        assertThat(log1).contains("treating it as an outage", "gave up after delivery.outage-timeout-seconds", "STOPPED: ");
        assertThat(migrator.deadLetters()).as("nothing is dead-lettered for an outage").isEmpty();
        System.out.printf("outage (--once): gave up %.1f s after Intercom went down; %d requests answered by the outage%n",
                gaveUpAfter, intercom.outageAnswers());
        // 16 delivery threads and 10 failures in a row before the gate closes, then one probe every 200 ms for 3 s
        assertThat(intercom.outageAnswers()).as("requests sent into the outage").isLessThan(100);
        assertThat(intercom.requests()).filteredOn(r -> r.status() == 503 && r.path().equals("/me"))
                .as("the probes").hasSizeGreaterThan(3);
        JsonNode report1 = JSON.readTree(reportNamedIn(home.resolve("run-1.log")).toFile());

        intercom.endOutage();
        Process second = start(migrator, List.of("--once"), "run-2.log");
        assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).as("exit code (see run-2.log)").isZero();
        Process replay = start(migrator, List.of("replay"), "replay.log");
        assertThat(replay.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(replay.exitValue()).as("exit code (see replay.log)").isZero();

        assertThat(Files.readString(home.resolve("replay.log"))).contains("0 failed again", "0 pending");
        try (Stream<Path> left = Stream.concat(Files.list(migrator.inbox().resolve("clickdesk")),
                Files.list(migrator.inbox().resolve("leaddesk")))) {
            assertThat(left).as("every file handled").isEmpty();
        }
        assertThat(migrator.deadLetters()).isEmpty();
        MigrationInvariants.assertNoDuplicates(intercom);
        MigrationInvariants.assertThreadsWhole(intercom, SIZE, Set.of());
        assertThat(intercom.conversations()).as("the social threads and the chatbot session, once each")
                .filteredOn(c -> Set.of("Hi from Facebook", "DM on twitter", "Hei, tarvitsen apua")
                        .contains(c.path("source").path("body").asText())).hasSize(3);
        Map<String, LedgerAudit.Count> audit = LedgerAudit.of(migrator, SIZE);
        assertThat(audit).allSatisfy((kind, c) -> {
            assertThat(c.missing()).as(kind + " records with no trace in the ledger (lost)").isZero();
            assertThat(c.inFlight()).as(kind + " records left with an unknown outcome").isZero();
            assertThat(c.dead()).as(kind + " dead letters").isZero();
            assertThat(c.delivered() + c.skipped()).as(kind).isEqualTo(c.expected());
        });
        // the two runs' reports read as one run without an outage: what the first created the second finds unchanged
        MigratorHarness.Result run2 = new MigratorHarness.Result(0, "", "", reportNamedIn(home.resolve("run-2.log")));
        run2.assertAddsUp();
        JsonNode report2 = run2.report();
        for (String type : List.of("contact", "conversation", "ticket")) {
            assertThat(report1.path("objects").path(type).path("dead_lettered").asLong()).as(type).isZero();
            assertThat(report2.path("objects").path(type).path("dead_lettered").asLong()).as(type).isZero();
        }
        long contactsCreated = report1.path("objects").path("contact").path("created").asLong()
                + report2.path("objects").path("contact").path("created").asLong();
        assertThat(contactsCreated).as("contacts created over both runs").isEqualTo(intercom.contacts().size());
        long threadsCreated = report1.path("objects").path("conversation").path("created").asLong()
                + report2.path("objects").path("conversation").path("created").asLong();
        assertThat(threadsCreated).as("conversations created over both runs").isEqualTo(intercom.conversations().size());
    }

    @Test
    @Timeout(180)
    void aServiceWaitsOutAnOutageLongerThanTheTimeoutAndDeliversEveryDropWithoutDeadLetters() throws Exception {
        intercom = FakeIntercom.builder().token(TOKEN).limitPer10s(20_000).latencyMillis(10).build().start();
        MigratorHarness migrator = migrator();
        Process service = start(migrator, List.of(), "service.log");
        migrator.drop("clickdesk/visitors.csv", Rows.visitorsCsv("a", 150));
        Awaitility.await("the first drop is under way").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                .until(() -> intercom.contacts().size() >= 20 || !service.isAlive());
        intercom.outageFor(Duration.ofSeconds(8), 503); // longer than delivery.outage-timeout-seconds: a service waits
        long down = System.nanoTime();
        migrator.drop("clickdesk/b_visitors.csv", Rows.visitorsCsv("b", 60)); // a drop that arrives during the outage

        Awaitility.await("every contact of both drops").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> intercom.contacts().size() >= 210 || !service.isAlive());
        double resumedAfter = (System.nanoTime() - down) / 1e9;
        assertThat(service.isAlive()).as("the service keeps running (see service.log)").isTrue();
        assertThat(intercom.contacts()).hasSize(210);
        assertThat(intercom.duplicateEmails()).isEmpty();
        assertThat(migrator.deadLetters()).as("nothing is dead-lettered for an outage").isEmpty();
        System.out.printf("outage (service): 8 s outage, everything delivered %.1f s after it began; %d requests answered "
                + "by the outage%n", resumedAfter, intercom.outageAnswers());
        assertThat(intercom.outageAnswers()).as("requests sent into the outage").isLessThan(120);
        String log = Files.readString(home.resolve("service.log"));
        assertThat(log).contains("treating it as an outage", "delivery resumes").doesNotContain("gave up");
        service.destroy();
        assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }


    /** The report a run's summary names ("report: <path>"). */
    static Path reportNamedIn(Path log) throws Exception {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.map(String::strip).filter(l -> l.startsWith("report: ")).map(l -> Path.of(l.substring(8)))
                    .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no report named in " + log));
        }
    }
}
