package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
import io.intercommigrator.testing.ClickDeskDrop;
import io.intercommigrator.testing.ClickDeskDrop.Size;
import io.intercommigrator.testing.LedgerAudit;
import io.intercommigrator.testing.MigrationInvariants;
import io.intercommigrator.testing.MigratorHarness;

/**
 * Service mode as an operator runs it (issue 16): the migrator as its own process, watching the inbox while files are
 * dropped into it. Each file passes the GDPR guard when it arrives, each drop ends as a --once run ends (reference
 * letters retried, read-back verification, report), and a service killed with SIGKILL while files arrive is started
 * again and ends with nothing lost and nothing twice.
 */
@Tag("process")
class ServiceModeEndToEndTest extends io.intercommigrator.testing.AgainstMigratorProcesses {
    private static final String TOKEN = "tok_service";
    private static final long SEED = 20_261_202L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Process start(MigratorHarness migrator, String log) throws Exception {
        return start(migrator, List.of(), log);
    }

    private void awaitLog(Process service, String log, String text) {
        Awaitility.await(log + " says " + text).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                .until(() -> !service.isAlive() || (Files.exists(home.resolve(log)) && Files.readString(home.resolve(log)).contains(text)));
        assertThat(service.isAlive()).as("the service keeps running (see " + log + ")").isTrue();
    }

    private static void sigterm(Process service) throws Exception {
        service.destroy();
        assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    /** Item 1: a file with EU residents dropped while a service into a US workspace runs is refused alone. */
    @Test
    @Timeout(120)
    void aFileWithEuResidentsDroppedWhileTheServiceRunsIsRefusedAndTheServiceGoesOn() throws Exception {
        intercom = FakeIntercom.builder().token(TOKEN).build().start();
        MigratorHarness migrator = new MigratorHarness(home).live(intercom.baseUrl(), TOKEN)
                .set("migration.gdpr-acknowledged", "false"); // intercom.region=us, the default
        migrator.drop("clickdesk/visitors.csv", "visitor_id,name,email,country\nv1,Ann,ann@example.com,United States\n");
        Process service = start(migrator, "service.log");
        awaitLog(service, "service.log", "clickdesk/visitors.csv: 1 records in");

        migrator.drop("leaddesk/contacts.csv", "contact_id;fname;lname;phone;email;country\n"
                + "5001;Matti;Meikäläinen;+358 40 1;matti@example.fi;FI\n");
        Path failed = migrator.inbox().resolve(".failed/leaddesk/contacts.csv");
        Awaitility.await("the EU file is set aside").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> Files.exists(failed.resolveSibling("contacts.csv.error.txt")) || !service.isAlive());
        migrator.drop("clickdesk/b_visitors.csv", "visitor_id,name,email\nv2,Bob,bob@example.com\n");
        awaitLog(service, "service.log", "clickdesk/b_visitors.csv: 1 records in");

        assertThat(failed).exists();
        assertThat(Files.readString(failed.resolveSibling("contacts.csv.error.txt")))
                .contains("GDPR guard", "leaddesk/contacts.csv line 2", "intercom.region=eu", "migration.gdpr-acknowledged");
        assertThat(intercom.contacts()).extracting(c -> c.path("email").asText())
                .containsExactlyInAnyOrder("ann@example.com", "bob@example.com");
        sigterm(service);
    }

    /** Item 2: a drop in service mode ends like a --once run: its reference letters retried, read back, reported. */
    @Test
    @Timeout(120)
    void eachDropEndsLikeAOnceRunReferencesRetriedSampleReadBackReportWritten() throws Exception {
        intercom = FakeIntercom.builder().token(TOKEN).build().start();
        MigratorHarness migrator = new MigratorHarness(home).live(intercom.baseUrl(), TOKEN);
        Process service = start(migrator, "service.log");
        migrator.drop("clickdesk/tags.csv", "tag,object_type,object_id\nVIP,visitor,v1\n"); // before its contact
        awaitLog(service, "service.log", "clickdesk/tags.csv: 1 records in");
        // the letter, then the drop's own end-of-drop retry of it, which fails again and so writes a second one
        Awaitility.await("the drop retries its reference letter").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50)).until(() -> !service.isAlive() || migrator.deadLetters().size() == 2);
        assertThat(migrator.deadLetters()).hasSize(2)
                .allSatisfy(l -> assertThat(l.path("error").path("stage").asText()).isEqualTo("reference"));

        migrator.drop("clickdesk/visitors.csv", "visitor_id,name,email\nv1,Anna,anna@example.com\nv2,Bob,bob@example.com\n");

        Awaitility.await("the waiting tag is applied once its contact arrives").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).until(() -> !service.isAlive() || intercom.contacts().stream()
                        .anyMatch(c -> c.path("tags").toString().contains("VIP")));
        assertThat(service.isAlive()).isTrue();
        Path report = home.resolve("reports");
        Awaitility.await("the drop's report with its read-back verification").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    JsonNode r = newestReport(report);
                    return r != null && r.path("verification").path("sampled").asInt() >= 2;
                });
        JsonNode r = newestReport(report);
        assertThat(r.path("verification").path("matched").asInt()).isEqualTo(r.path("verification").path("sampled").asInt());
        assertThat(r.path("objects").path("contact").path("created").asLong()).isEqualTo(2);
        assertThat(r.path("objects").path("tag").path("created").asLong()).as("the retried tag").isEqualTo(1);
        assertThat(intercom.contacts()).filteredOn(c -> c.path("email").asText().equals("anna@example.com"))
                .singleElement().satisfies(c -> assertThat(c.path("tags").toString()).contains("VIP"));
        sigterm(service);
    }

    /** Item 5: SIGKILL while files arrive, then a restart: every record lands once, none is lost. */
    @Test
    @Timeout(240)
    void aServiceKilledWhileFilesArriveRestartsAndEndsWithNothingLostAndNothingTwice() throws Exception {
        Size size = new Size(240, 40, 24, 60);
        intercom = FaultsEndToEndTest.intercomFor(TOKEN, SEED).latencyMillis(40).build().start();
        MigratorHarness migrator = new MigratorHarness(home).live(intercom.baseUrl(), TOKEN)
                .set("delivery.max-retries", "8").set("intercom.rate-limit-per-minute", "120000");
        Path staging = home.resolve("staging/export");
        ClickDeskDrop.write(staging, size, SEED);
        Path inbox = migrator.inbox().resolve("clickdesk");

        Process first = start(migrator, "service-1.log");
        Files.move(staging.resolve("visitors.csv"), inbox.resolve("visitors.csv"));
        awaitLog(first, "service-1.log", "clickdesk/visitors.csv: 240 records in");
        Files.move(staging.resolve("chats.json"), inbox.resolve("chats.json"));
        int at = intercom.requestCount() + 40 + new Random(SEED).nextInt(60);
        Awaitility.await("mid-way through chats.json").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                .until(() -> intercom.requestCount() >= at || !first.isAlive());
        assertThat(first.isAlive()).as("still at work when killed").isTrue();
        first.destroyForcibly();
        assertThat(first.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        assertThat(inbox.resolve("chats.json")).as("the kill came mid-file").exists();
        // more files arrive while the service is down, and the last one once it runs again
        Files.move(staging.resolve("tickets.csv"), inbox.resolve("tickets.csv"));
        Files.move(staging.resolve("ticket_messages.csv"), inbox.resolve("ticket_messages.csv"));

        Process second = start(migrator, "service-2.log");
        awaitLog(second, "service-2.log", "clickdesk/ticket_messages.csv: ");
        Files.move(staging.resolve("tags.csv"), inbox.resolve("tags.csv"));
        awaitLog(second, "service-2.log", "clickdesk/tags.csv: ");
        Awaitility.await("every file handled").atMost(Duration.ofSeconds(30)).until(() -> {
            try (Stream<Path> files = Files.list(inbox)) {
                return files.findAny().isEmpty();
            }
        });
        sigterm(second);

        System.out.printf("service crash: killed at request %d; %s%n", at, intercom.stats());
        MigrationInvariants.assertNoDuplicates(intercom);
        MigrationInvariants.assertDeadLettersExplained(migrator.deadLetters(), 0);
        MigrationInvariants.assertThreadsWhole(intercom, size, Set.of());
        Map<String, LedgerAudit.Count> audit = LedgerAudit.of(migrator, size);
        assertThat(audit).allSatisfy((kind, c) -> {
            assertThat(c.missing()).as(kind + " records with no trace in the ledger (lost)").isZero();
            assertThat(c.inFlight()).as(kind + " records left with an unknown outcome").isZero();
            assertThat(c.delivered() + c.skipped() + c.dead()).as(kind).isEqualTo(c.expected());
        });
    }

    private static JsonNode newestReport(Path reports) throws Exception {
        if (!Files.isDirectory(reports)) {
            return null;
        }
        try (Stream<Path> runs = Files.list(reports)) {
            Path newest = runs.map(p -> p.resolve("reconciliation.json")).filter(Files::isRegularFile)
                    .max(java.util.Comparator.naturalOrder()).orElse(null);
            return newest == null ? null : JSON.readTree(newest.toFile());
        }
    }
}
