package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.intercommigrator.fake.FakeIntercom;
import io.intercommigrator.testing.MigratorHarness;
import io.intercommigrator.testing.MigratorHarness.Result;

/** Read-back verification through the real CLI: a live run reads a sample back and reports what differs. */
class VerificationEndToEndTest {
    private static final String TOKEN = "tok_verify";

    @TempDir
    Path home;
    FakeIntercom intercom;

    @BeforeEach
    void start() {
        intercom = FakeIntercom.builder().token(TOKEN).limitPer10s(1000).admin("sam@acme.test", "Sam Support").build().start();
    }

    @AfterEach
    void stop() {
        intercom.close();
    }

    private MigratorHarness dropVisitorsAndChats(MigratorHarness migrator) {
        migrator.drop("clickdesk/visitors.csv", ClickDeskEndToEndTest.BUNDLE.get("visitors.csv"));
        migrator.drop("clickdesk/chats.json", ClickDeskEndToEndTest.BUNDLE.get("chats.json"));
        return migrator;
    }

    private static List<String> fields(JsonNode names) {
        List<String> out = new ArrayList<>();
        names.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void aLiveRunReadsEveryDeliveredTypeBackAndFindsItAsSent() {
        MigratorHarness migrator = dropVisitorsAndChats(new MigratorHarness(home).live(intercom.baseUrl(), TOKEN));
        // t1 (web, open) becomes a ticket that ticket_messages.csv appends to; t2 (email, closed) a conversation
        migrator.drop("clickdesk/tickets.csv", ClickDeskEndToEndTest.BUNDLE.get("tickets.csv"));
        migrator.drop("clickdesk/ticket_messages.csv", ClickDeskEndToEndTest.BUNDLE.get("ticket_messages.csv"));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        JsonNode v = run.report().path("verification");
        assertThat(v.path("mismatches")).as(v.toString()).isEmpty();
        // everything this small run delivered: 3 contacts (v9 from its chat), 3 conversations (c1, c2, t2), 1 ticket (t1),
        // and t1's messages of ticket_messages.csv (one item: the parts appended to t1)
        assertThat(v.path("sampled").asInt()).isEqualTo(8);
        assertThat(v.path("matched").asInt()).isEqualTo(v.path("sampled").asInt());
        assertThat(fields(v.path("sampled_by_type"))).containsExactly("contact", "conversation", "ticket", "conversation_part");
        assertThat(fields(v.path("sampled_by_type"))).isEqualTo(fields(v.path("delivered_by_type")));
        assertThat(run.stdout()).contains("verification: 8 of 8 sampled objects read back as sent");
        // the reads went through the same client as every other request
        assertThat(intercom.requests()).filteredOn(r -> r.method().equals("GET") && r.path().startsWith("/conversations/"))
                .hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void aFieldIntercomReturnsDifferentlyIsReportedWithExpectedAndActual() {
        ObjectNode existing = JsonNodeFactory.instance.objectNode().put("email", "anna@example.de").put("name", "Anna Alt")
                .put("role", "user");
        String anna = intercom.seedContact(existing); // the run updates it, so its id is known before the run
        intercom.alterOnRead(anna, "name", JsonNodeFactory.instance.textNode("Someone Else"));
        MigratorHarness migrator = dropVisitorsAndChats(new MigratorHarness(home).live(intercom.baseUrl(), TOKEN));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        JsonNode v = run.report().path("verification");
        assertThat(v.path("mismatches")).as(v.toString()).hasSize(1);
        JsonNode m = v.path("mismatches").get(0);
        assertThat(m.path("object_type").asText()).isEqualTo("contact");
        assertThat(m.path("intercom_id").asText()).isEqualTo(anna);
        assertThat(m.path("source").asText()).isEqualTo("clickdesk/contact/v1");
        assertThat(m.path("field").asText()).isEqualTo("name");
        assertThat(m.path("expected").asText()).isEqualTo("Anna Müller");
        assertThat(m.path("actual").asText()).isEqualTo("Someone Else");
        assertThat(v.path("matched").asInt()).isEqualTo(v.path("sampled").asInt() - 1);
        assertThat(intercom.contact(anna).path("name").asText()).as("the workspace itself holds what was sent").isEqualTo("Anna Müller");
    }

    @Test
    void aDryRunHasNothingToReadBackAndSaysSo() {
        MigratorHarness migrator = dropVisitorsAndChats(new MigratorHarness(home));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        JsonNode v = run.report().path("verification");
        assertThat(v.path("sampled").asInt()).isZero();
        assertThat(v.path("mismatches")).isEmpty();
        assertThat(v.path("notes").toString()).contains("dry-run: nothing to read back");
    }
}
