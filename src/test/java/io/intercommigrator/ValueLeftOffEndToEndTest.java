package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import io.intercommigrator.fake.FakeIntercom;
import io.intercommigrator.testing.AgainstFakeIntercom;
import io.intercommigrator.testing.MigratorHarness.Result;

/**
 * mapping.md, "A bad value costs a field, never the record": a LeadDesk date custom field in the Finnish form moves,
 * and a value that does not fit its attribute (a date that is no date, a number that is no number, a boolean that is
 * not one, a text over Intercom's limit) is left off that record and listed in the reconciliation queue with file,
 * line, column, value and reason, while the record and its threads (call records, chats) still move.
 */
class ValueLeftOffEndToEndTest extends AgainstFakeIntercom {
    private static final String TOKEN = "tok_bad_value";
    private static final ZoneId HELSINKI = ZoneId.of("Europe/Helsinki");
    private static final String LONG_TEXT = "Pitkä muistiinpano ".repeat(20).strip(); // 379 characters, over 255

    @Override
    protected String token() {
        return TOKEN;
    }

    @Override
    protected FakeIntercom.Builder configure(FakeIntercom.Builder server) {
        return server.admin("owner@acme.test", "Owner").admin("sam@acme.test", "Sam Seller");
    }

    private static long helsinkiMidnight(int year, int month, int day) {
        return LocalDate.of(year, month, day).atStartOfDay(HELSINKI).toEpochSecond();
    }

    private JsonNode contactByExternalId(String externalId) {
        return intercom.contacts().stream().filter(c -> externalId.equals(c.path("external_id").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no contact " + externalId + " in the workspace"));
    }

    private static List<JsonNode> leftOff(Result run) {
        List<JsonNode> out = new ArrayList<>();
        run.report().path("reconciliation_queue").forEach(q -> {
            if (q.path("kind").asText().equals("value left off")) {
                out.add(q);
            }
        });
        return out;
    }

    private static String where(JsonNode q) {
        return q.path("file").asText() + ":" + q.path("line").asLong() + " " + q.path("column").asText() + " = "
                + q.path("value").asText();
    }

    @Test
    void leadDeskContactsWithFinnishAndOddValuesMoveWithTheirCallsAndOnlyTheBadFieldsStayBehind() {
        migrator.drop("leaddesk/custom_fields.json", """
                [{"field":"other1","label":"Sopimus päättyy","type":"date"},
                 {"field":"other2","label":"Henkilöstö","type":"number"},
                 {"field":"other3","label":"Muistiinpano","type":"text"}]""");
        migrator.drop("leaddesk/agents.csv", "agent_id;username;name;email;role;office;project_ids;employment\n"
                + "a1;sam;Sam Seller;sam@acme.test;agent;;;active\n");
        migrator.drop("leaddesk/contacts.csv", "contact_id;fname;lname;phone;email;campaign_id;other1;other2;other3\n"
                + "7001;Matti;Meikäläinen;+358 40 1;matti@example.fi;;12.05.2027;1 234;Ääkköset ja €\n"
                + "7002;Maija;Mallikas;+358 40 2;maija@example.fi;;1.5.2027;paljon;\n"
                + "7003;Kalle;Korhonen;+358 40 3;kalle@example.fi;;31.02.2027;1e3;" + LONG_TEXT + "\n"
                + "7004;Liisa;Laine;+358 40 4;liisa@example.fi;;2027-05-12 10:00:00;  ;   \n"
                + "7005;Pekka;Puro;+358 40 5;;;ensi viikolla;12,5;ok\n");
        migrator.drop("leaddesk/leads.csv", "lead_id;fname;lname;phone;email;status;outcome;campaign_id;office;sponsor;company_id;created_at\n"
                + "L1;Olli;Oja;+358 50 1;olli@example.fi;new;;;;;;eilen\n");
        StringBuilder calls = new StringBuilder("id;contact_id;agent_id;agent_username;campaign;campaign_name;direction;"
                + "talk_start;talk_end;talk_time;call_ending_reason;call_ending_reason_name;outcome;record_file;comment;created_at\n");
        for (int i = 1; i <= 5; i++) {
            calls.append("k").append(i).append(";700").append(i).append(";a1;sam;;;outbound;12.05.2027 10:0").append(i)
                    .append(";;").append(i == 3 ? "n/a" : "6" + i).append(";;;;;;\n");
        }
        migrator.drop("leaddesk/call_records.csv", calls.toString());

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(migrator.deadLetters()).as("no contact and no call is lost for a bad value").isEmpty();
        assertThat(intercom.contacts()).as("five contacts and one lead").hasSize(6);
        assertThat(intercom.conversations()).as("every call record arrives").hasSize(5);
        run.assertAddsUp();
        assertThat(run.counts("contact").path("created").asLong()).isEqualTo(6);
        assertThat(run.counts("conversation").path("created").asLong()).isEqualTo(5);

        JsonNode matti = contactByExternalId("ld-contact-7001").path("custom_attributes");
        assertThat(matti.path("ld_sopimus_paattyy").asLong()).as("DD.MM.YYYY").isEqualTo(helsinkiMidnight(2027, 5, 12));
        assertThat(matti.path("ld_henkilosto").asDouble()).as("digits grouped with a space").isEqualTo(1234.0);
        assertThat(matti.path("ld_muistiinpano").asText()).isEqualTo("Ääkköset ja €");
        JsonNode maija = contactByExternalId("ld-contact-7002").path("custom_attributes");
        assertThat(maija.path("ld_sopimus_paattyy").asLong()).as("D.M.YYYY").isEqualTo(helsinkiMidnight(2027, 5, 1));
        assertThat(maija.has("ld_henkilosto")).as("'paljon' is no number").isFalse();
        JsonNode kalle = contactByExternalId("ld-contact-7003").path("custom_attributes");
        assertThat(kalle.has("ld_sopimus_paattyy")).as("31.02.2027 is no date").isFalse();
        assertThat(kalle.path("ld_henkilosto").asDouble()).as("1e3").isEqualTo(1000.0);
        assertThat(kalle.has("ld_muistiinpano")).as("a text over 255 characters").isFalse();
        JsonNode liisa = contactByExternalId("ld-contact-7004").path("custom_attributes");
        assertThat(liisa.path("ld_sopimus_paattyy").asLong()).isEqualTo(helsinkiMidnight(2027, 5, 12) + 10 * 3600);
        assertThat(liisa.has("ld_henkilosto")).as("spaces are no value").isFalse();
        JsonNode pekka = contactByExternalId("ld-contact-7005");
        assertThat(pekka.path("phone").asText()).as("a contact with a phone and no email moves").isEqualTo("+358 40 5");
        assertThat(pekka.path("custom_attributes").has("ld_sopimus_paattyy")).isFalse();
        assertThat(pekka.path("custom_attributes").path("ld_henkilosto").asDouble()).as("decimal comma").isEqualTo(12.5);
        JsonNode olli = contactByExternalId("ld-lead-L1");
        assertThat(olli.has("signed_up_at") && !olli.path("signed_up_at").isNull()).as("'eilen' is no time").isFalse();
        assertThat(olli.path("custom_attributes").path("ld_lead_status").asText()).isEqualTo("new");

        JsonNode call3 = intercom.conversations().stream()
                .filter(c -> "7003".equals(externalIdOfContact(c).replace("ld-contact-", ""))).findFirst()
                .orElseThrow(() -> new AssertionError("the call of contact 7003 did not arrive"));
        assertThat(call3.path("custom_attributes").has("ld_talk_time_seconds")).as("'n/a' is no talk time").isFalse();

        List<JsonNode> queued = leftOff(run);
        assertThat(queued).extracting(ValueLeftOffEndToEndTest::where).containsExactlyInAnyOrder(
                "leaddesk/contacts.csv:3 other2 = paljon",
                "leaddesk/contacts.csv:4 other1 = 31.02.2027",
                "leaddesk/contacts.csv:4 other3 = " + LONG_TEXT.substring(0, 120) + "…",
                "leaddesk/contacts.csv:6 other1 = ensi viikolla",
                "leaddesk/leads.csv:2 created_at = eilen",
                "leaddesk/call_records.csv:4 talk_time = n/a");
        assertThat(queued).allSatisfy(q -> {
            assertThat(q.path("reason").asText()).as("says why").contains("left off");
            assertThat(q.path("attribute").asText()).isNotBlank();
        });
        assertThat(queued).filteredOn(q -> q.path("column").asText().equals("other3")).singleElement()
                .satisfies(q -> assertThat(q.path("reason").asText()).contains("379 characters").contains("255"));
        assertThat(queued).filteredOn(q -> q.path("column").asText().equals("other1")).allSatisfy(q ->
                assertThat(q.path("reason").asText()).contains("not a valid date for attribute ld_sopimus_paattyy"));
    }

    private String externalIdOfContact(JsonNode conversation) {
        String id = conversation.path("contacts").path("contacts").path(0).path("id").asText();
        return intercom.contacts().stream().filter(c -> id.equals(c.path("id").asText())).findFirst()
                .map(c -> c.path("external_id").asText()).orElse("");
    }

    @Test
    void clickDeskVisitorWithBadTypedValuesMovesWithItsChat() throws Exception {
        Path mapping = home.resolve("config/mapping.yaml");
        String yaml = Files.readString(mapping, StandardCharsets.UTF_8);
        Files.writeString(mapping, yaml.replaceFirst("extra_columns: \\{}", "extra_columns: {seats: {attribute: cd_seats,"
                + " type: integer}, vip: {attribute: cd_vip, type: boolean}, renewal: {attribute: cd_renewal, type: date},"
                + " plan: {attribute: cd_plan, type: string}}"), StandardCharsets.UTF_8);
        assertThat(migrator.run(List.of("confirm")).exitCode()).isZero();
        migrator.drop("clickdesk/visitors.csv", "visitor_id,name,email,phone,tags,city,first_seen,seats,vip,renewal,plan\n"
                + "v1,Anna Müller,anna@example.de,,,Berlin,1741000000000,12,yes,01.03.2027,Gold\n"
                + "v2,José Álvarez,jose@example.es,,,Madrid,sometime,many,perhaps,2027-02-30," + "x".repeat(256) + "\n");
        migrator.drop("clickdesk/chats.json", """
                {"session": [
                  {"chat_id": "c2", "visitor_id": "v2", "name": "José Álvarez", "email": "jose@example.es",
                   "start_time": "1741100000000", "user_rate": "great",
                   "messages": [
                     {"time": "1741100000000", "from": "visitor", "text": "Hola"},
                     {"time": "1741100010000", "from": "visitor", "text": "   "},
                     {"time": "1741100020000", "from": "agent", "sender_email": "sam@acme.test", "text": "Hi José"},
                     {"time": "1741100020000", "from": "agent", "sender_email": "sam@acme.test", "text": "Hi José"}
                   ]}
                ]}
                """);
        migrator.drop("clickdesk/tickets.csv", "ticket_id,subject,body,status,priority,channel,department,agent_email,"
                + "visitor_id,visitor_name,visitor_email,created_at,updated_at,tags\n"
                + "t1,Invoice,Wrong total,closed,low,email,,,v2,José Álvarez,jose@example.es,01.03.2025 10:00,,\n");
        migrator.drop("clickdesk/ticket_messages.csv", "ticket_id,message_id,author_type,author_email,body,created_at,attachments\n"
                + "t1,m1,agent,sam@acme.test,We are checking,1.3.2025 11:00,\n"
                + "t1,m2,visitor,jose@example.es,  ,1741000000,\n");

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(migrator.deadLetters()).isEmpty();
        run.assertAddsUp();
        JsonNode anna = contactByExternalId("v1");
        assertThat(anna.path("custom_attributes").path("cd_seats").asLong()).isEqualTo(12);
        assertThat(anna.path("custom_attributes").path("cd_vip").asBoolean()).isTrue();
        assertThat(anna.path("custom_attributes").path("cd_renewal").asLong()).as("DD.MM.YYYY, ClickDesk's zone UTC")
                .isEqualTo(LocalDate.of(2027, 3, 1).atStartOfDay(ZoneId.of("UTC")).toEpochSecond());
        JsonNode jose = contactByExternalId("v2");
        assertThat(jose.path("custom_attributes").path("cd_city").asText()).as("the visitor row itself moved").isEqualTo("Madrid");
        assertThat(jose.path("custom_attributes").has("cd_seats")).isFalse();
        assertThat(jose.path("custom_attributes").has("cd_vip")).isFalse();
        assertThat(jose.path("custom_attributes").has("cd_renewal")).isFalse();
        assertThat(jose.path("custom_attributes").has("cd_plan")).isFalse();
        assertThat(jose.has("signed_up_at") && !jose.path("signed_up_at").isNull()).isFalse();
        assertThat(intercom.conversations()).as("the visitor's chat and ticket (routed to a conversation) move").hasSize(2)
                .filteredOn(c -> c.path("custom_attributes").has("cd_original_chat_id")).singleElement().satisfies(c -> {
            assertThat(c.path("custom_attributes").has("cd_chat_rating")).isFalse();
            assertThat(c.path("conversation_parts").path("conversation_parts")).as("one agent reply, not two, no empty one")
                    .hasSize(1);
        });
        List<JsonNode> queued = leftOff(run);
        assertThat(queued).filteredOn(q -> q.path("file").asText().equals("clickdesk/visitors.csv"))
                .extracting(ValueLeftOffEndToEndTest::where).containsExactlyInAnyOrder(
                        "clickdesk/visitors.csv:3 first_seen = sometime",
                        "clickdesk/visitors.csv:3 seats = many",
                        "clickdesk/visitors.csv:3 vip = perhaps",
                        "clickdesk/visitors.csv:3 renewal = 2027-02-30",
                        "clickdesk/visitors.csv:3 plan = " + "x".repeat(120) + "…");
        assertThat(queued).filteredOn(q -> q.path("file").asText().equals("clickdesk/chats.json")).singleElement().satisfies(q -> {
            assertThat(q.path("column").asText()).isEqualTo("user_rate");
            assertThat(q.path("value").asText()).isEqualTo("great");
            assertThat(q.path("attribute").asText()).isEqualTo("cd_chat_rating");
            assertThat(q.path("reason").asText()).contains("not a valid integer");
        });
        assertThat(queued).hasSize(6);
        JsonNode parts = run.counts("conversation_part");
        assertThat(parts.path("skipped").asLong()).as("the empty messages and the repeated one, counted").isEqualTo(3);
        assertThat(parts.path("dead_lettered").asLong()).isZero();
        assertThat(run.report().path("reconciliation_queue")).filteredOn(q -> q.path("kind").asText()
                .equals("skipped conversation_part")).extracting(q -> q.path("reason").asText())
                .containsExactlyInAnyOrder("empty message (no text, no attachments)",
                        "the same message as messages[2] (exported twice)", "message m2 has neither body nor attachments");
    }

}
