package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.intercommigrator.fake.FakeIntercom;
import io.intercommigrator.testing.MigratorHarness;
import io.intercommigrator.testing.MigratorHarness.Result;

import io.intercommigrator.core.ExitCode;
/** ClickDesk end to end: a whole export bundle, and the same files one by one in reverse order. */
class ClickDeskEndToEndTest {
    private static final String TOKEN = "tok_clickdesk";

    static final Map<String, String> BUNDLE = new LinkedHashMap<>();

    static {
        BUNDLE.put("visitors.csv", """
                visitor_id,name,email,phone,tags
                v1,Anna Müller,anna@example.de,+49 1,vip
                v2,José Álvarez,jose@example.es,,
                """);
        BUNDLE.put("chats.json", """
                {"session": [
                  {"chat_id": "c1", "visitor_id": "v1", "name": "Anna Müller", "email": "anna@example.de",
                   "agent_id": "Sam", "agent_email": "sam@acme.test", "department": "Support",
                   "start_time": "1741000000000", "status": "closed", "tags": ["billing"],
                   "messages": [
                     {"time": "1741000000000", "from": "visitor", "sender_name": "Anna", "text": "Hallo, meine Rechnung?"},
                     {"time": "1741000060000", "from": "bot", "sender_name": "Bot", "text": "An agent is coming"},
                     {"time": "1741000120000", "from": "agent", "sender_name": "Sam", "sender_email": "sam@acme.test", "text": "Hi Anna!"},
                     {"time": "1741000180000", "from": "visitor", "sender_name": "Anna", "text": "Danke", "attachments": ["https://files.example/a.png"]}
                   ]},
                  {"chat_id": "c2", "visitor_id": "v9", "name": "Neu Besucher", "email": "neu@example.de",
                   "agent_email": "ghost@acme.test", "start_time": "1741100000000",
                   "messages": [
                     {"time": "1741100000000", "from": "visitor", "text": "Is anyone there?"},
                     {"time": "1741100030000", "from": "agent", "sender_name": "Ghost", "sender_email": "ghost@acme.test", "text": "Yes!"}
                   ]}
                ]}
                """);
        BUNDLE.put("tickets.csv", """
                ticket_id,subject,body,status,priority,channel,department,agent_email,visitor_id,visitor_name,visitor_email,created_at,updated_at,tags
                t1,Invoice wrong,The invoice total is wrong,open,high,web,Support,sam@acme.test,v2,José Álvarez,jose@example.es,2025-03-05T10:00:00Z,,billing
                t2,Old email,Thanks for the fix,closed,low,email,Support,sam@acme.test,v1,Anna Müller,anna@example.de,2025-03-06T10:00:00Z,,
                """);
        BUNDLE.put("ticket_messages.csv", """
                ticket_id,message_id,author_type,author_email,body,created_at,attachments
                t1,m1,agent,sam@acme.test,We are checking,2025-03-05T11:00:00Z,
                t1,m2,visitor,jose@example.es,Thank you,2025-03-05T12:00:00Z,
                """);
        BUNDLE.put("social_messages.csv", """
                thread_id,network,handle,name,email,author_type,agent_email,text,created_at
                s1,facebook,anna.fb,Anna Müller,anna@example.de,visitor,,Hi from Facebook,2025-03-08T09:00:00Z
                s2,twitter,@kari,Kari,,visitor,,DM on twitter,2025-03-08T10:00:00Z
                s1,facebook,anna.fb,Anna Müller,anna@example.de,agent,sam@acme.test,Hello Anna,2025-03-08T09:05:00Z
                """);
        BUNDLE.put("voip_calls.csv", """
                call_id,visitor_id,phone,agent_email,direction,started_at,duration_seconds,recording_url,notes
                p1,v1,+49 1,sam@acme.test,inbound,2025-03-08T09:20:00Z,95,https://rec.example/p1.mp3,Called about invoice
                """);
        BUNDLE.put("canned_responses.csv", """
                response_id,title,shortcut,category,message
                r1,Greeting,/hi,General,"=HYPERLINK(""x"")"
                """);
        BUNDLE.put("agents.csv", """
                agent_id,name,email,role,departments
                a1,Sam Support,sam@acme.test,admin,Support
                a2,Ghost,ghost@acme.test,agent,Sales
                """);
        BUNDLE.put("departments.csv", "department_id,name\nd1,Support\nd2,Sales\n");
        BUNDLE.put("tags.csv", """
                tag,object_type,object_id
                VIP,visitor,v2
                urgent,chat,c1
                escalated,ticket,t1
                """);
        BUNDLE.put("offline_messages.csv", """
                message_id,visitor_id,name,email,phone,department,message,visitor_url,created_at
                o1,,Kari Nordmann,kari@example.no,,Sales,Please call me back,https://acme.test/pricing,2025-03-07 08:00:00
                """);
    }

    @TempDir
    Path home;
    FakeIntercom intercom;

    @BeforeEach
    void start() {
        intercom = FakeIntercom.builder().token(TOKEN).limitPer10s(1000).admin("sam@acme.test", "Sam Support").build().start();
        intercom.seedTeam("Support");
    }

    @AfterEach
    void stop() {
        intercom.close();
    }

    static byte[] zip(Map<String, String> files, String folder) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("__MACOSX/._visitors.csv"));
            zip.closeEntry();
            for (Map.Entry<String, String> f : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(folder + f.getKey()));
                zip.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** The workspace as a comparable picture: contacts, conversations with ordered parts, tickets. */
    private Map<String, Object> workspace() {
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("contacts", intercom.contacts().stream().map(c -> c.path("email").asText() + "|" + c.path("role").asText()
                + "|" + c.path("external_id").asText()).sorted().toList());
        w.put("conversations", intercom.conversations().stream().map(c -> c.path("created_at").asLong() + "|"
                + c.path("source").path("body").asText() + "|" + partsOf(c)).sorted().toList());
        w.put("tickets", intercom.tickets().stream().map(t -> t.path("created_at").asLong() + "|"
                + t.path("ticket_attributes").toString()).sorted().toList());
        return w;
    }

    private static String partsOf(JsonNode conversation) {
        return conversation.path("conversation_parts").path("conversation_parts").findValuesAsText("body").stream()
                .collect(Collectors.joining(" / "));
    }

    private String contactId(String email) {
        return intercom.contacts().stream().filter(c -> email.equals(c.path("email").asText())).findFirst().orElseThrow()
                .path("id").asText();
    }

    private ObjectNode c1AfterRun() {
        return conversationCreatedAt(1741000000L);
    }

    private ObjectNode conversationCreatedAt(long createdAt) {
        return intercom.conversations().stream().filter(c -> c.path("created_at").asLong() == createdAt).findFirst()
                .orElseThrow(() -> new AssertionError("no conversation created at " + createdAt));
    }

    @Test
    void wholeBundleLandsObjectByObject() throws Exception {
        MigratorHarness migrator = new MigratorHarness(home).live(intercom.baseUrl(), TOKEN);
        migrator.drop("clickdesk-export.zip", zip(BUNDLE, "export/"));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        // chat c1: opened by Anna's first message, then bot note, agent comment by Sam, Anna's reply with attachment
        ObjectNode c1 = conversationCreatedAt(1741000000L);
        assertThat(c1.path("source").path("body").asText()).isEqualTo("Hallo, meine Rechnung?");
        JsonNode parts = c1.path("conversation_parts").path("conversation_parts");
        List<JsonNode> messages = new java.util.ArrayList<>();
        parts.forEach(p -> {
            if (List.of("comment", "note").contains(p.path("part_type").asText())) {
                messages.add(p);
            }
        });
        assertThat(messages).extracting(p -> p.path("part_type").asText() + ":" + p.path("author").path("type").asText()
                + ":" + p.path("created_at").asLong())
                .containsExactly("note:admin:1741000060", "comment:admin:1741000120", "comment:user:1741000180");
        String samId = intercom.admins().stream().filter(a -> a.path("email").asText().equals("sam@acme.test"))
                .findFirst().orElseThrow().path("id").asText();
        assertThat(messages.get(1).path("author").path("id").asText()).isEqualTo(samId);
        assertThat(messages.get(0).path("body").asText()).contains("[Bot]");
        assertThat(messages.get(2).path("attachments").toString()).contains("https://files.example/a.png");
        assertThat(c1.path("custom_attributes").path("cd_channel_source").asText()).isEqualTo("Chat");
        assertThat(c1.path("admin_assignee_id").asText()).isEqualTo(samId);
        assertThat(c1.path("tags").toString()).contains("billing");

        // chat c2: visitor v9 was not in visitors.csv: upserted from the chat itself; unmatched agent → no assignee
        ObjectNode c2 = conversationCreatedAt(1741100000L);
        assertThat(c2.path("admin_assignee_id").isNull() || c2.path("admin_assignee_id").asText().isEmpty()).isTrue();
        assertThat(intercom.contacts()).anySatisfy(c -> assertThat(c.path("email").asText()).isEqualTo("neu@example.de"));
        assertThat(run.report().path("reconciliation_queue").toString()).contains("unmatched agent", "ghost@acme.test");

        // t1 (web, open) → ticket with its two messages; t2 (email, closed) → conversation
        assertThat(intercom.tickets()).hasSize(2); // t1 and the offline message
        JsonNode t1 = intercom.tickets().stream().filter(t -> t.path("created_at").asLong() == 1741168800L).findFirst().orElseThrow();
        assertThat(t1.path("ticket_attributes").path("_default_title_").asText()).isEqualTo("Invoice wrong");
        assertThat(t1.path("ticket_attributes").path("cd_original_ticket_id").asText()).isEqualTo("t1");
        assertThat(t1.path("ticket_parts").path("ticket_parts").findValuesAsText("body")).contains("We are checking", "Thank you");
        ObjectNode t2 = conversationCreatedAt(1741255200L);
        assertThat(t2.path("custom_attributes").path("cd_original_ticket_id").asText()).isEqualTo("t2");
        assertThat(t2.path("custom_attributes").path("cd_channel_source").asText()).isEqualTo("Email");
        JsonNode offline = intercom.tickets().stream().filter(t -> t.path("ticket_attributes").has("cd_channel_source")
                && t.path("ticket_attributes").path("cd_channel_source").asText().equals("Offline")).findFirst().orElseThrow();
        assertThat(offline.path("created_at").asLong()).isEqualTo(1741334400L);

        // social: s1 by email → Anna's contact, ordered parts; s2 without email → a lead keyed on network + handle
        JsonNode s1 = conversationCreatedAt(1741424400L);
        assertThat(s1.path("custom_attributes").path("cd_channel_source").asText()).isEqualTo("Facebook");
        assertThat(s1.path("contacts").toString()).contains(contactId("anna@example.de"));
        assertThat(partsOf(s1)).contains("Hello Anna");
        JsonNode s2 = conversationCreatedAt(1741428000L);
        assertThat(s2.path("custom_attributes").path("cd_channel_source").asText()).isEqualTo("Twitter");
        // voip: 15 minutes after s1's last message, inside its span widened by 30 minutes: a note on s1 (no new
        // conversation), backdated to the call
        assertThat(s1.path("conversation_parts").path("conversation_parts").toString())
                .contains("Phone call (inbound)", "1:35", "https://rec.example/p1.mp3", "1741425600");
        assertThat(intercom.conversations()).noneSatisfy(c -> assertThat(c.path("source").path("body").asText())
                .startsWith("Phone call"));
        // tags.csv: on the contact, the chat and the ticket
        assertThat(intercom.contacts().stream().filter(c -> c.path("external_id").asText().equals("v2")).findFirst().orElseThrow()
                .path("tags").toString()).as("'VIP' is the workspace's 'vip' tag: names match case-insensitively").contains("\"vip\"");
        assertThat(intercom.tags()).extracting(t -> t.path("name").asText().toLowerCase()).doesNotHaveDuplicates();
        assertThat(c1AfterRun().path("tags").toString()).contains("urgent");

        assertThat(intercom.contacts()).hasSize(5); // v1, v2, v9 (from the chat), Kari (offline), @kari (twitter lead)
        assertThat(intercom.duplicateEmails()).isEmpty();
        // counted as what they became: 2 chats + 2 social threads + t2 (email, closed: routed to a conversation)
        assertThat(run.counts("conversation").path("created").asLong()).isEqualTo(5);
        assertThat(intercom.conversations()).hasSize(5);
        assertThat(run.counts("note").path("created").asLong()).isEqualTo(1);
        assertThat(run.counts("tag").path("dead_lettered").asLong()).isZero();
        assertThat(run.counts("ticket").path("source").asLong()).as("t1 and offline o1").isEqualTo(2);
        assertThat(run.counts("ticket").path("created").asLong()).isEqualTo(intercom.tickets().size());
        run.assertAddsUp();

        // handoff documents from the real export: unmatched agent, department without team, neutralised saved reply
        Path handoff = run.reportFile().getParent().resolve("handoff");
        assertThat(java.nio.file.Files.readString(handoff.resolve("provisioning-checklist.md"))).contains("ghost@acme.test", "Sales");
        assertThat(java.nio.file.Files.readString(handoff.resolve("saved-replies.csv"))).contains("'=HYPERLINK");
        assertThat(java.nio.file.Files.readString(handoff.resolve("widget-recreation-checklist.md"))).contains("Support");
        assertThat(handoff.resolve("fin-ai-agent-brief.md")).exists();
        assertThat(handoff.resolve("reporting-gap-disclosure.md")).exists();

        // re-dropping the bundle (a new ZIP of the same files) writes nothing: no POST, PUT or DELETE
        int requests = intercom.requests().size();
        migrator.drop("clickdesk-export.zip", zip(BUNDLE, "export/"));
        Result again = migrator.once();
        assertThat(intercom.requests().subList(requests, intercom.requests().size()))
                .allSatisfy(r -> assertThat(r.method()).isEqualTo("GET"));
        assertThat(again.counts("conversation").path("unchanged").asLong()).isEqualTo(5);
        assertThat(again.counts("contact").path("created").asLong()).isZero();
    }

    @Test
    void filesDroppedOneByOneInReverseOrderEndInTheSameWorkspace() throws Exception {
        Map<String, String> threads = new LinkedHashMap<>();
        for (String f : List.of("visitors.csv", "chats.json", "tickets.csv", "ticket_messages.csv", "offline_messages.csv")) {
            threads.put(f, BUNDLE.get(f));
        }
        MigratorHarness bundled = new MigratorHarness(home.resolve("a")).live(intercom.baseUrl(), TOKEN);
        bundled.drop("clickdesk-export.zip", zip(threads, ""));
        bundled.once();
        Map<String, Object> expected = workspace();

        intercom.reset();
        intercom.seedTeam("Support");
        MigratorHarness oneByOne = new MigratorHarness(home.resolve("b")).live(intercom.baseUrl(), TOKEN);
        // the thread files and their contacts (VoIP notes, social threads and tags.csv depend on what came first:
        // a call before its visitor opens a conversation of its own, a tag before its object waits in the dead letters)
        List<String> reverse = new java.util.ArrayList<>(List.of("visitors.csv", "chats.json", "tickets.csv",
                "ticket_messages.csv", "offline_messages.csv"));
        java.util.Collections.reverse(reverse);
        reverse.remove("ticket_messages.csv");
        reverse.add(reverse.indexOf("tickets.csv") + 1, "ticket_messages.csv"); // a message needs its ticket first
        for (String file : reverse) {
            oneByOne.drop("clickdesk/" + file, BUNDLE.get(file));
            Result run = oneByOne.once();
            assertThat(run.exitCode()).isZero();
        }

        assertThat(workspace()).isEqualTo(expected);
        assertThat(intercom.duplicateEmails()).isEmpty();
    }

    /**
     * A row repeated in an export (a visitor, a ticket, a chat session) is the same object: created once, the repeat
     * counted unchanged, so the report's created matches what Intercom holds. With latency both copies are in flight together, so a delivery that looked the
     * thread up and then created it without holding it would create it twice.
     */
    @Test
    void aRepeatedRowOfAThreadFileCreatesItsThreadOnce() throws Exception {
        intercom.latencyMillis(40);
        MigratorHarness migrator = new MigratorHarness(home).live(intercom.baseUrl(), TOKEN);
        String tickets = BUNDLE.get("tickets.csv");
        String t1 = tickets.lines().filter(l -> l.startsWith("t1,")).findFirst().orElseThrow();
        JsonNode chats = new com.fasterxml.jackson.databind.ObjectMapper().readTree(BUNDLE.get("chats.json"));
        ((com.fasterxml.jackson.databind.node.ArrayNode) chats.path("session")).add(chats.path("session").path(0).deepCopy());
        String visitors = BUNDLE.get("visitors.csv");
        migrator.drop("clickdesk/visitors.csv", visitors + visitors.lines().filter(l -> l.startsWith("v2,")).findFirst().orElseThrow() + "\n");
        migrator.drop("clickdesk/tickets.csv", tickets + t1 + "\n" + t1 + "\n");
        migrator.drop("clickdesk/chats.json", chats.toString());

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        JsonNode stats = intercom.stats();
        assertThat(stats.path("duplicate_tickets").asInt()).isZero();
        assertThat(stats.path("duplicate_conversations").asInt()).isZero();
        assertThat(stats.path("duplicate_parts").asInt()).isZero();
        run.assertAddsUp();
        assertThat(intercom.contacts()).extracting(c -> c.path("external_id").asText()).containsExactlyInAnyOrder("v1", "v2", "v9");
        assertThat(run.counts("contact").path("created").asLong()).as("v1, v2 and chat c2's visitor v9: as Intercom holds")
                .isEqualTo(3);
        assertThat(run.counts("contact").path("unchanged").asLong()).as("the repeated visitor").isEqualTo(1);
        // t1 is routed to a ticket by config/mapping.yaml; its two repeats and the repeated chat are unchanged
        assertThat(run.counts("ticket").path("unchanged").asLong() + run.counts("conversation").path("unchanged").asLong())
                .isEqualTo(3);
    }

    /**
     * A message exported twice inside one thread (a social_messages.csv row, a chats.json message) is one message:
     * the opening is not repeated as a comment and a reply is not posted twice. The fake's duplicate_parts does not
     * compare parts with the opening message, so the conversations are read directly.
     */
    @Test
    void aMessageRepeatedInsideAThreadBecomesOnePart() throws Exception {
        MigratorHarness migrator = new MigratorHarness(home).live(intercom.baseUrl(), TOKEN);
        String fbHi = "s1,facebook,annfb,Ann,ann@x.com,visitor,,fb hi,2026-03-01T09:30:00Z\n";
        String reply = "s1,facebook,annfb,Sam,,agent,sam@acme.test,hello Ann,2026-03-01T09:31:00Z\n";
        migrator.drop("clickdesk/social_messages.csv", "thread_id,network,handle,name,email,author_type,agent_email,text,created_at\n"
                + fbHi + fbHi + reply + reply);
        migrator.drop("clickdesk/chats.json", """
                {"session": [
                  {"chat_id": "c1", "visitor_id": "v1", "name": "Anna", "email": "anna@example.de",
                   "agent_email": "sam@acme.test", "start_time": "1741000000000",
                   "messages": [
                     {"time": "1741000000000", "from": "visitor", "sender_name": "Anna", "text": "Hallo?"},
                     {"time": "1741000000000", "from": "visitor", "sender_name": "Anna", "text": "Hallo?"},
                     {"time": "1741000060000", "from": "agent", "sender_name": "Sam", "sender_email": "sam@acme.test", "text": "Hi Anna!"},
                     {"time": "1741000060000", "from": "agent", "sender_name": "Sam", "sender_email": "sam@acme.test", "text": "Hi Anna!"}
                   ]}
                ]}
                """);

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        JsonNode social = conversationCreatedAt(1772357400L);
        assertThat(social.path("source").path("body").asText()).isEqualTo("fb hi");
        assertThat(messageBodies(social)).containsExactly("hello Ann");
        JsonNode chat = conversationCreatedAt(1741000000L);
        assertThat(chat.path("source").path("body").asText()).isEqualTo("Hallo?");
        assertThat(messageBodies(chat)).containsExactly("Hi Anna!");
        assertThat(intercom.stats().path("duplicate_parts").asInt()).isZero();
        run.assertAddsUp();
    }

    /** The bodies of a conversation's parts that carry one (assignments carry none), in order. */
    private static List<String> messageBodies(JsonNode conversation) {
        return conversation.path("conversation_parts").path("conversation_parts").findValuesAsText("body").stream()
                .filter(b -> !b.isEmpty() && !b.equals("null")).toList();
    }

    /** A chat's visitor becomes a contact: an EU country in its visitor_info stops a live run into a US workspace. */
    @Test
    void anEuChatVisitorStopsALiveRunIntoAUsWorkspace() throws Exception {
        MigratorHarness migrator = new MigratorHarness(home).live(intercom.baseUrl(), TOKEN).set("migration.gdpr-acknowledged", "false");
        migrator.drop("clickdesk/chats.json", """
                {"session": [
                  {"chat_id": "c7", "visitor_id": "v7", "email": "lena@example.de", "start_time": "1741000000000",
                   "visitor_info": "{\\"city\\":\\"Berlin\\",\\"country\\":\\"Germany\\"}",
                   "messages": [{"time": "1741000000000", "from": "visitor", "text": "Hallo"}]}
                ]}
                """);

        Result refused = migrator.once();

        assertThat(refused.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(refused.stderr()).contains("GDPR guard", "clickdesk/chats.json entry 0");
        assertThat(intercom.requests()).isEmpty();
    }

    @Test
    void aDeadLetterInTheMiddleOfAFileDoesNotStopTheRestOfIt() throws Exception {
        MigratorHarness migrator = new MigratorHarness(home).live(intercom.baseUrl(), TOKEN);
        StringBuilder messages = new StringBuilder("ticket_id,message_id,author_type,author_email,body,created_at,attachments\n");
        for (int i = 1; i <= 12; i++) {
            messages.append("t1,m").append(i).append(',').append(i == 2 ? "system" : "agent")
                    .append(",sam@acme.test,Message ").append(i).append(",2025-03-05T11:").append(10 + i).append(":00Z,\n");
        }
        migrator.drop("clickdesk/visitors.csv", BUNDLE.get("visitors.csv"));
        migrator.drop("clickdesk/tickets.csv", BUNDLE.get("tickets.csv"));
        migrator.drop("clickdesk/ticket_messages.csv", messages.toString()); // read one record at a time
        migrator.drop("clickdesk/tags.csv", "tag,object_type,object_id\nx,visitor,v404\n"
                + "a,visitor,v1\nb,visitor,v2\nc,visitor,v1\nd,visitor,v2\ne,visitor,v1\nf,visitor,v2\n");

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(migrator.deadLetters()).extracting(d -> d.path("line").asLong()).containsExactlyInAnyOrder(3L, 2L);
        assertThat(run.counts("conversation_part").path("created").asLong()).as("the 11 messages after the bad one").isEqualTo(11);
        assertThat(intercom.contacts().stream().filter(c -> c.path("external_id").asText().equals("v2")).findFirst()
                .orElseThrow().path("tags").toString()).contains("\"b\"", "\"d\"", "\"f\"");
        run.assertAddsUp();
    }
}
