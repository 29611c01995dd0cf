package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.intercommigrator.fake.FakeIntercom;
import io.intercommigrator.testing.AgainstFakeIntercom;
import io.intercommigrator.testing.MigratorHarness.Result;

/**
 * Provisioning (contact data attributes, conversation attributes and their list options, ticket types, ticket type
 * attributes, tags) is idempotent: a definition whose create landed without its answer, or that an earlier run made,
 * is read back and used, never refused as "already exists", and what the run made is still undone by rollback.
 */
class ProvisioningEndToEndTest extends AgainstFakeIntercom {
    static final String TICKETS = """
            ticket_id,subject,body,status,priority,channel,department,agent_email,visitor_id,visitor_name,visitor_email,created_at,updated_at,tags
            t1,Invoice wrong,The invoice total is wrong,open,high,web,Support,sam@acme.test,v2,José Álvarez,jose@example.es,2025-03-05T10:00:00Z,,billing
            t2,Refund,Please refund,open,low,web,Sales,sam@acme.test,v3,Kim Lee,kim@example.com,2025-03-06T10:00:00Z,,
            t3,Login,I cannot log in,pending,high,web,Support,sam@acme.test,v4,Ola Nor,ola@example.no,2025-03-06T11:00:00Z,,
            """;
    static final String OFFLINE_MESSAGES = """
            message_id,visitor_id,name,email,phone,department,message,visitor_url,created_at
            o1,,Kari Nordmann,kari@example.no,,Sales,Please call me back,https://acme.test/pricing,2025-03-07 08:00:00
            o2,,Lars Berg,lars@example.se,,Support,Is anyone there?,https://acme.test/help,2025-03-07 09:00:00
            """;
    static final String CHATS = """
            {"session": [
              {"chat_id": "c1", "visitor_id": "v1", "name": "Anna", "email": "anna@example.de", "department": "Support",
               "start_time": "1741000000000", "rating": "good",
               "messages": [{"time": "1741000000000", "from": "visitor", "text": "Hello"},
                            {"time": "1741000060000", "from": "agent", "agent_email": "sam@acme.test", "text": "Hi Anna"}]},
              {"chat_id": "c2", "visitor_id": "v2", "name": "Bo", "email": "bo@example.se", "department": "Sales",
               "start_time": "1741000100000", "rating": "bad",
               "messages": [{"time": "1741000100000", "from": "visitor", "text": "Price?"}]}]}
            """;

    private static JsonNode read(String body) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    protected String token() {
        return "tok_provisioning";
    }

    @Override
    protected FakeIntercom.Builder configure(FakeIntercom.Builder server) {
        return server.admin("sam@acme.test", "Sam").team("Support");
    }

    /** The attributes a file's first contact needs are made at the same time, not each waiting for the one before. */
    @Test
    @Timeout(120)
    void theContactAttributesAFileNeedsAreMadeTogether() {
        int latency = 500;
        intercom.latencyMillis(latency);
        migrator.set("verification.sample-size", "0");
        migrator.drop("clickdesk/visitors.csv", """
                visitor_id,name,email,phone,tags,social_source,city,country,country_code,browser,os,first_seen,last_seen
                v1,Åsa Öberg,asa@example.se,+46 8 123,vip,facebook,Göteborg,Sweden,SE,Firefox,Linux,1741000000000,1741086400000
                v2,Ümit Çelik,umit@example.tr,,,twitter,İzmir,Türkiye,TR,Safari,macOS,1741000001000,1741086401000
                """);

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        run.assertAddsUp();
        List<FakeIntercom.RecordedRequest> creates = intercom.requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().equals("/data_attributes"))
                .sorted(java.util.Comparator.comparing(FakeIntercom.RecordedRequest::at)).toList();
        assertThat(creates).hasSizeGreaterThanOrEqualTo(5).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        // one after another, each would have waited for the answer to the one before: (n - 1) × latency apart at least
        assertThat(java.time.Duration.between(creates.get(0).at(), creates.get(creates.size() - 1).at()))
                .as("creates, ms after the first: %s", creates.stream().map(r -> read(r.body()).path("name").asText() + " +"
                        + java.time.Duration.between(creates.get(0).at(), r.at()).toMillis()).toList())
                .isLessThan(java.time.Duration.ofMillis(latency));
        List<String> made = intercom.dataAttributes().stream().map(a -> a.path("name").asText()).toList();
        assertThat(made).contains("cd_city", "cd_country", "cd_browser", "cd_os");
        assertThat(made).doesNotHaveDuplicates();
        JsonNode asa = intercom.contacts().stream().filter(c -> c.path("email").asText().equals("asa@example.se")).findFirst().orElseThrow();
        assertThat(asa.path("custom_attributes").path("cd_city").asText()).isEqualTo("Göteborg");
        assertThat(asa.path("custom_attributes").path("cd_os").asText()).isEqualTo("Linux");
    }

    /** tickets.csv in one run, offline_messages.csv in a later one: both use the ticket type and its department attribute. */
    @Test
    @Timeout(60)
    void offlineMessagesInALaterRunUseTheTicketTypeAndAttributesTheTicketsRunMade() {
        migrator.drop("clickdesk/tickets.csv", TICKETS);
        assertThat(migrator.once().exitCode()).isZero();
        assertThat(migrator.deadLetters()).isEmpty();

        migrator.drop("clickdesk/offline_messages.csv", OFFLINE_MESSAGES);
        Result later = migrator.once();

        assertThat(later.exitCode()).isZero();
        assertThat(migrator.deadLetters()).as("dead letters").isEmpty();
        assertThat(intercom.tickets()).hasSize(5);
        assertThat(intercom.ticketTypes()).hasSize(1);
        assertThat(names(ticketTypeAttributes(intercom.ticketTypes().get(0)))).as("each ticket type attribute once")
                .doesNotHaveDuplicates().contains("department");
        assertThat(intercom.requests()).as("nothing asked to be created twice")
                .noneMatch(r -> r.method().equals("POST") && r.status() >= 400 && r.status() < 500);
    }

    /** A LeadDesk contacts file, then a later one with more custom fields: the first fields are reused, the new ones made. */
    @Test
    @Timeout(60)
    void aLaterLeadDeskContactsFileWithMoreCustomFieldsReusesTheAttributesAndAddsTheNewOnes() {
        String fields = "{\"field\":\"other1\",\"label\":\"Tier\",\"type\":\"text\"},"
                + "{\"field\":\"other2\",\"label\":\"Region\",\"type\":\"text\"}";
        migrator.drop("leaddesk/custom_fields.json", "[" + fields + "]");
        migrator.drop("leaddesk/contacts.csv", """
                contact_id;fname;lname;phone;email;campaign_id;other1
                5001;Matti;Meikäläinen;+358 40 1;matti@example.fi;c1;gold
                """);
        assertThat(migrator.once().exitCode()).isZero();
        assertThat(names(intercom.dataAttributes())).contains("ld_tier");
        int before = intercom.dataAttributes().size();
        migrator.drop("leaddesk/custom_fields.json", "[" + fields + ",{\"field\":\"other3\",\"label\":\"Notes\",\"type\":\"text\"}]");
        migrator.drop("leaddesk/contacts.csv", """
                contact_id;fname;lname;phone;email;campaign_id;other1;other2
                5001;Matti;Meikäläinen;+358 40 1;matti@example.fi;c1;gold;north
                5002;Liisa;Virtanen;+358 40 2;liisa@example.fi;c1;silver;south
                """);

        Result later = migrator.once();

        assertThat(later.exitCode()).isZero();
        assertThat(migrator.deadLetters()).as("dead letters").isEmpty();
        assertThat(intercom.dataAttributes().size()).as("the new field made an attribute").isGreaterThan(before);
        assertThat(names(intercom.dataAttributes())).contains("ld_tier", "ld_region");
        assertThat(names(intercom.dataAttributes())).doesNotHaveDuplicates();
        assertThat(intercom.contacts()).hasSize(2);
        assertThat(intercom.requests()).as("nothing asked to be created twice")
                .noneMatch(r -> r.method().equals("POST") && r.status() >= 400 && r.status() < 500);
    }

    /**
     * One provisioning request is applied and then answered 502, the next one of its kind applied and cut off: the run
     * reads the definition back and uses it (no dead letter, no second definition), and rollback still undoes it.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/data_attributes", "/conversations/attributes", "/conversations/attributes/[^/]+/options",
            "/ticket_types", "/ticket_types/[^/]+/attributes", "/tags"})
    @Timeout(90)
    void aProvisioningWriteWhoseAnswerIsLostIsReadBackAndUsed(String path) {
        // a list the workspace has already: the option the run adds to it is the run's own, undone on its own
        intercom.seedConversationAttribute("ld_disposition", "list", "Sale", "Call back", "No answer");
        dropEveryKindOfDefinition();
        intercom.faultsOnlyFor("POST", path).ambiguousNext(2);

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(intercom.requests()).as("the fault happened")
                .anyMatch(r -> r.method().equals("POST") && r.path().matches(path) && (r.status() == 502 || r.status() == 0));
        assertThat(migrator.deadLetters()).as("dead letters").isEmpty();
        assertThat(intercom.tickets()).hasSize(5);
        assertThat(intercom.conversations()).as("2 chats and 5 LeadDesk calls").hasSize(7);
        assertThat(names(intercom.dataAttributes())).doesNotHaveDuplicates();
        assertThat(names(intercom.conversationAttributes())).doesNotHaveDuplicates();
        assertThat(intercom.ticketTypes()).hasSize(1);
        assertThat(names(ticketTypeAttributes(intercom.ticketTypes().get(0)))).doesNotHaveDuplicates().contains("department");
        assertThat(names(intercom.tags())).doesNotHaveDuplicates();
        for (ObjectNode a : intercom.conversationAttributes()) {
            assertThat(names(a.path("options"), "label")).as(a.path("name").asText() + " options").doesNotHaveDuplicates();
        }

        intercom.ambiguousNext(0).faultsOnlyFor(null, null); // a kind written once leaves its second fault unused
        assertThat(migrator.run(List.of("rollback")).exitCode()).isZero();
        assertThat(intercom.dataAttributes()).as("contact attributes archived").allMatch(a -> a.path("archived").asBoolean());
        assertThat(intercom.conversationAttributes()).as("conversation attributes archived, the workspace's own kept")
                .allMatch(a -> a.path("archived").asBoolean() != a.path("name").asText().equals("ld_disposition"));
        ObjectNode disposition = intercom.conversationAttributes().stream()
                .filter(a -> a.path("name").asText().equals("ld_disposition")).findFirst().orElseThrow();
        assertThat(names(disposition.path("options"), "label")).as("the option the run added is archived")
                .containsExactly("sale", "call back", "no answer");
        assertThat(intercom.ticketTypes()).as("ticket type archived").allMatch(t -> t.path("archived").asBoolean());
        assertThat(intercom.tags()).as("tags deleted").isEmpty();
    }

    /**
     * Every kind of definition: contact attributes and tags (visitors, LeadDesk contacts), conversation attributes (chats)
     * and list attributes that gain options (LeadDesk calls with a result the taxonomy lacks), a ticket type (tickets).
     */
    private void dropEveryKindOfDefinition() {
        migrator.drop("leaddesk/campaigns.json", "[{\"id\":\"c1\",\"name\":\"Kevät\"}]");
        migrator.drop("leaddesk/results_outcomes.json", LeadDeskDispositionAttributesEndToEndTest.TAXONOMY);
        migrator.drop("leaddesk/contacts.csv", """
                contact_id;fname;lname;phone;email;campaign_id;other1
                5001;Matti;M;;matti@example.fi;c1;gold
                5002;Liisa;V;;liisa@example.fi;c1;silver
                """);
        migrator.drop("leaddesk/call_records.csv", LeadDeskDispositionAttributesEndToEndTest.calls(
                LeadDeskDispositionAttributesEndToEndTest.CALLS));
        migrator.drop("clickdesk/visitors.csv", """
                visitor_id,name,email,phone,tags
                v1,Anna,anna@example.de,+49 1,vip
                """);
        migrator.drop("clickdesk/chats.json", CHATS);
        migrator.drop("clickdesk/tickets.csv", TICKETS);
        migrator.drop("clickdesk/offline_messages.csv", OFFLINE_MESSAGES);
    }

    private static List<JsonNode> ticketTypeAttributes(JsonNode ticketType) {
        JsonNode list = ticketType.path("ticket_type_attributes");
        JsonNode items = list.has("ticket_type_attributes") ? list.get("ticket_type_attributes") : list.path("data");
        List<JsonNode> out = new java.util.ArrayList<>();
        items.forEach(out::add);
        return out;
    }

    private static List<String> names(List<? extends JsonNode> nodes) {
        return nodes.stream().filter(n -> !n.path("archived").asBoolean()).map(n -> n.path("name").asText().toLowerCase(Locale.ROOT))
                .toList();
    }

    private static List<String> names(JsonNode array, String field) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(o -> {
            if (!o.path("archived").asBoolean()) {
                out.add(o.path(field).asText().toLowerCase(Locale.ROOT));
            }
        });
        return out;
    }
}
