package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import io.intercommigrator.fake.FakeIntercom;
import io.intercommigrator.testing.AgainstFakeIntercom;
import io.intercommigrator.testing.MigratorHarness.Result;

import io.intercommigrator.core.ExitCode;
/** LeadDesk end to end: ';'-separated exports with Helsinki local times, a nested chatbot export ZIP. */
class LeadDeskEndToEndTest extends AgainstFakeIntercom {
    private static final String TOKEN = "tok_leaddesk";

    static Map<String, String> chatbot(boolean withTiming) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("conversations.csv", """
                conversation_id;message_index;timestamp;sender;message;contact_email;contact_phone
                b1;2;2026-03-29 04:00:30;bot;Mikä on asiasi?;liisa@example.fi;
                b1;1;2026-03-29 02:59:50;user;Hei, tarvitsen apua;liisa@example.fi;
                b1;3;2026-03-29 04:01:00;user;Laskutus;liisa@example.fi;
                """);
        files.put("outcomes.csv", "conversation_id;intent;outcome;handed_over\nb1;billing;resolved;false\n");
        if (withTiming) {
            files.put("timing.csv", "conversation_id;started_at;ended_at;duration_s;export_range_start;export_range_end\n"
                    + "b1;2026-03-29 02:59:50;2026-03-29 04:01:00;70;2024-01-01 00:00:00;2026-11-01 00:00:00\n");
        }
        files.put("agent.csv", "conversation_id;agent_email;handover_at\n");
        return files;
    }

    static Map<String, String> bundle() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("custom_fields.json", "[{\"field\":\"other1\",\"label\":\"Sopimus päättyy\",\"type\":\"date\"}]");
        files.put("campaigns.json", "[{\"id\":\"c1\",\"name\":\"Kevät 2026\",\"dialer\":{\"mode\":\"power\"}}]");
        files.put("results_outcomes.json", "{\"results\":[{\"id\":\"r1\",\"name\":\"Sale\"}],\"outcomes\":[{\"id\":\"o1\",\"name\":\"Won\"}]}");
        files.put("offices.csv", "office_id;name;timezone;voip_routing\nof1;Helsinki;Europe/Helsinki;sip:queue-hel\n");
        files.put("agents.csv", """
                agent_id;username;name;email;role;office;project_ids;employment
                a1;sam;Sam Seller;Sam@Acme.test;agent;Helsinki;;active
                a2;ghost;Ghost Caller;ghost@acme.test;agent;Helsinki;;active
                """);
        files.put("contacts.csv", """
                contact_id;fname;lname;phone;email;campaign_id;other1
                5001;Matti;Meikäläinen;+358 40 1;matti@example.fi;c1;2026-12-31
                """);
        files.put("leads.csv", """
                lead_id;fname;lname;phone;email;status;outcome;campaign_id;office;sponsor;company_id;created_at
                L1;Liisa;Virtanen;;liisa@example.fi;new;;c1;;;;2026-03-01 09:00:00
                L2;Pekka;Järvinen;+358 50 2;pekka@example.fi;qualified;won;;Helsinki;;;2026-03-02 09:00:00
                """);
        files.put("call_records.csv", """
                id;contact_id;agent_id;agent_username;campaign;campaign_name;direction;talk_start;talk_end;talk_time;call_ending_reason;call_ending_reason_name;outcome;record_file;comment;created_at
                k1;5001;a1;sam;c1;Kevät 2026;outbound;2026-03-29 02:30:00;2026-03-29 02:32:05;125;r1;Sale;won;https://rec.example/k1.mp3;Hyvä puhelu;2026-03-29 02:30:00
                k2;5001;a2;ghost;c1;Kevät 2026;inbound;2026-03-30 12:00:00;2026-03-30 12:01:00;60;r1;Sale;won;;;2026-03-30 12:00:00
                k3;5001;a9;nobody;c1;Kevät 2026;inbound;2026-03-31 12:00:00;2026-03-31 12:01:00;60;r1;Sale;won;;;2026-03-31 12:00:00
                """);
        return files;
    }

    @Override
    protected String token() {
        return TOKEN;
    }

    /** The token's own admin (GET /me: the first one) authors what no admin matches; sam is agent a1 of agents.csv. */
    @Override
    protected FakeIntercom.Builder configure(FakeIntercom.Builder server) {
        return server.admin("owner@acme.test", "Owner").admin("sam@acme.test", "Sam Seller");
    }

    private String adminId(String email) {
        return intercom.admins().stream().filter(a -> email.equals(a.path("email").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no admin " + email)).path("id").asText();
    }

    private static JsonNode summaryNote(JsonNode conversation) {
        List<JsonNode> notes = conversation.path("conversation_parts").path("conversation_parts").findParents("part_type")
                .stream().filter(p -> p.path("part_type").asText().equals("note")).toList();
        assertThat(notes).as("the call's summary note").hasSize(1);
        return notes.get(0);
    }

    /** The session's messages (comments and notes): not the close part it ends with. */
    private static List<JsonNode> messageParts(JsonNode conversation) {
        List<JsonNode> out = new java.util.ArrayList<>();
        conversation.path("conversation_parts").path("conversation_parts").forEach(p -> {
            if (p.path("part_type").asText().matches("comment|note")) {
                out.add(p);
            }
        });
        return out;
    }

    private ObjectNode contact(String email) {
        return intercom.contacts().stream().filter(c -> email.equals(c.path("email").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no contact " + email));
    }

    @Test
    void fullBundleWithChatbotExportLandsObjectByObject() throws Exception {
        Map<String, String> files = bundle();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        files.forEach((k, v) -> entries.put(k, v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        entries.put("chatbot_export_2026.zip", BundleZips.zip(chatbot(true)));
        migrator.drop("leaddesk/leaddesk-export.zip", BundleZips.zipBytes(entries));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        ObjectNode matti = contact("matti@example.fi");
        assertThat(matti.path("role").asText()).isEqualTo("user");
        assertThat(matti.path("custom_attributes").path("ld_sopimus_paattyy").asLong()).isEqualTo(1798668000L);
        assertThat(matti.path("tags").toString()).contains("ld_campaign_kevat_2026");
        ObjectNode liisa = contact("liisa@example.fi");
        assertThat(liisa.path("role").asText()).as("a lead with no account link").isEqualTo("lead");
        assertThat(liisa.path("custom_attributes").path("ld_lead_status").asText()).isEqualTo("new");
        ObjectNode pekka = contact("pekka@example.fi");
        assertThat(pekka.path("role").asText()).as("a lead with an office").isEqualTo("user");
        assertThat(pekka.path("custom_attributes").path("ld_outcome").asText()).isEqualTo("won");
        assertThat(pekka.path("custom_attributes").path("ld_office_timezone").asText()).isEqualTo("Europe/Helsinki");
        assertThat(intercom.dataAttributes()).extracting(a -> a.path("name").asText() + ":" + a.path("data_type").asText())
                .contains("ld_sopimus_paattyy:date");

        // the call: backdated to talk_start 02:30 Helsinki (UTC+2, before the DST change) = 00:30 UTC
        JsonNode call = intercom.conversations().stream().filter(c -> c.path("created_at").asLong() == 1774744200L)
                .findFirst().orElseThrow();
        assertThat(call.path("contacts").toString()).contains(matti.path("id").asText());
        assertThat(call.path("custom_attributes").path("ld_disposition").asText()).isEqualTo("Sale");
        assertThat(call.path("custom_attributes").path("ld_recording_url").asText()).isEqualTo("https://rec.example/k1.mp3");
        assertThat(call.path("conversation_parts").path("conversation_parts").findValuesAsText("body").toString())
                .contains("Talk time: 2:05");
        assertThat(call.path("tags").findValuesAsText("name"))
                .containsExactlyInAnyOrder("ld_disposition_sale", "ld_outcome_won", "ld_campaign_kevat_2026");
        // its agent a1 is sam@acme.test in agents.csv: the conversation's assignee and the note's author
        String sam = adminId("sam@acme.test");
        assertThat(call.path("admin_assignee_id").asText()).isEqualTo(sam);
        assertThat(summaryNote(call).path("author").path("id").asText()).isEqualTo(sam);
        // call k2's agent a2 matches no admin: as an unmatched ClickDesk agent, queued; no assignee, the token's admin writes
        JsonNode unmatched = intercom.conversations().stream().filter(c -> c.path("created_at").asLong() == 1774861200L)
                .findFirst().orElseThrow(() -> new AssertionError(intercom.conversations().toString()));
        assertThat(unmatched.path("admin_assignee_id").isNull()).isTrue();
        assertThat(summaryNote(unmatched).path("author").path("id").asText()).isEqualTo(adminId("owner@acme.test"));
        assertThat(summaryNote(unmatched).path("body").asText()).contains("Agent: ghost");
        assertThat(run.report().path("reconciliation_queue").toString()).contains("unmatched agent", "ghost@acme.test")
                .doesNotContain("sam@acme.test");
        // call k3's agent a9 is in no agents.csv: it moves without an assignee, and the queue says why (once)
        JsonNode unknown = intercom.conversations().stream().filter(c -> c.path("created_at").asLong() == 1774947600L)
                .findFirst().orElseThrow(() -> new AssertionError(intercom.conversations().toString()));
        assertThat(unknown.path("admin_assignee_id").isNull()).isTrue();
        assertThat(run.report().path("reconciliation_queue").findValuesAsText("subject")).containsOnlyOnce("a9");
        assertThat(run.report().path("reconciliation_queue").toString()).contains("unknown agent", "not in agents.csv");
        assertThat(Files.readString(run.reportFile().getParent().resolve("handoff/provisioning-checklist.md")))
                .contains("ghost@acme.test");

        // the chatbot session: messages in message_index order, each at its own second across the DST change
        JsonNode chat = intercom.conversations().stream().filter(c -> c.path("created_at").asLong() == 1774745990L)
                .findFirst().orElseThrow(() -> new AssertionError(intercom.conversations().toString()));
        assertThat(chat.path("source").path("body").asText()).isEqualTo("Hei, tarvitsen apua");
        List<Long> times = messageParts(chat).stream().map(p -> p.path("created_at").asLong()).toList();
        assertThat(times).containsExactly(1774746030L, 1774746060L); // 04:00:30 and 04:01:00 EEST (UTC+3)
        assertThat(chat.path("custom_attributes").path("ld_intent").asText()).isEqualTo("billing");
        assertThat(chat.path("custom_attributes").path("ld_chatbot_outcome").asText()).isEqualTo("resolved");
        assertThat(chat.path("contacts").toString()).contains(liisa.path("id").asText());

        assertThat(intercom.duplicateEmails()).isEmpty();
        Path inventory = run.reportFile().getParent().resolve("handoff/inventory");
        assertThat(Files.readString(inventory.resolve("campaigns.json"))).contains("Kevät 2026");
        assertThat(Files.readString(inventory.resolve("dialer.json"))).contains("power");
        assertThat(Files.readString(inventory.resolve("dispositions.json"))).contains("Sale");
        run.assertAddsUp();
    }

    /** A conversations.csv row exported twice (same session, message_index and content) is one bot note, not two. */
    @Test
    void aChatbotMessageExportedTwiceBecomesOnePart() throws Exception {
        Map<String, String> files = chatbot(true);
        String conversations = files.get("conversations.csv");
        String repeated = conversations.lines().filter(l -> l.startsWith("b1;2;")).findFirst().orElseThrow();
        files.put("conversations.csv", conversations + repeated + "\n");
        migrator.drop("leaddesk/chatbot_export_2026.zip", BundleZips.zip(files));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        JsonNode chat = intercom.conversations().stream().filter(c -> c.path("created_at").asLong() == 1774745990L)
                .findFirst().orElseThrow(() -> new AssertionError(intercom.conversations().toString()));
        assertThat(chat.path("source").path("body").asText()).isEqualTo("Hei, tarvitsen apua");
        assertThat(messageParts(chat)).extracting(p -> p.path("body").asText())
                .containsExactly("[Bot] Mikä on asiasi?", "Laskutus");
        assertThat(intercom.stats().path("duplicate_parts").asInt()).isZero();
        run.assertAddsUp();
    }

    @Test
    void euContactsIntoAUsWorkspaceStopBeforeDeliveringUnlessAcknowledged() throws Exception {
        String contacts = "contact_id;fname;lname;phone;email;country\n7;Aino;Laine;;aino@example.fi;Finland\n";
        migrator.set("migration.gdpr-acknowledged", "false");
        migrator.drop("leaddesk/contacts.csv", contacts);

        Result refused = migrator.once();

        assertThat(refused.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(refused.stderr()).contains("GDPR guard", "leaddesk/contacts.csv line 2", "intercom.region=eu",
                "migration.gdpr-acknowledged=true");
        assertThat(intercom.requests()).isEmpty();
        assertThat(migrator.inbox().resolve("leaddesk/contacts.csv")).exists();

        Result eu = migrator.set("intercom.region", "eu").once();
        assertThat(eu.exitCode()).isZero();
        assertThat(intercom.contacts()).hasSize(1);
    }

    @Test
    void chatbotExportMissingACsvIsRefusedNamingIt() throws Exception {
        migrator.drop("leaddesk/chatbot_export_2026.zip", BundleZips.zip(chatbot(false)));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(intercom.conversations()).isEmpty();
        assertThat(Files.readString(migrator.inbox().resolve(".failed/leaddesk/chatbot_export_2026.zip.error.txt")))
                .contains("timing.csv");
    }

    @Test
    void chatbotExportNotCoveringTheMigrationRangeIsRefusedWithTheWayForward() throws Exception {
        migrator.set("leaddesk.chatbot.migration-from", "2020-01-01").set("leaddesk.chatbot.migration-to", "2026-11-01");
        migrator.drop("leaddesk/chatbot_export_2026.zip", BundleZips.zip(chatbot(true)));

        migrator.once();

        assertThat(intercom.conversations()).isEmpty();
        assertThat(Files.readString(migrator.inbox().resolve(".failed/leaddesk/chatbot_export_2026.zip.error.txt")))
                .containsIgnoringCase("re-export");
    }
}
