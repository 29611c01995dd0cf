package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import org.junit.jupiter.api.Test;

import io.intercommigrator.fake.FakeIntercom;
import io.intercommigrator.fake.FakeIntercom.RecordedRequest;
import io.intercommigrator.testing.AgainstFakeIntercom;
import io.intercommigrator.testing.MigratorHarness;
import io.intercommigrator.testing.MigratorHarness.Result;

import io.intercommigrator.core.ExitCode;
/**
 * LeadDesk campaigns → tag {@code ld_campaign_<slug>} on every contact and lead, applied in bulk through the real
 * routes: {@code POST /tags {name, users:[…]}} per batch instead of one {@code POST /contacts/{id}/tags} per contact.
 */
class LeadDeskCampaignTagsEndToEndTest extends AgainstFakeIntercom {
    private static final String TOKEN = "tok_campaign_tags";
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String CAMPAIGNS = """
            [{"id":"c1","name":"Kevät 2026"},{"id":"c2","name":"Syksy 2026"},{"id":"c3","name":"Talvi 2027"}]""";
    static final List<String> TAGS = List.of("ld_campaign_kevat_2026", "ld_campaign_syksy_2026", "ld_campaign_talvi_2027");

    @Override
    protected String token() {
        return TOKEN;
    }

    @Override
    protected FakeIntercom.Builder configure(FakeIntercom.Builder server) {
        return server.limitPer10s(5000);
    }

    /** n contacts, contact i in campaign c((i - 1) % 3 + 1), rows in the given order. */
    static String contacts(List<Integer> ids) {
        StringBuilder csv = new StringBuilder("contact_id;fname;lname;phone;email;campaign_id\n");
        for (int i : ids) {
            csv.append(i).append(";Etu").append(i).append(";Suku;;person").append(i).append("@example.fi;c")
                    .append((i - 1) % 3 + 1).append('\n');
        }
        return csv.toString();
    }

    static List<Integer> range(int n) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ids.add(i);
        }
        return ids;
    }

    static String campaignTagOf(int i) {
        return TAGS.get((i - 1) % 3);
    }

    /** The bulk calls: POST /tags with users. */
    static List<JsonNode> bulkTagCalls(List<RecordedRequest> requests) {
        return requests.stream().filter(r -> r.method().equals("POST") && r.path().equals("/tags"))
                .map(r -> read(r.body())).filter(b -> b.has("users")).toList();
    }

    static long perContactTagCalls(List<RecordedRequest> requests) {
        return requests.stream().filter(r -> r.method().equals("POST") && r.path().matches("/contacts/[^/]+/tags")).count();
    }

    static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** email → the names of its tags in Intercom. */
    private Map<String, List<String>> tagsByEmail() {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        intercom.contacts().forEach(c -> out.put(c.path("email").asText(), c.path("tags").path("data").findValuesAsText("name")));
        return out;
    }

    private List<RecordedRequest> requestsSince(int from) {
        List<RecordedRequest> all = intercom.requests();
        return all.subList(from, all.size());
    }

    @Test
    void threeHundredContactsInThreeCampaignsAreTaggedInThreeBulkCallsAndARerunSendsNothing() {
        migrator.set("verification.sample-size", "0"); // the calls counted are the delivery's only
        migrator.drop("leaddesk/campaigns.json", CAMPAIGNS);
        migrator.drop("leaddesk/contacts.csv", contacts(range(300)));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        Map<String, List<String>> tags = tagsByEmail();
        assertThat(tags).hasSize(300);
        for (int i = 1; i <= 300; i++) {
            assertThat(tags.get("person" + i + "@example.fi")).as("contact " + i).containsExactly(campaignTagOf(i));
        }
        List<JsonNode> bulk = bulkTagCalls(intercom.requests());
        assertThat(bulk).hasSize(3);
        assertThat(bulk).allSatisfy(b -> assertThat(b.path("users")).hasSize(100));
        assertThat(bulk).extracting(b -> b.path("name").asText()).containsExactlyInAnyOrderElementsOf(TAGS);
        assertThat(perContactTagCalls(intercom.requests())).isZero();
        assertThat(intercom.requests()).allSatisfy(r -> assertThat(r.status()).isLessThan(400));
        assertThat(run.counts("tag").path("source").asLong()).isEqualTo(300);
        assertThat(run.counts("tag").path("created").asLong()).isEqualTo(300);
        run.assertAddsUp();
        int calls = intercom.requests().size();
        Map<String, Integer> byEndpoint = new java.util.TreeMap<>();
        intercom.requests().forEach(r -> byEndpoint.merge(r.method() + " " + r.path(), 1, Integer::sum));
        System.out.printf("campaign tags in bulk: %d requests for 300 contacts in 3 campaigns (%.3f per record): %s%n",
                calls, calls / 300.0, byEndpoint);
        // one upsert per contact; the tags: the workspace's tag list, one create per campaign, one bulk call per 100
        assertThat(byEndpoint).containsExactlyInAnyOrderEntriesOf(Map.of("POST /contacts", 300, "GET /tags", 1,
                "POST /tags", 3 + 3, "GET /data_attributes", 1, "POST /data_attributes", 1));

        // nothing new: no request at all
        Result idle = migrator.once();
        assertThat(idle.exitCode()).isZero();
        assertThat(intercom.requests()).hasSize(calls);

        // the same people in another file (rows reordered, so a new fingerprint): every contact and tag is unchanged
        List<Integer> reversed = new ArrayList<>(range(300));
        java.util.Collections.reverse(reversed);
        migrator.drop("leaddesk/again_contacts.csv", contacts(reversed));
        Result again = migrator.once();
        assertThat(again.exitCode()).isZero();
        assertThat(requestsSince(calls)).as("a re-run sends zero requests").isEmpty();
        assertThat(again.counts("tag").path("unchanged").asLong()).isEqualTo(300);
        assertThat(again.counts("contact").path("unchanged").asLong()).isEqualTo(300);
        again.assertAddsUp();
    }

    @Test
    void theTagBatchesWaitingAtTheEndOfAFileGoOutTogetherNotOneAfterAnother() {
        migrator.set("verification.sample-size", "0");
        migrator.drop("leaddesk/campaigns.json", CAMPAIGNS);
        migrator.drop("leaddesk/contacts.csv", contacts(range(270)));
        int latency = 1000;
        intercom.latencyMillis(latency);
        assertThat(migrator.once().exitCode()).isZero();
        // the three new tags were made at the same time too, each before its batch
        List<RecordedRequest> made = intercom.requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().equals("/tags") && !read(r.body()).has("users"))
                .sorted(java.util.Comparator.comparing(RecordedRequest::at)).toList();
        assertThat(made).hasSize(3);
        assertThat(java.time.Duration.between(made.get(0).at(), made.get(2).at())).isLessThan(java.time.Duration.ofMillis(latency));
        int from = intercom.requests().size(); // the three tags now exist: the next run only applies them
        // 90 people a campaign: no batch of 100 fills, so all three wait for the end of the file
        migrator.drop("leaddesk/more_contacts.csv", contacts(java.util.stream.IntStream.rangeClosed(271, 540).boxed().toList()));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        run.assertAddsUp();
        List<RecordedRequest> bulk = requestsSince(from).stream()
                .filter(r -> r.method().equals("POST") && r.path().equals("/tags") && read(r.body()).has("users"))
                .sorted(java.util.Comparator.comparing(RecordedRequest::at)).toList();
        assertThat(bulk).hasSize(3).allSatisfy(r -> assertThat(read(r.body()).path("users")).hasSize(90));
        assertThat(bulk).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        // one after another, each would have waited for the answer to the one before: at least 2 × latency apart
        assertThat(java.time.Duration.between(bulk.get(0).at(), bulk.get(2).at())).isLessThan(java.time.Duration.ofMillis(latency));
        Map<String, List<String>> tags = tagsByEmail();
        for (int i = 271; i <= 540; i++) {
            assertThat(tags.get("person" + i + "@example.fi")).as("contact " + i).containsExactly(campaignTagOf(i));
        }
        assertThat(run.counts("tag").path("created").asLong()).isEqualTo(270);
    }

    @Test
    void leadsAreTaggedInBatchesOfTheConfiguredSize() {
        migrator.set("delivery.tag-batch-size", "10");
        StringBuilder leads = new StringBuilder("lead_id;fname;lname;phone;email;status;outcome;campaign_id;office;sponsor;company_id;created_at\n");
        for (int i = 1; i <= 25; i++) {
            leads.append('L').append(i).append(";Liidi;").append(i).append(";;lead").append(i).append("@example.fi;new;;c")
                    .append(i % 2 + 1).append(";;;;2026-03-01 09:00:00\n");
        }
        migrator.drop("leaddesk/campaigns.json", CAMPAIGNS);
        migrator.drop("leaddesk/leads.csv", leads.toString());

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        Map<String, List<String>> tags = tagsByEmail();
        for (int i = 1; i <= 25; i++) {
            assertThat(tags.get("lead" + i + "@example.fi")).containsExactly(i % 2 == 0 ? TAGS.get(0) : TAGS.get(1));
        }
        List<JsonNode> bulk = bulkTagCalls(intercom.requests());
        assertThat(bulk).extracting(b -> b.path("users").size()).containsExactlyInAnyOrder(10, 2, 10, 3); // 12 in c1, 13 in c2
        assertThat(perContactTagCalls(intercom.requests())).isZero();
        assertThat(run.counts("tag").path("created").asLong()).isEqualTo(25);
        run.assertAddsUp();
    }

    @Test
    void aRunStoppedWhileItsTagsWentOutSendsOnlyTheTagsThatDidNotLandOnTheNextRun() {
        TAGS.forEach(intercom::seedTag); // so the first POST /tags is the first bulk call
        intercom.faultsOnlyFor("POST", "/tags").failNext(1, 401);
        migrator.drop("leaddesk/campaigns.json", CAMPAIGNS);
        migrator.drop("leaddesk/contacts.csv", contacts(range(30)));

        Result stopped = migrator.once();

        assertThat(stopped.exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION);
        assertThat(intercom.contacts()).hasSize(30);
        // the file's three batches go out together: the refused one stops the run, the others may have landed
        List<String> landed = bulkTagCalls(intercom.requests().stream().filter(r -> r.status() == 200).toList()).stream()
                .map(b -> b.path("name").asText()).toList();
        assertThat(landed).hasSizeLessThan(3);
        Map<String, List<String>> afterStop = tagsByEmail();
        for (int i = 1; i <= 30; i++) {
            assertThat(afterStop.get("person" + i + "@example.fi")).as("contact " + i)
                    .isEqualTo(landed.contains(campaignTagOf(i)) ? List.of(campaignTagOf(i)) : List.of());
        }
        assertThat(migrator.inbox().resolve("leaddesk/contacts.csv")).as("left for the next run").exists();

        int before = intercom.requests().size();
        Result resumed = migrator.once();

        assertThat(resumed.exitCode()).isZero();
        List<RecordedRequest> sent = requestsSince(before);
        assertThat(sent).filteredOn(r -> !r.method().equals("GET")).as("only the bulk tag calls that did not land, once each")
                .extracting(r -> r.method() + " " + r.path()).containsExactlyElementsOf(
                        java.util.Collections.nCopies(3 - landed.size(), "POST /tags"));
        assertThat(bulkTagCalls(sent)).extracting(b -> b.path("name").asText()).doesNotContainAnyElementsOf(landed);
        assertThat(bulkTagCalls(sent)).extracting(b -> b.path("users").size()).containsOnly(10);
        Map<String, List<String>> tags = tagsByEmail();
        for (int i = 1; i <= 30; i++) {
            assertThat(tags.get("person" + i + "@example.fi")).containsExactly(campaignTagOf(i));
        }
        assertThat(resumed.counts("contact").path("unchanged").asLong()).isEqualTo(30);
        assertThat(resumed.counts("tag").path("created").asLong()).isEqualTo(10L * (3 - landed.size()));
        assertThat(resumed.counts("tag").path("unchanged").asLong()).isEqualTo(10L * landed.size());
        resumed.assertAddsUp();
    }

    @Test
    void aBulkCallWithAnUnknownOutcomeIsSentOnceMoreAndTagsNobodyTwice() {
        TAGS.forEach(intercom::seedTag);
        intercom.faultsOnlyFor("POST", "/tags").ambiguousNext(1); // applied, then answered 502
        migrator.drop("leaddesk/campaigns.json", CAMPAIGNS);
        migrator.drop("leaddesk/contacts.csv", contacts(range(30)));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(bulkTagCalls(intercom.requests())).as("the batch whose answer was lost went once more").hasSize(4);
        Map<String, List<String>> tags = tagsByEmail();
        for (int i = 1; i <= 30; i++) {
            assertThat(tags.get("person" + i + "@example.fi")).containsExactly(campaignTagOf(i));
        }
        assertThat(run.counts("tag").path("created").asLong()).isEqualTo(30);
        assertThat(run.report().path("requests").path("retried").asLong()).isEqualTo(1);
        run.assertAddsUp();
        assertThat(migrator.deadLetters()).isEmpty();
    }

    @Test
    void aBulkCallIntercomRefusesIsTaggedContactByContactAndOnlyTheContactAtFaultIsDeadLetteredThenReplayed() {
        TAGS.forEach(intercom::seedTag);
        // the bulk call and then the first contact's own call answer 404 (as for a contact deleted meanwhile)
        intercom.faultsOnlyFor("POST", "/tags|/contacts/[^/]+/tags").failNext(2, 404);
        migrator.drop("leaddesk/campaigns.json", CAMPAIGNS);
        migrator.drop("leaddesk/contacts.csv", contacts(List.of(1, 4, 7, 10)));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(bulkTagCalls(intercom.requests())).hasSize(1);
        assertThat(perContactTagCalls(intercom.requests())).isEqualTo(4);
        assertThat(tagsByEmail().values()).filteredOn(List::isEmpty).hasSize(1);
        assertThat(run.counts("tag").path("created").asLong()).isEqualTo(3);
        assertThat(run.counts("tag").path("dead_lettered").asLong()).isEqualTo(1);
        run.assertAddsUp();
        List<JsonNode> letters = migrator.deadLetters();
        assertThat(letters).hasSize(1);
        JsonNode letter = letters.get(0);
        assertThat(letter.path("source_file").asText()).isEqualTo("leaddesk/contacts.csv");
        assertThat(letter.path("source_record").path("campaign_id").asText()).isEqualTo("c1");
        assertThat(letter.path("payload").path("name").asText()).isEqualTo(TAGS.get(0));
        assertThat(letter.path("error").path("status").asInt()).isEqualTo(404);

        Result replay = migrator.run(List.of("replay"));

        assertThat(replay.exitCode()).isZero();
        assertThat(replay.stdout()).contains("Replay: 1 delivered, 0 failed again");
        assertThat(tagsByEmail().values()).allSatisfy(t -> assertThat(t).containsExactly(TAGS.get(0)));
        assertThat(replay.counts("contact").path("unchanged").asLong()).isEqualTo(1);
        assertThat(replay.counts("tag").path("created").asLong()).isEqualTo(1);
        replay.assertAddsUp();
    }

    @Test
    void rollbackTakesTheBulkTagsOffAgain() {
        intercom.seedContact(JsonNodeFactory.instance.objectNode().put("email", "person2@example.fi").put("name", "Kaisa (CRM)")
                .put("role", "user"));
        Map<String, Object> before = RollbackEndToEndTest.state(intercom);
        migrator.drop("leaddesk/campaigns.json", CAMPAIGNS);
        migrator.drop("leaddesk/contacts.csv", contacts(range(12)));
        Result run = migrator.once();
        assertThat(run.exitCode()).isZero();
        assertThat(tagsByEmail().get("person2@example.fi")).containsExactly(TAGS.get(1));
        assertThat(RollbackEndToEndTest.state(intercom)).isNotEqualTo(before);

        Result rollback = migrator.run(List.of("rollback", run.report().path("run_id").asText()));

        assertThat(rollback.exitCode()).isZero();
        assertThat(RollbackEndToEndTest.state(intercom)).isEqualTo(before);
        assertThat(intercom.requests()).filteredOn(r -> r.method().equals("DELETE") && r.path().matches("/contacts/[^/]+/tags/.+"))
                .as("only the contact that existed before loses the tag one by one; the others are deleted").hasSize(1);
    }

    @Test
    void aDryRunWritesTheBulkRequestToTheOutbox() throws Exception {
        MigratorHarness dry = new MigratorHarness(home.resolve("dry"));
        dry.drop("leaddesk/campaigns.json", CAMPAIGNS);
        dry.drop("leaddesk/contacts.csv", contacts(List.of(1, 4, 7, 2)));

        Result run = dry.once();

        assertThat(run.exitCode()).isZero();
        Path outbox;
        try (Stream<Path> files = Files.walk(dry.home().resolve("work/outbox"))) {
            outbox = files.filter(p -> p.getFileName().toString().equals("requests.jsonl")).findFirst().orElseThrow();
        }
        List<JsonNode> lines = Files.readAllLines(outbox).stream().map(LeadDeskCampaignTagsEndToEndTest::read).toList();
        List<JsonNode> bulk = lines.stream().filter(l -> l.path("path").asText().equals("/tags") && l.path("body").has("users"))
                .map(l -> l.path("body")).toList();
        assertThat(bulk).extracting(b -> b.path("name").asText() + ":" + b.path("users").size())
                .containsExactlyInAnyOrder(TAGS.get(0) + ":3", TAGS.get(1) + ":1");
        assertThat(lines).noneMatch(l -> l.path("path").asText().matches("/contacts/[^/]+/tags"));
        assertThat(run.counts("tag").path("created").asLong()).isEqualTo(4);
        run.assertAddsUp();
        assertThat(intercom.requests()).isEmpty();
    }
}
