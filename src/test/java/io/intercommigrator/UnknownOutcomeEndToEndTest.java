package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.intercommigrator.fake.FakeIntercom;
import io.intercommigrator.testing.ClickDeskDrop.Size;
import io.intercommigrator.testing.MigrationInvariants;
import io.intercommigrator.testing.MigratorHarness;
import io.intercommigrator.testing.MigratorHarness.Result;

/**
 * Each kind of write the migrator makes, applied by Intercom and then answered 502 or cut off (an unknown outcome):
 * the retry must find what landed instead of sending it again or refusing the record.
 */
class UnknownOutcomeEndToEndTest {
    private static final String TOKEN = "tok_unknown_outcome";
    private static final long SEED = 20_260_402L;

    @TempDir
    Path home;
    FakeIntercom intercom;

    @AfterEach
    void stop() {
        if (intercom != null) {
            intercom.close();
        }
    }

    /** One kind of write at a time is applied and then answered 502 or cut off: the retry must find it, not repeat it. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/contacts", "/conversations", "/tickets", "/conversations/[^/]+/(reply|parts)",
            "/tickets/[^/]+/reply", "/tags", "/(contacts|conversations|tickets)/[^/]+/tags", "/data_attributes",
            "/conversations/attributes", "/ticket_types", "/ticket_types/[^/]+/attributes"})
    @Timeout(60)
    void writeWithAnUnknownOutcomeIsLookedUpNotRepeated(String path) throws Exception {
        intercom = FaultsEndToEndTest.intercomFor(TOKEN, SEED).build().start();
        MigratorHarness migrator = new MigratorHarness(home).live(intercom.baseUrl(), TOKEN);
        intercom.faultsOnlyFor("POST", path).ambiguousNext(2); // applied, then 502; the next one applied, then cut off
        Size size = new Size(30, 6, 8, 12);
        FaultsEndToEndTest.dropInto(home, size, SEED);

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(intercom.requests()).as("the fault happened (twice where the drop makes two such writes)")
                .filteredOn(r -> r.method().equals("POST") && r.path().matches(path) && (r.status() == 502 || r.status() == 0))
                .isNotEmpty();
        List<JsonNode> dead = migrator.deadLetters();
        assertThat(dead).as("dead letters").isEmpty();
        MigrationInvariants.assertNoDuplicates(intercom);
        MigrationInvariants.assertAccounted(run.report(), size, Set.of());
        MigrationInvariants.assertThreadsWhole(intercom, size, Set.of());
    }

    /**
     * The same while Intercom's search lags (a new conversation or ticket stays out of search results for a while,
     * GET by id sees it at once): a create that landed but whose answer was lost must not be created again because
     * the retry's search did not see it yet; a create that was cut off before it landed is still made once.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"applied /conversations", "applied /tickets", "applied /contacts",
            "applied /conversations/[^/]+/(reply|parts)", "applied /tickets/[^/]+/reply",
            "lost /conversations", "lost /tickets"})
    @Timeout(90)
    void writeWithAnUnknownOutcomeIsNotRepeatedWhileSearchLags(String fault) throws Exception {
        String path = fault.substring(fault.indexOf(' ') + 1);
        intercom = FaultsEndToEndTest.intercomFor(TOKEN, SEED).build().start().searchLag(1_500, 0);
        MigratorHarness migrator = new MigratorHarness(home).live(intercom.baseUrl(), TOKEN)
                .set("intercom.search-lag-ms", "4000");
        intercom.faultsOnlyFor("POST", path);
        if (fault.startsWith("applied")) {
            intercom.ambiguousNext(2); // applied, then 502; the next one applied, then cut off
        } else {
            intercom.dropNext(2); // cut off before it landed, twice
        }
        Size size = new Size(30, 6, 8, 12);
        FaultsEndToEndTest.dropInto(home, size, SEED);

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(intercom.requests()).as("the fault happened")
                .filteredOn(r -> r.method().equals("POST") && r.path().matches(path) && (r.status() == 502 || r.status() == 0))
                .isNotEmpty();
        assertThat(migrator.deadLetters()).as("dead letters").isEmpty();
        MigrationInvariants.assertNoDuplicates(intercom);
        MigrationInvariants.assertAccounted(run.report(), size, Set.of());
        MigrationInvariants.assertThreadsWhole(intercom, size, Set.of());
    }

    /**
     * The admin note that carries attachments 11… of the opening message: a failed one is sent again on the retry,
     * one with an unknown outcome is looked up like a part's; either way it lands exactly once.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lost", "ambiguous"})
    @Timeout(60)
    void attachmentOverflowNoteLandsOnceWhateverHappensToItsFirstAttempt(String fault) {
        intercom = FakeIntercom.builder().token(TOKEN).limitPer10s(1000).admin("agent1@acme.test", "Agent One").build().start();
        MigratorHarness migrator = new MigratorHarness(home).live(intercom.baseUrl(), TOKEN);
        StringBuilder urls = new StringBuilder();
        for (int i = 1; i <= 12; i++) {
            urls.append(i == 1 ? "" : ", ").append("\"https://files.example.com/scan-").append(i).append(".pdf\"");
        }
        migrator.drop("clickdesk/chats.json", """
                {"session": [{"chat_id": "c1", "visitor_id": "v1", "name": "Anna", "email": "anna@example.de",
                  "start_time": "1741000000000",
                  "messages": [{"time": "1741000000000", "from": "visitor", "text": "Here are my scans", "attachments": [%s]}]}]}
                """.formatted(urls));
        // the first reply to the new conversation is the overflow note: not applied, or applied and answered 502
        intercom.faultsOnlyFor("POST", "/conversations/[^/]+/reply");
        if (fault.equals("lost")) {
            intercom.failNext(1, 503);
        } else {
            intercom.ambiguousNext(1);
        }

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(intercom.requests()).filteredOn(r -> r.path().endsWith("/reply") && r.status() >= 500).hasSize(1);
        assertThat(migrator.deadLetters()).isEmpty();
        List<com.fasterxml.jackson.databind.node.ObjectNode> notes = intercom.conversations().stream()
                .flatMap(c -> intercom.partsAsReceived(c.path("id").asText()).stream())
                .filter(p -> p.path("body").asText().contains("scan-11.pdf")).toList();
        assertThat(notes).hasSize(1);
        assertThat(notes.get(0).path("body").asText()).contains("scan-12.pdf").doesNotContain("scan-10.pdf");
        MigrationInvariants.assertNoDuplicates(intercom);
        run.assertAddsUp();
    }
}
