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
}
