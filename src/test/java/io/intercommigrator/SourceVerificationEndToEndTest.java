package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import io.intercommigrator.fake.FakeIntercom;
import io.intercommigrator.testing.AgainstFakeIntercom;
import io.intercommigrator.testing.MapperDefects;
import io.intercommigrator.testing.MigratorHarness.Result;

/**
 * Issue 13 (4), seeds: "we validate a random sample … against the source". The read-back compares what Intercom holds
 * with the source records, not with what the mapper sent: a mapping defect (put into the routes here, right after the
 * mapper, so that Intercom holds exactly what was sent) is reported field by field; a clean run reports nothing, and
 * a value the run left off (mapping.md: a bad value costs a field) is listed as left off, not as a mismatch.
 */
class SourceVerificationEndToEndTest extends AgainstFakeIntercom {
    private static final String TOKEN = "tok_source_verify";
    private static final ZoneId HELSINKI = ZoneId.of("Europe/Helsinki");

    @Override
    protected String token() {
        return TOKEN;
    }

    @Override
    protected FakeIntercom.Builder configure(FakeIntercom.Builder server) {
        return server.admin("owner@acme.test", "Owner").admin("sam@acme.test", "Sam Seller");
    }

    /** Each mismatch as "source field: expected → actual". */
    private static List<String> mismatches(Result run) {
        List<String> out = new ArrayList<>();
        run.report().path("verification").path("mismatches").forEach(m -> out.add(m.path("source").asText() + " "
                + m.path("field").asText() + ": " + m.path("expected") + " → " + m.path("actual")));
        return out;
    }

    private JsonNode contactByExternalId(String externalId) {
        return intercom.contacts().stream().filter(c -> externalId.equals(c.path("external_id").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no contact " + externalId + " in the workspace"));
    }

    private static Map<String, byte[]> leadDeskBundle() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        LeadDeskEndToEndTest.bundle().forEach((k, v) -> entries.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return entries;
    }

    /** The LeadDesk bundle with a chatbot export: b1 as LeadDeskEndToEndTest has it, b2 handed over to Sam. */
    private static Map<String, byte[]> leadDeskBundleWithChatbot() throws Exception {
        Map<String, String> chatbot = LeadDeskEndToEndTest.chatbot(true);
        chatbot.put("conversations.csv", chatbot.get("conversations.csv")
                + "b2;1;2026-03-30 10:00:00;user;Haluan puhua ihmiselle;olli@example.fi;\n"
                + "b2;3;2026-03-30 10:01:00;agent;Hei Olli, Sam tässä;olli@example.fi;\n"
                + "b2;2;2026-03-30 10:00:10;bot;Siirrän sinut;olli@example.fi;\n");
        chatbot.put("outcomes.csv", chatbot.get("outcomes.csv") + "b2;human;handed_over;true\n");
        chatbot.put("timing.csv", chatbot.get("timing.csv")
                + "b2;2026-03-30 10:00:00;2026-03-30 10:01:00;60;2024-01-01 00:00:00;2026-11-01 00:00:00\n");
        chatbot.put("agent.csv", chatbot.get("agent.csv") + "b2;sam@acme.test;2026-03-30 10:00:30\n");
        Map<String, byte[]> entries = leadDeskBundle();
        entries.put("chatbot_export_2026.zip", BundleZips.zip(chatbot));
        return entries;
    }

    @Test
    void clickDeskMappingDefectsAreFoundAgainstTheSourceThoughIntercomHoldsWhatWasSent() throws Exception {
        MapperDefects.inject(home.resolve("routes/clickdesk.camel.yaml"), "clickdeskVisitors", "plan", "nameLosesAccents");
        MapperDefects.inject(home.resolve("routes/clickdesk.camel.yaml"), "clickdeskThreads", "chat", "threadOneHourLate");
        migrator.drop("clickdesk/visitors.csv", ClickDeskEndToEndTest.BUNDLE.get("visitors.csv"));
        migrator.drop("clickdesk/chats.json", ClickDeskEndToEndTest.BUNDLE.get("chats.json"));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(contactByExternalId("v1").path("name").asText()).as("the workspace holds what was sent").isEqualTo("Anna Muller");
        JsonNode v = run.report().path("verification");
        assertThat(mismatches(run)).as(v.toString()).contains(
                "clickdesk/contact/v1 name: \"Anna Müller\" → \"Anna Muller\"",
                "clickdesk/contact/v2 name: \"José Álvarez\" → \"Jose Alvarez\"",
                "clickdesk/conversation/c1 created_at: 1741000000 → 1741003600",
                "clickdesk/conversation/c1 parts[1].created_at: 1741000060 → 1741003660",
                "clickdesk/conversation/c1 parts[2].created_at: 1741000120 → 1741003720",
                "clickdesk/conversation/c1 parts[3].created_at: 1741000180 → 1741003780",
                "clickdesk/conversation/c2 created_at: 1741100000 → 1741103600",
                "clickdesk/conversation/c2 parts[1].created_at: 1741100030 → 1741103630");
        assertThat(v.path("mismatches")).filteredOn(m -> m.path("source").asText().equals("clickdesk/contact/v1")).singleElement()
                .satisfies(m -> {
                    assertThat(m.path("object_type").asText()).isEqualTo("contact");
                    assertThat(m.path("intercom_id").asText()).isEqualTo(contactByExternalId("v1").path("id").asText());
                    assertThat(m.path("source_record").asText()).isEqualTo("clickdesk/visitors.csv:2");
                });
        assertThat(v.path("matched").asInt()).as("only v9 (from its chat, no defect there) matches").isEqualTo(1);
        assertThat(run.stdout()).contains("verification: 1 of 5 sampled objects read back as sent");
    }

    @Test
    void leadDeskMappingDefectsAreFoundAgainstTheSource() throws Exception {
        MapperDefects.inject(home.resolve("routes/leaddesk.camel.yaml"), "leaddeskContacts", "plan", "datesReadInUtc");
        MapperDefects.inject(home.resolve("routes/leaddesk.camel.yaml"), "leaddeskSources", "call", "dispositionAndOutcomeSwapped");
        migrator.drop("leaddesk/leaddesk-export.zip", BundleZips.zipBytes(leadDeskBundle()));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        long midnight = LocalDate.of(2026, 12, 31).atStartOfDay(HELSINKI).toEpochSecond();
        assertThat(contactByExternalId("ld-contact-5001").path("custom_attributes").path("ld_sopimus_paattyy").asLong())
                .as("the workspace holds what was sent").isEqualTo(midnight + 3 * 3600);
        JsonNode v = run.report().path("verification");
        List<String> found = mismatches(run);
        assertThat(found).as(v.toString()).contains(
                "leaddesk/contact/5001 custom_attributes.ld_sopimus_paattyy: " + midnight + " → " + (midnight + 3 * 3600),
                "leaddesk/conversation/call-k1 custom_attributes.ld_disposition: \"Sale\" → \"Won\"",
                "leaddesk/conversation/call-k1 custom_attributes.ld_outcome: \"Won\" → \"Sale\"",
                "leaddesk/conversation/call-k2 custom_attributes.ld_disposition: \"Sale\" → \"Won\"");
        assertThat(found).as("the leads have no date field: nothing else differs").allMatch(m -> m.contains("ld_sopimus_paattyy")
                || m.contains("ld_disposition") || m.contains("ld_outcome"));
    }

    private static long at(String iso) {
        return java.time.Instant.parse(iso).getEpochSecond();
    }

    @Test
    void socialThreadsCallNotesAndTicketMessagesAreComparedWithTheirRows() throws Exception {
        Path routes = home.resolve("routes/clickdesk.camel.yaml");
        MapperDefects.inject(routes, "clickdeskThreads", "socialThread", "threadOneHourLate");
        MapperDefects.inject(routes, "clickdeskThreads", "voipCall", "callDurationAsMinutes");
        MapperDefects.inject(routes, "clickdeskThreads", "ticketMessage", "messageAuthorSwapped");
        for (String file : List.of("visitors.csv", "tickets.csv", "ticket_messages.csv", "social_messages.csv", "voip_calls.csv")) {
            migrator.drop("clickdesk/" + file, ClickDeskEndToEndTest.BUNDLE.get(file));
        }

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        JsonNode v = run.report().path("verification");
        List<String> found = mismatches(run);
        long s1 = at("2025-03-08T09:00:00Z");
        long s2 = at("2025-03-08T10:00:00Z");
        assertThat(found).as(v.toString()).contains(
                "clickdesk/conversation/social-s1 created_at: " + s1 + " → " + (s1 + 3600),
                "clickdesk/conversation/social-s1 parts[1].created_at: " + (s1 + 300) + " → " + (s1 + 3900),
                "clickdesk/conversation/social-s2 created_at: " + s2 + " → " + (s2 + 3600));
        assertThat(found).as("the call's note says 95 seconds as 1:35").anySatisfy(m ->
                assertThat(m).startsWith("clickdesk/conversation/voip-p1 parts[p1].duration: \"1:35\" → \"").contains("95:00"));
        assertThat(found).as("the ticket's messages by their authors in ticket_messages.csv").anySatisfy(m ->
                assertThat(m).startsWith("clickdesk/ticket/t1 parts[m1].author: \"admin\" → "));
        assertThat(found).anySatisfy(m -> assertThat(m).startsWith("clickdesk/ticket/t1 parts[m2].author: \"contact\" → \"admin\""));
        assertThat(v.path("sampled_by_type").path("conversation_part").asInt()).as("t1's messages, one item").isEqualTo(1);
        assertThat(v.path("sampled_by_kind").path("clickdesk social_messages.csv").asInt()).isEqualTo(2);
        assertThat(v.path("sampled_by_kind").path("clickdesk voip_calls.csv").asInt()).isEqualTo(1);
        assertThat(v.path("mismatches")).filteredOn(m -> m.path("source").asText().equals("clickdesk/conversation/social-s2"))
                .allSatisfy(m -> assertThat(m.path("source_record").asText()).isEqualTo("clickdesk/social_messages.csv:3"));
    }

    @Test
    void aChatbotSessionIsComparedWithItsRowsInMessageIndexOrder() throws Exception {
        MapperDefects.inject(home.resolve("routes/leaddesk.camel.yaml"), "leaddeskSources", "chatbotSession", "partTimesReversed");
        migrator.drop("leaddesk/leaddesk-export.zip", BundleZips.zipBytes(leadDeskBundleWithChatbot()));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        JsonNode v = run.report().path("verification");
        long b1m2 = LocalDateTime.of(2026, 3, 29, 4, 0, 30).atZone(HELSINKI).toEpochSecond();
        long b1m3 = LocalDateTime.of(2026, 3, 29, 4, 1, 0).atZone(HELSINKI).toEpochSecond();
        long b2m2 = LocalDateTime.of(2026, 3, 30, 10, 0, 10).atZone(HELSINKI).toEpochSecond();
        long b2m3 = LocalDateTime.of(2026, 3, 30, 10, 1, 0).atZone(HELSINKI).toEpochSecond();
        assertThat(mismatches(run)).as(v.toString()).containsExactlyInAnyOrder(
                "leaddesk/conversation/chatbot-b1 part_order: [\"2\",\"3\"] → [\"3\",\"2\"]",
                "leaddesk/conversation/chatbot-b1 parts[2].created_at: " + b1m2 + " → " + b1m3,
                "leaddesk/conversation/chatbot-b1 parts[3].created_at: " + b1m3 + " → " + b1m2,
                "leaddesk/conversation/chatbot-b2 part_order: [\"2\",\"handover\",\"3\"] → [\"3\",\"handover\",\"2\"]",
                "leaddesk/conversation/chatbot-b2 parts[2].created_at: " + b2m2 + " → " + b2m3,
                "leaddesk/conversation/chatbot-b2 parts[3].created_at: " + b2m3 + " → " + b2m2);
        assertThat(v.path("sampled_by_kind").path("leaddesk chatbot_export*.zip").asInt()).isEqualTo(2);
    }

    @Test
    void aCleanRunAgreesWithItsSourceAndValuesLeftOffAreListedAsSuch() throws Exception {
        migrator.drop("clickdesk/visitors.csv", ClickDeskEndToEndTest.BUNDLE.get("visitors.csv"));
        migrator.drop("clickdesk/chats.json", ClickDeskEndToEndTest.BUNDLE.get("chats.json"));
        migrator.drop("clickdesk/tickets.csv", ClickDeskEndToEndTest.BUNDLE.get("tickets.csv"));
        migrator.drop("clickdesk/ticket_messages.csv", ClickDeskEndToEndTest.BUNDLE.get("ticket_messages.csv"));
        migrator.drop("clickdesk/social_messages.csv", ClickDeskEndToEndTest.BUNDLE.get("social_messages.csv"));
        migrator.drop("clickdesk/voip_calls.csv", ClickDeskEndToEndTest.BUNDLE.get("voip_calls.csv"));
        migrator.drop("clickdesk/offline_messages.csv", "message_id,visitor_id,name,email,phone,department,message,visitor_url,created_at\n"
                + "o1,v2,José Álvarez,jose@example.es,,Support,Call me back,https://acme.example/pricing,05.03.2025 08:15\n");
        Map<String, byte[]> leaddesk = leadDeskBundleWithChatbot();
        leaddesk.put("custom_fields.json", ("[{\"field\":\"other1\",\"label\":\"Sopimus päättyy\",\"type\":\"date\"},"
                + "{\"field\":\"other2\",\"label\":\"Henkilöstö\",\"type\":\"number\"},"
                + "{\"field\":\"other3\",\"label\":\"Kiinnostus\",\"type\":\"multiselect\"}]").getBytes(StandardCharsets.UTF_8));
        leaddesk.put("contacts.csv", ("contact_id;fname;lname;phone;email;campaign_id;other1;other2;other3\n"
                + "5001;Matti;Meikäläinen;+358 40 1;Matti@Example.fi ;c1;31.12.2026;1 234;A|B\n"
                + "5002;Maija;Mallikas;040 555 1234;maija@example.fi;;31.02.2027;paljon;\n").getBytes(StandardCharsets.UTF_8));
        migrator.drop("leaddesk/leaddesk-export.zip", BundleZips.zipBytes(leaddesk));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        JsonNode v = run.report().path("verification");
        assertThat(v.path("mismatches")).as(v.toString()).isEmpty();
        assertThat(v.path("matched").asInt()).isEqualTo(v.path("sampled").asInt());
        assertThat(v.path("sampled_by_type").path("ticket").asInt()).as("t1 and the offline message").isEqualTo(2);
        assertThat(v.path("sampled_by_type").path("conversation_part").asInt()).as("t1's messages").isEqualTo(1);
        assertThat(v.path("sampled_by_type").path("note").asInt()).as("p1 on Anna's Facebook thread").isEqualTo(1);
        assertThat(v.path("sampled_by_kind").fieldNames()).toIterable().contains("clickdesk social_messages.csv",
                "clickdesk voip_calls.csv", "clickdesk ticket_messages.csv", "leaddesk chatbot_export*.zip");
        List<String> leftOff = new ArrayList<>();
        v.path("left_off").forEach(l -> leftOff.add(l.path("source").asText() + " " + l.path("field").asText() + " = "
                + l.path("value").asText()));
        assertThat(leftOff).containsExactlyInAnyOrder(
                "leaddesk/contact/5002 custom_attributes.ld_sopimus_paattyy = 31.02.2027",
                "leaddesk/contact/5002 custom_attributes.ld_henkilosto = paljon");
        assertThat(v.path("left_off")).allSatisfy(l -> {
            assertThat(l.path("object_type").asText()).isEqualTo("contact");
            assertThat(l.path("reason").asText()).contains("not a valid");
            assertThat(l.path("actual").isNull()).isTrue();
        });
    }
}
