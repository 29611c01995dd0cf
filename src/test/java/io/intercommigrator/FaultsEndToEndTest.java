package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.intercommigrator.fake.FakeIntercom;
import io.intercommigrator.testing.ClickDeskDrop;
import io.intercommigrator.testing.ClickDeskDrop.Size;
import io.intercommigrator.testing.LedgerAudit;
import io.intercommigrator.testing.MigrationInvariants;
import io.intercommigrator.testing.MigratorHarness;
import io.intercommigrator.testing.MigratorHarness.Result;

/**
 * A mixed ClickDesk drop against an Intercom that fails: 5 % answered 500, 2 % of writes applied and then answered
 * 502 or cut off, 1 % of connections dropped, 20 ms per request. Nothing may land twice and nothing may go missing.
 */
class FaultsEndToEndTest {
    private static final String TOKEN = "tok_faults";
    private static final long SEED = 20_260_401L;
    static final Size SIZE = new Size(400, 60, 40, 120);

    @TempDir
    Path home;
    FakeIntercom intercom;

    @AfterEach
    void stop() {
        if (intercom != null) {
            intercom.close();
        }
    }

    /** The fake Intercom with the export's agents as admins and its department as a team. */
    static FakeIntercom.Builder intercomFor(String token, long seed) {
        FakeIntercom.Builder b = FakeIntercom.builder().token(token).seed(seed).limitPer10s(20_000).team(ClickDeskDrop.TEAM);
        ClickDeskDrop.AGENTS.forEach(a -> b.admin(a, a.substring(0, a.indexOf('@'))));
        return b;
    }

    /** Writes the drop next to the inbox, then moves each file in whole, as a finished upload would appear. */
    static void dropInto(Path home, Size size, long seed) throws IOException {
        Path staging = home.resolve("staging/clickdesk");
        ClickDeskDrop.write(staging, size, seed);
        Path inbox = Files.createDirectories(home.resolve("inbox/clickdesk"));
        try (Stream<Path> files = Files.list(staging)) {
            for (Path f : files.toList()) {
                Files.move(f, inbox.resolve(f.getFileName()));
            }
        }
    }

    @Test
    @Timeout(90)
    void mixedDropUnderServerErrorsAmbiguousWritesAndDroppedConnectionsLandsOnceAndWhole() throws Exception {
        intercom = intercomFor(TOKEN, SEED).build().start();
        MigratorHarness migrator = new MigratorHarness(home).live(intercom.baseUrl(), TOKEN)
                .set("delivery.max-retries", "8")
                .set("intercom.rate-limit-per-minute", "120000");
        intercom.serverErrorRate(0.05).ambiguousRate(0.02).dropRate(0.01).latencyMillis(20);
        dropInto(home, SIZE, SEED);

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        List<JsonNode> dead = migrator.deadLetters();
        Set<String> deadSources = MigrationInvariants.deadSources(dead);
        System.out.printf("faults: %s dead=%s%n", intercom.stats(), deadSources);
        assertThat(intercom.requests()).as("the faults really happened")
                .anySatisfy(r -> assertThat(r.status()).isEqualTo(500))
                .anySatisfy(r -> assertThat(r.status()).isEqualTo(502))
                .anySatisfy(r -> assertThat(r.status()).isZero());
        MigrationInvariants.assertNoDuplicates(intercom);
        MigrationInvariants.assertDeadLettersExplained(dead, 5);
        MigrationInvariants.assertAccounted(run.report(), SIZE, deadSources);
        MigrationInvariants.assertThreadsWhole(intercom, SIZE, deadSources);
        assertThat(LedgerAudit.of(migrator, SIZE)).as("where each source record stands in the ledger").allSatisfy((kind, c) -> {
            assertThat(c.missing()).as(kind + " records with no trace (lost)").isZero();
            assertThat(c.inFlight()).as(kind + " records left with an unknown outcome").isZero();
        });
        // every visitor is a contact (v51, v101… share an email with the visitor before them and merge into it)
        long distinctVisitors = java.util.stream.IntStream.rangeClosed(1, SIZE.visitors())
                .filter(i -> !deadSources.contains("visitor:" + ClickDeskDrop.visitorId(i)))
                .mapToObj(i -> ClickDeskDrop.visitorEmail(i) == null ? "lead:" + i
                        : ClickDeskDrop.visitorEmail(i).toLowerCase(java.util.Locale.ROOT)).distinct().count();
        long walkIns = SIZE.chats() / 10;
        assertThat(intercom.contacts()).hasSize((int) (distinctVisitors + walkIns));
    }
}
