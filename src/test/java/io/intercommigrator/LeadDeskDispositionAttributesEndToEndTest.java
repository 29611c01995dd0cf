package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import io.intercommigrator.fake.FakeIntercom;
import io.intercommigrator.testing.AgainstFakeIntercom;
import io.intercommigrator.testing.MigratorHarness;
import io.intercommigrator.testing.MigratorHarness.Result;

/**
 * LeadDesk results and outcomes taxonomy → conversation attributes {@code ld_disposition} / {@code ld_outcome} of
 * type list with the real values (within the list limit), through the real routes against a fake that answers 400
 * to a list value that is not one of the attribute's options.
 */
class LeadDeskDispositionAttributesEndToEndTest extends AgainstFakeIntercom {
    private static final String TOKEN = "tok_dispositions";
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String TAXONOMY = """
            {"results":[{"id":"r1","name":"Sale","campaign_id":"c1"},{"id":"r2","name":"Call back","campaign_id":"c1"},
             {"id":"r3","name":"No answer","campaign_id":"c1"}],
             "outcomes":[{"id":"o1","name":"Won"},{"id":"o2","name":"Lost"}]}""";
    static final String CONTACTS = """
            contact_id;fname;lname;phone;email;campaign_id
            5001;Matti;M;;matti@example.fi;c1
            5002;Liisa;V;;liisa@example.fi;c1
            """;
    /** k1…k5: by name, by id, a name in another case, and twice a value the taxonomy does not have. */
    static final List<String> CALLS = List.of(
            "k1;5001;sam;c1;Kevät;2026-03-02 10:00:00;60;r1;Sale;won",
            "k2;5001;sam;c1;Kevät;2026-03-02 11:00:00;60;r2;;o2",
            "k3;5002;sam;c1;Kevät;2026-03-02 12:00:00;60;r3;NO ANSWER;",
            "k4;5002;sam;c1;Kevät;2026-03-02 13:00:00;60;r9;Voicemail;later",
            "k5;5001;sam;c1;Kevät;2026-03-02 14:00:00;60;r9;Voicemail;later");

    @Override
    protected String token() {
        return TOKEN;
    }

    @Override
    protected FakeIntercom.Builder configure(FakeIntercom.Builder server) {
        return server.limitPer10s(2000);
    }

    static String calls(List<String> rows) {
        return "id;contact_id;agent_username;campaign;campaign_name;talk_start;talk_time;call_ending_reason;"
                + "call_ending_reason_name;outcome\n" + String.join("\n", rows) + "\n";
    }

    private void dropAll() {
        migrator.drop("leaddesk/campaigns.json", "[{\"id\":\"c1\",\"name\":\"Kevät\"}]");
        migrator.drop("leaddesk/results_outcomes.json", TAXONOMY);
        migrator.drop("leaddesk/contacts.csv", CONTACTS);
        migrator.drop("leaddesk/call_records.csv", calls(CALLS));
    }

    private ObjectNode attribute(String name) {
        List<ObjectNode> live = intercom.conversationAttributes().stream()
                .filter(a -> a.path("name").asText().equals(name) && !a.path("archived").asBoolean()).toList();
        assertThat(live).as("one live attribute " + name).hasSize(1);
        return live.get(0);
    }

    private static List<String> liveOptions(JsonNode attribute) {
        List<String> out = new ArrayList<>();
        attribute.path("options").forEach(o -> {
            if (!o.path("archived").asBoolean()) {
                out.add(o.path("label").asText());
            }
        });
        return out;
    }

    /** created_at (Helsinki 2026-03-02 HH:00, UTC+2) → the call conversation's custom attributes. */
    private JsonNode callAttributes(int hour) {
        long createdAt = 1772438400L + (hour - 10) * 3600L; // 2026-03-02 10:00 EET = 08:00 UTC
        return intercom.conversations().stream().filter(c -> c.path("created_at").asLong() == createdAt).findFirst()
                .orElseThrow(() -> new AssertionError("no call at " + hour + ":00")).path("custom_attributes");
    }

    private static List<String> queue(Result run, String kind) {
        List<String> out = new ArrayList<>();
        run.report().path("reconciliation_queue").forEach(q -> {
            if (q.path("kind").asText().equals(kind)) {
                out.add(q.path("subject").asText() + ": " + q.path("reason").asText());
            }
        });
        return out;
    }

    private static JsonNode dispositions(Result run) throws Exception {
        return JSON.readTree(Files.readString(run.reportFile().getParent().resolve("handoff/inventory/dispositions.json")));
    }

    @Test
    void theTaxonomyBecomesListAttributesAndAValueOutsideItBecomesAnOption() throws Exception {
        dropAll();

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        ObjectNode disposition = attribute("ld_disposition");
        assertThat(disposition.path("data_type").asText()).isEqualTo("list");
        assertThat(liveOptions(disposition)).containsExactly("Sale", "Call back", "No answer", "Voicemail");
        ObjectNode outcome = attribute("ld_outcome");
        assertThat(outcome.path("data_type").asText()).isEqualTo("list");
        assertThat(liveOptions(outcome)).containsExactly("Won", "Lost", "later");
        assertThat(callAttributes(10).path("ld_disposition").asText()).isEqualTo("Sale");
        assertThat(callAttributes(10).path("ld_outcome").asText()).as("'won' as the taxonomy spells it").isEqualTo("Won");
        assertThat(callAttributes(11).path("ld_disposition").asText()).isEqualTo("Call back");
        assertThat(callAttributes(11).path("ld_outcome").asText()).isEqualTo("Lost");
        assertThat(callAttributes(12).path("ld_disposition").asText()).isEqualTo("No answer");
        assertThat(callAttributes(13).path("ld_disposition").asText()).isEqualTo("Voicemail");
        assertThat(callAttributes(14).path("ld_outcome").asText()).isEqualTo("later");
        assertThat(intercom.requests()).as("no value Intercom would refuse").allSatisfy(r -> assertThat(r.status()).isLessThan(400));
        assertThat(intercom.requests()).filteredOn(r -> r.path().matches("/conversations/attributes/\\d+/options"))
                .as("each new value added once").hasSize(2);
        assertThat(queue(run, "list option added")).containsExactlyInAnyOrder(
                "ld_disposition = Voicemail: not among the options the list was made from: added to the list attribute",
                "ld_outcome = later: not among the options the list was made from: added to the list attribute");
        assertThat(run.counts("conversation").path("created").asLong()).isEqualTo(5);
        run.assertAddsUp();

        JsonNode used = dispositions(run).path("intercom_attributes");
        assertThat(used.path("ld_disposition").path("data_type").asText()).isEqualTo("list");
        assertThat(used.path("ld_disposition").path("options").toString()).contains("Sale", "Voicemail");
        assertThat(used.path("ld_disposition").path("reason").asText()).contains("3 results in results_outcomes.json");
        assertThat(used.path("ld_outcome").path("data_type").asText()).isEqualTo("list");

        // a re-run: nothing new, no request; the same calls in another file: every conversation unchanged, no request
        int requests = intercom.requests().size();
        assertThat(migrator.once().exitCode()).isZero();
        List<String> reversed = new ArrayList<>(CALLS);
        java.util.Collections.reverse(reversed);
        migrator.drop("leaddesk/again_call_records.csv", calls(reversed));
        Result again = migrator.once();
        assertThat(again.counts("conversation").path("unchanged").asLong()).isEqualTo(5);
        assertThat(intercom.requests()).as("a re-run sends zero requests").hasSize(requests);
    }

    @Test
    void anAttributeThatAlreadyExistsAsAStringKeepsItsTypeAndTheQueueSaysSo() throws Exception {
        intercom.seedConversationAttribute("ld_disposition", "string");
        dropAll();

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(attribute("ld_disposition").path("data_type").asText()).isEqualTo("string");
        assertThat(attribute("ld_outcome").path("data_type").asText()).isEqualTo("list");
        assertThat(callAttributes(10).path("ld_disposition").asText()).isEqualTo("Sale");
        assertThat(callAttributes(13).path("ld_disposition").asText()).isEqualTo("Voicemail");
        assertThat(intercom.requests()).allSatisfy(r -> assertThat(r.status()).isLessThan(400));
        assertThat(queue(run, "conversation attribute type kept")).singleElement().asString()
                .startsWith("ld_disposition: exists in the workspace as string where the run would create a list")
                .contains("Intercom cannot change an attribute's type");
        JsonNode used = dispositions(run).path("intercom_attributes").path("ld_disposition");
        assertThat(used.path("data_type").asText()).isEqualTo("string");
        assertThat(used.path("origin").asText()).isEqualTo("already in the workspace");
        assertThat(used.path("wanted").asText()).isEqualTo("list");
        run.assertAddsUp();
    }

    @Test
    void aTaxonomyOverTheLimitIsAStringAndAFullListLeavesANewValueOff() throws Exception {
        migrator.set("intercom.list-attribute-max-options", "2");
        dropAll();

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(attribute("ld_disposition").path("data_type").asText()).as("3 results > 2").isEqualTo("string");
        assertThat(callAttributes(13).path("ld_disposition").asText()).isEqualTo("Voicemail");
        ObjectNode outcome = attribute("ld_outcome");
        assertThat(outcome.path("data_type").asText()).isEqualTo("list");
        assertThat(liveOptions(outcome)).as("2 outcomes: the list is full").containsExactly("Won", "Lost");
        assertThat(callAttributes(13).has("ld_outcome")).as("'later' cannot be added: left off").isFalse();
        assertThat(callAttributes(13).path("ld_disposition").asText()).isEqualTo("Voicemail");
        assertThat(intercom.requests()).allSatisfy(r -> assertThat(r.status()).isLessThan(400));
        assertThat(queue(run, "list value not migrated")).singleElement().asString().startsWith("ld_outcome = later: ")
                .contains("intercom.list-attribute-max-options = 2");
        assertThat(dispositions(run).path("intercom_attributes").path("ld_disposition").path("reason").asText())
                .isEqualTo("3 results in results_outcomes.json, more than the list limit of 2 (intercom.list-attribute-max-options)");
        run.assertAddsUp();
    }

    @Test
    void anOptionIntercomRefusesLeavesTheValueOffInsteadOfFailingTheCall() {
        intercom.faultsOnlyFor("POST", "/conversations/attributes/\\d+/options").failNext(1, 422);
        dropAll();

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(liveOptions(attribute("ld_disposition"))).containsExactly("Sale", "Call back", "No answer");
        assertThat(callAttributes(13).has("ld_disposition")).isFalse();
        assertThat(callAttributes(14).has("ld_disposition")).isFalse();
        assertThat(callAttributes(13).path("ld_outcome").asText()).isEqualTo("later");
        assertThat(intercom.requests()).filteredOn(r -> r.path().matches("/conversations/attributes/\\d+/options"))
                .as("the refused value is not asked for again").hasSize(2);
        assertThat(intercom.requests()).filteredOn(r -> r.path().startsWith("/conversations/") && r.method().equals("PUT"))
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        assertThat(queue(run, "list value not migrated")).singleElement().asString()
                .startsWith("ld_disposition = Voicemail: Intercom refused it as a new option (422");
        assertThat(run.counts("conversation").path("created").asLong()).isEqualTo(5);
        assertThat(migrator.deadLetters()).isEmpty();
        run.assertAddsUp();
    }

    @Test
    void aDryRunPlansTheListAttributesInTheOutbox() throws Exception {
        MigratorHarness dry = new MigratorHarness(home.resolve("dry"));
        dry.drop("leaddesk/results_outcomes.json", TAXONOMY);
        dry.drop("leaddesk/contacts.csv", CONTACTS);
        dry.drop("leaddesk/call_records.csv", calls(CALLS));

        Result run = dry.once();

        assertThat(run.exitCode()).isZero();
        Path outbox;
        try (java.util.stream.Stream<Path> files = Files.walk(dry.home().resolve("work/outbox"))) {
            outbox = files.filter(p -> p.getFileName().toString().equals("requests.jsonl")).findFirst().orElseThrow();
        }
        List<JsonNode> creates = new ArrayList<>();
        List<String> options = new ArrayList<>();
        for (String line : Files.readAllLines(outbox)) {
            JsonNode request = JSON.readTree(line);
            if (request.path("path").asText().equals("/conversations/attributes")) {
                creates.add(request.path("body"));
            } else if (request.path("path").asText().endsWith("/options")) {
                options.add(request.path("body").path("label").asText());
            }
        }
        assertThat(creates).filteredOn(c -> c.path("name").asText().equals("ld_disposition")).singleElement()
                .satisfies(c -> {
                    assertThat(c.path("data_type").asText()).isEqualTo("list");
                    assertThat(c.path("options").findValuesAsText("label")).containsExactly("Sale", "Call back", "No answer");
                });
        assertThat(options).containsExactlyInAnyOrder("Voicemail", "later");
        JsonNode planned = dispositions(run).path("intercom_attributes").path("ld_outcome");
        assertThat(planned.path("data_type").asText()).isEqualTo("list");
        assertThat(planned.path("origin").asText()).startsWith("to be created (dry-run ");
        run.assertAddsUp();
        assertThat(intercom.requests()).isEmpty();
    }

    @Test
    void rollbackArchivesTheOptionsItAddedToAListThatExistedBefore() {
        intercom.seedConversationAttribute("ld_disposition", "list", "Sale", "Call back", "No answer");
        dropAll();
        Result run = migrator.once();
        assertThat(run.exitCode()).isZero();
        assertThat(liveOptions(attribute("ld_disposition"))).contains("Voicemail");

        Result rollback = migrator.run(List.of("rollback", run.report().path("run_id").asText()));

        assertThat(rollback.exitCode()).isZero();
        assertThat(liveOptions(attribute("ld_disposition"))).containsExactly("Sale", "Call back", "No answer");
        assertThat(intercom.conversationAttributes()).filteredOn(a -> a.path("name").asText().equals("ld_outcome"))
                .allSatisfy(a -> assertThat(a.path("archived").asBoolean()).as("created by the run: archived").isTrue());
        assertThat(intercom.conversations()).isEmpty();
    }
}
