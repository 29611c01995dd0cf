package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.intercommigrator.fake.FakeIntercom;
import io.intercommigrator.testing.ClickDeskDrop;
import io.intercommigrator.testing.MigrationInvariants;
import io.intercommigrator.testing.MigratorHarness;
import io.intercommigrator.testing.MigratorHarness.Result;

/**
 * {@code --sample N} end to end: N records of each kind land in Intercom with what they reference, every one of them is
 * read back, the inbox stays as it was; the full run afterwards sends nothing for them, and the workspace ends exactly
 * as a full run alone would have left it (no duplicates).
 */
class SampleRunEndToEndTest {
    private static final String TOKEN = "tok_sample";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every ClickDesk kind, three to five records each, with references across files. */
    static Map<String, String> clickdesk() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("agents.csv", ClickDeskEndToEndTest.BUNDLE.get("agents.csv"));
        files.put("departments.csv", ClickDeskEndToEndTest.BUNDLE.get("departments.csv"));
        files.put("canned_responses.csv", ClickDeskEndToEndTest.BUNDLE.get("canned_responses.csv"));
        files.put("visitors.csv", """
                visitor_id,name,email,phone,tags
                v1,Anna Müller,anna@example.de,+49 1,vip
                v2,José Álvarez,jose@example.es,+34 3,
                v3,Olga Berg,olga@example.se,,
                v4,Pia Lund,pia@example.dk,,new
                v5,Eero Salo,eero@example.fi,,
                """);
        // c4 comes first and belongs to v4, the 4th visitor: the sample must bring v4 although it is not among the first 2
        files.put("chats.json", """
                {"session": [
                  {"chat_id": "c4", "visitor_id": "v4", "name": "Pia Lund", "email": "pia@example.dk",
                   "agent_email": "sam@acme.test", "start_time": "1740900000000",
                   "messages": [
                     {"time": "1740900000000", "from": "visitor", "sender_name": "Pia", "text": "Hej, where is my order?"},
                     {"time": "1740900060000", "from": "agent", "sender_name": "Sam", "sender_email": "sam@acme.test", "text": "On its way"}
                   ]},
                  {"chat_id": "c1", "visitor_id": "v1", "name": "Anna Müller", "email": "anna@example.de",
                   "agent_id": "Sam", "agent_email": "sam@acme.test", "department": "Support",
                   "start_time": "1741000000000", "status": "closed", "tags": ["billing"],
                   "messages": [
                     {"time": "1741000000000", "from": "visitor", "sender_name": "Anna", "text": "Hallo, meine Rechnung?"},
                     {"time": "1741000060000", "from": "bot", "sender_name": "Bot", "text": "An agent is coming"},
                     {"time": "1741000120000", "from": "agent", "sender_name": "Sam", "sender_email": "sam@acme.test", "text": "Hi Anna!"}
                   ]},
                  {"chat_id": "c2", "visitor_id": "v9", "name": "Neu Besucher", "email": "neu@example.de",
                   "agent_email": "ghost@acme.test", "start_time": "1741100000000",
                   "messages": [
                     {"time": "1741100000000", "from": "visitor", "text": "Is anyone there?"},
                     {"time": "1741100030000", "from": "agent", "sender_name": "Ghost", "sender_email": "ghost@acme.test", "text": "Yes!"}
                   ]}
                ]}
                """);
        files.put("tickets.csv", """
                ticket_id,subject,body,status,priority,channel,department,agent_email,visitor_id,visitor_name,visitor_email,created_at,updated_at,tags
                t1,Invoice wrong,The invoice total is wrong,open,high,web,Support,sam@acme.test,v2,José Álvarez,jose@example.es,2025-03-05T10:00:00Z,,billing
                t2,Old email,Thanks for the fix,closed,low,email,Support,sam@acme.test,v1,Anna Müller,anna@example.de,2025-03-06T10:00:00Z,,
                t3,Broken login,Cannot log in,open,normal,web,Support,sam@acme.test,v3,Olga Berg,olga@example.se,2025-03-07T10:00:00Z,,
                """);
        files.put("ticket_messages.csv", """
                ticket_id,message_id,author_type,author_email,body,created_at,attachments
                t1,m1,agent,sam@acme.test,We are checking,2025-03-05T11:00:00Z,
                t1,m2,visitor,jose@example.es,Thank you,2025-03-05T12:00:00Z,
                t3,m3,agent,sam@acme.test,Try resetting your password,2025-03-07T11:00:00Z,
                """);
        files.put("offline_messages.csv", """
                message_id,visitor_id,name,email,phone,department,message,visitor_url,created_at
                o1,,Kari Nordmann,kari@example.no,,Sales,Please call me back,https://acme.test/pricing,2025-03-07 08:00:00
                o2,,Lars Dahl,lars@example.dk,,Sales,Do you ship to Denmark?,https://acme.test/shipping,2025-03-07 09:00:00
                o3,,Mia Koch,mia@example.de,,Sales,An invoice copy please,https://acme.test/billing,2025-03-07 10:30:00
                """);
        files.put("social_messages.csv", """
                thread_id,network,handle,name,email,author_type,agent_email,text,created_at
                s1,facebook,anna.fb,Anna Müller,anna@example.de,visitor,,Hi from Facebook,2025-03-08T09:00:00Z
                s2,twitter,@kari,Kari,,visitor,,DM on twitter,2025-03-08T10:00:00Z
                s1,facebook,anna.fb,Anna Müller,anna@example.de,agent,sam@acme.test,Hello Anna,2025-03-08T09:05:00Z
                s3,twitter,@noor,Noor,,visitor,,Any discounts?,2025-03-08T11:00:00Z
                """);
        // p2 belongs to v3, who is neither among the first 2 visitors nor in a chosen thread: the call brings v3; p3,
        // left out, brings v2 no field it has not (a thread fills empty fields: that would be a new write to v2)
        files.put("voip_calls.csv", """
                call_id,visitor_id,phone,agent_email,direction,started_at,duration_seconds,recording_url,notes
                p1,v1,+49 1,sam@acme.test,inbound,2025-03-08T09:20:00Z,95,https://rec.example/p1.mp3,Called about invoice
                p2,v3,+46 2,sam@acme.test,outbound,2025-03-09T09:00:00Z,40,,Login help
                p3,v2,+34 3,sam@acme.test,inbound,2025-03-09T10:00:00Z,30,,Follow-up
                """);
        files.put("tags.csv", """
                tag,object_type,object_id
                VIP,visitor,v2
                urgent,chat,c1
                escalated,ticket,t1
                later,ticket,t3
                churn-risk,visitor,v5
                """);
        return files;
    }

    /** LeadDesk: definitions, three contacts, three leads, two calls (the first one for the 3rd contact), two chatbot sessions. */
    static Map<String, byte[]> leaddesk() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("custom_fields.json", "[{\"field\":\"other1\",\"label\":\"Sopimus päättyy\",\"type\":\"date\"}]");
        files.put("campaigns.json", "[{\"id\":\"c1\",\"name\":\"Kevät 2026\",\"dialer\":{\"mode\":\"power\"}}]");
        files.put("results_outcomes.json", "{\"results\":[{\"id\":\"r1\",\"name\":\"Sale\"}],\"outcomes\":[{\"id\":\"o1\",\"name\":\"Won\"}]}");
        files.put("offices.csv", "office_id;name;timezone;voip_routing\nof1;Helsinki;Europe/Helsinki;sip:queue-hel\n");
        files.put("contacts.csv", """
                contact_id;fname;lname;phone;email;campaign_id;other1
                5001;Matti;Meikäläinen;+358 40 1;matti@example.fi;c1;2026-12-31
                5002;Sanna;Koski;+358 40 2;sanna@example.fi;;
                5003;Juha;Niemi;+358 40 3;juha@example.fi;c1;2027-01-31
                """);
        files.put("leads.csv", """
                lead_id;fname;lname;phone;email;status;outcome;campaign_id;office;sponsor;company_id;created_at
                L1;Liisa;Virtanen;;liisa@example.fi;new;;c1;;;;2026-03-01 09:00:00
                L2;Pekka;Järvinen;+358 50 2;pekka@example.fi;qualified;won;;Helsinki;;;2026-03-02 09:00:00
                L3;Ville;Laine;+358 50 3;ville@example.fi;new;;;;;;2026-03-03 09:00:00
                """);
        files.put("call_records.csv", """
                id;contact_id;agent_id;agent_username;campaign;campaign_name;direction;talk_start;talk_end;talk_time;call_ending_reason;call_ending_reason_name;outcome;record_file;comment;created_at
                k3;5003;a1;sam;c1;Kevät 2026;outbound;2026-03-28 10:00:00;2026-03-28 10:01:00;60;r1;Sale;won;https://rec.example/k3.mp3;Sopimus;2026-03-28 10:00:00
                k1;5001;a1;sam;c1;Kevät 2026;outbound;2026-03-29 02:30:00;2026-03-29 02:32:05;125;r1;Sale;won;https://rec.example/k1.mp3;Hyvä puhelu;2026-03-29 02:30:00
                """);
        Map<String, String> chatbot = new LinkedHashMap<>();
        chatbot.put("conversations.csv", """
                conversation_id;message_index;timestamp;sender;message;contact_email;contact_phone
                b1;1;2026-03-29 02:59:50;user;Hei, tarvitsen apua;liisa@example.fi;
                b1;2;2026-03-29 04:00:30;bot;Mikä on asiasi?;liisa@example.fi;
                b2;1;2026-03-30 10:00:00;user;Onko teillä alennuksia?;aino@example.fi;
                b2;2;2026-03-30 10:00:10;bot;Kyllä, kevään kampanja;aino@example.fi;
                """);
        chatbot.put("outcomes.csv", "conversation_id;intent;outcome;handed_over\nb1;billing;resolved;false\nb2;sales;resolved;false\n");
        chatbot.put("timing.csv", "conversation_id;started_at;ended_at;duration_s;export_range_start;export_range_end\n"
                + "b1;2026-03-29 02:59:50;2026-03-29 04:00:30;40;2024-01-01 00:00:00;2026-11-01 00:00:00\n"
                + "b2;2026-03-30 10:00:00;2026-03-30 10:00:10;10;2024-01-01 00:00:00;2026-11-01 00:00:00\n");
        chatbot.put("agent.csv", "conversation_id;agent_email;handover_at\n");
        Map<String, byte[]> out = new LinkedHashMap<>();
        files.forEach((k, v) -> out.put(k, v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        out.put("chatbot_export_2026.zip", BundleZips.zip(chatbot));
        return out;
    }

    @TempDir
    Path home;
    final List<FakeIntercom> fakes = new ArrayList<>();

    @BeforeEach
    void noFakesYet() {
        fakes.clear();
    }

    @AfterEach
    void stop() {
        fakes.forEach(FakeIntercom::close);
    }

    private FakeIntercom fake() {
        FakeIntercom f = FakeIntercom.builder().token(TOKEN).limitPer10s(1000).admin("sam@acme.test", "Sam Support").build().start();
        f.seedTeam("Support");
        fakes.add(f);
        return f;
    }

    private static MigratorHarness dropAll(MigratorHarness migrator, String folder, Map<String, byte[]> files) {
        files.forEach((name, content) -> migrator.drop(folder + "/" + name, content));
        return migrator;
    }

    private static Map<String, byte[]> bytes(Map<String, String> files) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        files.forEach((k, v) -> out.put(k, v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void clickDeskSampleThenFullRunEndsAsTheFullRunAloneWithoutDuplicates() throws Exception {
        Map<String, byte[]> files = bytes(clickdesk());
        FakeIntercom reference = fake();
        Result alone = dropAll(new MigratorHarness(home.resolve("alone")).live(reference.baseUrl(), TOKEN), "clickdesk", files).once();
        assertThat(alone.exitCode()).isZero();

        FakeIntercom intercom = fake();
        MigratorHarness migrator = dropAll(new MigratorHarness(home.resolve("sampled")).live(intercom.baseUrl(), TOKEN),
                "clickdesk", files);
        Set<String> inboxBefore = inboxFiles(migrator);

        Result sample = migrator.once("--sample", "2");

        assertThat(sample.exitCode()).isZero();
        assertThat(sample.stdout()).contains("SAMPLE of 2 per kind", "verification: ");
        assertThat(inboxFiles(migrator)).as("the sample leaves every file in the inbox for the full run").isEqualTo(inboxBefore);
        assertThat(migrator.inbox().resolve(".done")).doesNotExist();
        JsonNode report = sample.report();
        assertThat(report.path("mode").asText()).isEqualTo("live");
        JsonNode chosen = report.path("sample").path("chosen");
        assertThat(report.path("sample").path("per_kind").asInt()).isEqualTo(2);
        assertThat(fieldNames(chosen)).containsExactlyInAnyOrder("clickdesk visitors.csv", "clickdesk chats.json",
                "clickdesk tickets.csv", "clickdesk offline_messages.csv", "clickdesk social_messages.csv", "clickdesk voip_calls.csv");
        chosen.forEach(kind -> assertThat(kind.path("chosen").asInt()).isEqualTo(2));
        assertThat(chosen.path("clickdesk visitors.csv").path("deliverable").asInt()).isEqualTo(5);

        // visitors: the first 2, plus v4 (chat c4) and v3 (call p2) although they stand 3rd and 4th; v5 is left out
        assertThat(intercom.contacts()).extracting(c -> c.path("external_id").asText()).contains("v1", "v2", "v3", "v4")
                .doesNotContain("v5", "v9");
        assertThat(intercom.contacts()).extracting(c -> c.path("email").asText()).contains("kari@example.no", "lars@example.dk")
                .doesNotContain("mia@example.de", "neu@example.de");
        // v1..v4 of visitors.csv, and the contacts the sampled threads made for people no visitors.csv row holds
        // (offline o1 Kari, o2 Lars, the social threads' handles): the report counts what Intercom holds
        assertThat(sample.counts("contact").path("created").asLong()).as("contacts created by the sample")
                .isEqualTo(intercom.contacts().size());
        assertThat(report.path("sample").path("left_out").path("contact").asLong()).as("v5").isEqualTo(1);
        // threads: c4, c1; t1 (ticket), t2 (conversation); o1, o2; s1, s2; p2 opens v3's conversation, p1 is a note on
        // Anna's s1 (15 minutes after its last message)
        assertThat(createdAt(intercom.conversations())).containsExactlyInAnyOrder(1740900000L, 1741000000L, 1741255200L,
                1741424400L, 1741428000L, 1741510800L);
        assertThat(createdAt(intercom.tickets())).containsExactlyInAnyOrder(1741168800L, 1741334400L, 1741338000L);
        // what belongs to a chosen object comes with it, from files of its own; what belongs to others does not
        JsonNode t1 = ticketCreatedAt(intercom, 1741168800L);
        assertThat(t1.path("ticket_parts").path("ticket_parts").findValuesAsText("body")).contains("We are checking", "Thank you");
        assertThat(t1.path("tags").toString()).contains("escalated");
        assertThat(conversationCreatedAt(intercom, 1741000000L).path("tags").toString()).contains("urgent", "billing");
        assertThat(contactByExternalId(intercom, "v2").path("tags").toString()).containsIgnoringCase("vip");
        assertThat(intercom.tags()).extracting(t -> t.path("name").asText()).doesNotContain("later", "churn-risk");
        assertThat(intercom.conversations().toString()).contains("Phone call (inbound)").doesNotContain("Follow-up");
        assertThat(migrator.deadLetters()).as("left-out records are not dead letters").isEmpty();
        sample.assertAddsUp();
        MigrationInvariants.assertNoDuplicates(intercom);
        // every object the sample delivered was read back, and matched
        JsonNode v = report.path("verification");
        assertThat(v.path("sample_size").asText()).isEqualTo("all");
        assertThat(v.path("mismatches")).isEmpty();
        // every object, and (items of their own) the threads this run appended parts to: ticket messages, call notes
        assertThat(v.path("sampled").asInt()).isEqualTo(intercom.contacts().size() + intercom.conversations().size()
                + intercom.tickets().size() + v.path("sampled_by_type").path("conversation_part").asInt()
                + v.path("sampled_by_type").path("note").asInt());
        assertThat(v.path("matched").asInt()).isEqualTo(v.path("sampled").asInt());

        Sampled sampled = Sampled.of(intercom);
        int requestsBefore = intercom.requests().size();
        int contactsBefore = intercom.contacts().size();
        int conversationsBefore = intercom.conversations().size();

        Result full = migrator.once();

        assertThat(full.exitCode()).isZero();
        assertThat(full.report().has("sample")).isFalse();
        assertThat(inboxFiles(migrator)).as("the full run consumes the inbox").isEmpty();
        assertThat(full.counts("contact").path("unchanged").asLong()).isEqualTo(4);
        // v5, and the contacts of threads the sample left out (chat c2's v9, offline o3's Mia, social s3's handle)
        assertThat(full.counts("contact").path("created").asLong()).isEqualTo(intercom.contacts().size() - contactsBefore)
                .isEqualTo(4);
        // t2 (email, closed) is routed to a conversation and counted as one
        assertThat(full.counts("conversation").path("unchanged").asLong()).as("c4, c1, s1, s2, t2").isEqualTo(5);
        assertThat(full.counts("conversation").path("created").asLong()).as("c2, s3, and the conversation a VoIP call opens")
                .isEqualTo(intercom.conversations().size() - conversationsBefore).isEqualTo(3);
        assertThat(full.counts("ticket").path("unchanged").asLong()).as("t1, o1, o2").isEqualTo(3);
        assertThat(full.counts("ticket").path("created").asLong()).as("t3, o3").isEqualTo(2);
        assertThat(full.counts("note").path("unchanged").asLong()).as("p1, p2").isEqualTo(2);
        full.assertAddsUp();
        sampled.assertNotWrittenAgain(intercom.requests().subList(requestsBefore, intercom.requests().size()));
        MigrationInvariants.assertNoDuplicates(intercom);
        assertThat(Workspace.of(intercom)).isEqualTo(Workspace.of(reference));
        assertThat(sample.counts("contact").path("created").asLong() + full.counts("contact").path("created").asLong())
                .as("sample and full run together create the contacts the full run alone does")
                .isEqualTo(alone.counts("contact").path("created").asLong());
    }

    @Test
    void leadDeskSampleThenFullRunEndsAsTheFullRunAloneWithoutDuplicates() throws Exception {
        Map<String, byte[]> files = leaddesk();
        FakeIntercom reference = fake();
        assertThat(dropAll(new MigratorHarness(home.resolve("alone")).live(reference.baseUrl(), TOKEN), "leaddesk", files)
                .once().exitCode()).isZero();

        FakeIntercom intercom = fake();
        MigratorHarness migrator = dropAll(new MigratorHarness(home.resolve("sampled")).live(intercom.baseUrl(), TOKEN),
                "leaddesk", files);

        Result sample = migrator.once("--sample", "1");

        assertThat(sample.exitCode()).isZero();
        assertThat(inboxFiles(migrator)).hasSize(files.size());
        // contacts.csv: 5001 and, for call k3 (the first call), 5003; leads.csv: L1; the first call; the first chatbot session
        assertThat(intercom.contacts()).extracting(c -> c.path("email").asText())
                .contains("matti@example.fi", "juha@example.fi", "liisa@example.fi")
                .doesNotContain("sanna@example.fi", "pekka@example.fi", "ville@example.fi", "aino@example.fi");
        assertThat(createdAt(intercom.conversations())).as("call k3 (08:00 UTC), chatbot b1").containsExactlyInAnyOrder(
                1774684800L, 1774745990L);
        JsonNode call = conversationCreatedAt(intercom, 1774684800L);
        assertThat(call.path("contacts").toString()).contains(contactByEmail(intercom, "juha@example.fi").path("id").asText());
        assertThat(sample.report().path("verification").path("mismatches")).isEmpty();
        assertThat(sample.report().path("verification").path("sampled").asInt()).isEqualTo(intercom.contacts().size()
                + intercom.conversations().size());
        sample.assertAddsUp();

        Sampled sampled = Sampled.of(intercom);
        int requestsBefore = intercom.requests().size();
        Result full = migrator.once();

        assertThat(full.exitCode()).isZero();
        assertThat(full.counts("contact").path("unchanged").asLong()).as("5001, 5003, L1").isEqualTo(3);
        assertThat(full.counts("conversation").path("unchanged").asLong()).as("k3, b1").isEqualTo(2);
        full.assertAddsUp();
        sampled.assertNotWrittenAgain(intercom.requests().subList(requestsBefore, intercom.requests().size()));
        MigrationInvariants.assertNoDuplicates(intercom);
        assertThat(Workspace.of(intercom)).isEqualTo(Workspace.of(reference));
    }

    @Test
    void aDryRunSamplePlansOnlyTheSampleAndLeavesTheInboxAsItWas() throws Exception {
        MigratorHarness migrator = dropAll(new MigratorHarness(home), "clickdesk", bytes(clickdesk()));
        Set<String> before = inboxFiles(migrator);

        Result sample = migrator.once("--sample", "1");

        assertThat(sample.exitCode()).isZero();
        assertThat(sample.stdout()).contains("SAMPLE of 1 per kind (dry-run)");
        assertThat(inboxFiles(migrator)).isEqualTo(before);
        assertThat(sample.report().path("mode").asText()).isEqualTo("dry-run");
        // v1, v2 of ticket t1, v4 of chat c4; plus the contacts the sampled offline message and social thread make
        assertThat(sample.counts("contact").path("source").asLong()).isEqualTo(5);
        assertThat(sample.counts("ticket").path("source").asLong()).as("t1 and o1").isEqualTo(2);
        sample.assertAddsUp();
        Path outbox;
        try (Stream<Path> runs = Files.list(migrator.home().resolve("work/outbox"))) {
            outbox = runs.findFirst().orElseThrow().resolve("requests.jsonl");
        }
        List<JsonNode> planned = new ArrayList<>();
        for (String line : Files.readAllLines(outbox)) {
            planned.add(JSON.readTree(line));
        }
        assertThat(planned.stream().filter(r -> r.path("method").asText().equals("POST")
                && r.path("path").asText().equals("/contacts")).count()).as("v1, v2, v4 and Kari (o1); s1 merges into Anna")
                .isEqualTo(4);
    }

    /** A sample killed with SIGKILL half-way through its deliveries, then the full run: everything lands once. */
    @Test
    @Tag("process")
    @Timeout(120)
    void aSampleKilledMidwayThenTheFullRunLeavesNoDuplicates() throws Exception {
        Assumptions.assumeTrue(MigratorHarness.processClasspath().isPresent(),
                "target/runtime-classpath.txt is written by the Maven build (generate-test-resources): run through Maven");
        long seed = 20_261_122L;
        ClickDeskDrop.Size size = new ClickDeskDrop.Size(80, 24, 16, 30);
        FakeIntercom intercom = FaultsEndToEndTest.intercomFor(TOKEN, seed).latencyMillis(30).build().start();
        fakes.add(intercom);
        MigratorHarness migrator = new MigratorHarness(home).live(intercom.baseUrl(), TOKEN);
        FaultsEndToEndTest.dropInto(home, size, seed);
        Set<String> inboxBefore = inboxFiles(migrator);

        Process sample = migrator.process(List.of("--sample", "8"), home.resolve("sample.log")).start();
        try {
            Awaitility.await("the sample half-way through its deliveries").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(5)).until(() -> intercom.requestCount() >= 60 || !sample.isAlive());
            assertThat(sample.isAlive()).as("still delivering when killed (see sample.log)").isTrue();
        } finally {
            sample.destroyForcibly();
        }
        assertThat(sample.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(intercom.contacts()).as("the sample had delivered something").isNotEmpty();
        assertThat(inboxFiles(migrator)).isEqualTo(inboxBefore);

        Result full = migrator.once();

        assertThat(full.exitCode()).isZero();
        assertThat(inboxFiles(migrator)).isEmpty();
        MigrationInvariants.assertNoDuplicates(intercom);
        MigrationInvariants.assertDeadLettersExplained(migrator.deadLetters(), 0);
        MigrationInvariants.assertThreadsWhole(intercom, size, Set.of());
        MigrationInvariants.assertAccounted(full.report(), size, Set.of());
    }

    // ------------------------------------------------------------------ helpers

    /** The objects a sample left in the workspace, to check the full run sends nothing that creates or changes them. */
    private record Sampled(Set<String> ids, Set<String> emails, Set<String> externalIds, Set<Long> threadStarts) {
        static Sampled of(FakeIntercom intercom) {
            Set<String> ids = new java.util.HashSet<>();
            Set<String> emails = new java.util.HashSet<>();
            Set<String> externalIds = new java.util.HashSet<>();
            Set<Long> starts = new java.util.HashSet<>();
            intercom.contacts().forEach(c -> {
                ids.add(c.path("id").asText());
                if (!c.path("email").asText("").isEmpty()) {
                    emails.add(c.path("email").asText());
                }
                if (!c.path("external_id").asText("").isEmpty()) {
                    externalIds.add(c.path("external_id").asText());
                }
            });
            Stream.concat(intercom.conversations().stream(), intercom.tickets().stream()).forEach(t -> {
                ids.add(t.path("id").asText());
                starts.add(t.path("created_at").asLong());
            });
            return new Sampled(ids, emails, externalIds, starts);
        }

        /** No create of a sampled contact or thread, no write (reply, tag, update, assignment) to a sampled object. */
        void assertNotWrittenAgain(List<FakeIntercom.RecordedRequest> requests) throws IOException {
            for (FakeIntercom.RecordedRequest r : requests) {
                if (r.method().equals("GET") || r.path().endsWith("/search")) {
                    continue;
                }
                assertThat(ids).as(r.method() + " " + r.path() + " writes to an object of the sample")
                        .noneMatch(id -> r.path().matches(".*/" + java.util.regex.Pattern.quote(id) + "(/.*)?"));
                JsonNode body = r.body() == null || r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
                if (r.method().equals("POST") && r.path().equals("/contacts")) {
                    assertThat(emails).as("contact created again: " + body).doesNotContain(body.path("email").asText(""));
                    assertThat(externalIds).as("contact created again: " + body).doesNotContain(body.path("external_id").asText(""));
                }
                if (r.method().equals("POST") && (r.path().equals("/conversations") || r.path().equals("/tickets"))) {
                    assertThat(threadStarts).as("thread created again: " + body).doesNotContain(body.path("created_at").asLong());
                }
            }
        }
    }

    /**
     * The workspace as a picture without Intercom ids: contacts with their attributes and tags, conversations and
     * tickets with their contact, attributes, tags and message parts. VoIP notes are only counted.
     */
    private record Workspace(List<String> contacts, List<String> conversations, List<String> tickets, long phoneNotes) {
        static Workspace of(FakeIntercom f) {
            Map<String, String> emailById = new HashMap<>();
            List<String> contacts = new ArrayList<>();
            for (JsonNode c : f.contacts()) {
                emailById.put(c.path("id").asText(), c.path("email").asText("") + "/" + c.path("external_id").asText(""));
                contacts.add(String.join("|", c.path("email").asText(""), c.path("role").asText(), c.path("external_id").asText(""),
                        c.path("name").asText(""), c.path("phone").asText(""), sorted(c.path("custom_attributes")).toString(),
                        names(c.path("tags").path("data"))));
            }
            List<String> conversations = new ArrayList<>();
            long[] phone = {0};
            for (JsonNode c : f.conversations()) {
                conversations.add(thread(c, c.path("source").path("body").asText(""), c.path("custom_attributes"),
                        c.path("conversation_parts").path("conversation_parts"), emailById, phone));
            }
            List<String> tickets = new ArrayList<>();
            for (JsonNode t : f.tickets()) {
                tickets.add(thread(t, "", t.path("ticket_attributes"), t.path("ticket_parts").path("ticket_parts"), emailById, phone));
            }
            contacts.sort(null);
            conversations.sort(null);
            tickets.sort(null);
            return new Workspace(contacts, conversations, tickets, phone[0]);
        }

        private static String thread(JsonNode t, String body, JsonNode attributes, JsonNode parts, Map<String, String> emailById,
                                     long[] phone) {
            List<String> messages = new ArrayList<>();
            for (JsonNode p : parts) {
                String text = p.path("body").asText("");
                if (text.contains("Phone call")) {
                    phone[0]++;
                } else if (List.of("comment", "note").contains(p.path("part_type").asText())) {
                    messages.add(p.path("part_type").asText() + ":" + p.path("created_at").asLong() + ":" + text);
                }
            }
            List<String> contacts = new ArrayList<>();
            t.path("contacts").path("contacts").forEach(c -> contacts.add(emailById.get(c.path("id").asText())));
            return String.join("|", String.valueOf(t.path("created_at").asLong()), body, contacts.toString(),
                    sorted(attributes).toString(), names(t.path("tags").path("tags")), messages.toString());
        }

        private static Map<String, String> sorted(JsonNode object) {
            Map<String, String> out = new TreeMap<>();
            object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().toString()));
            return out;
        }

        private static String names(JsonNode tags) {
            return tags.findValuesAsText("name").stream().map(String::toLowerCase).sorted().collect(Collectors.joining(","));
        }
    }

    private static Set<String> inboxFiles(MigratorHarness migrator) throws IOException {
        try (Stream<Path> files = Files.walk(migrator.inbox())) {
            return files.filter(Files::isRegularFile).map(p -> migrator.inbox().relativize(p).toString())
                    .filter(p -> !p.startsWith(".") && !p.endsWith(".gitkeep") && !p.endsWith(".camelLock")).collect(Collectors.toCollection(java.util.TreeSet::new));
        }
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static List<Long> createdAt(List<? extends JsonNode> threads) {
        return threads.stream().map(t -> t.path("created_at").asLong()).toList();
    }

    private static JsonNode conversationCreatedAt(FakeIntercom f, long createdAt) {
        return f.conversations().stream().filter(c -> c.path("created_at").asLong() == createdAt).findFirst()
                .orElseThrow(() -> new AssertionError("no conversation created at " + createdAt));
    }

    private static JsonNode ticketCreatedAt(FakeIntercom f, long createdAt) {
        return f.tickets().stream().filter(c -> c.path("created_at").asLong() == createdAt).findFirst()
                .orElseThrow(() -> new AssertionError("no ticket created at " + createdAt));
    }

    private static JsonNode contactByExternalId(FakeIntercom f, String externalId) {
        return f.contacts().stream().filter(c -> externalId.equals(c.path("external_id").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no contact " + externalId));
    }

    private static JsonNode contactByEmail(FakeIntercom f, String email) {
        return f.contacts().stream().filter(c -> email.equals(c.path("email").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no contact " + email));
    }
}
