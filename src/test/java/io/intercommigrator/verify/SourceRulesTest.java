package io.intercommigrator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import io.intercommigrator.mapping.Timestamps;
import io.intercommigrator.ledger.RecordKey;
import io.intercommigrator.mapping.ContactPlan;
import io.intercommigrator.mapping.MappingConfig;
import io.intercommigrator.mapping.ThreadPlan;

import io.intercommigrator.intercom.DeliverySample;
/** The source rules against canned read-backs: what the plan says does not matter where the source says otherwise. */
class SourceRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId HELSINKI = ZoneId.of("Europe/Helsinki");
    private static final MappingConfig MAPPING = MappingConfig.load(java.nio.file.Path.of("config/mapping.yaml"));
    private static final SourceRules RULES = new SourceRules(MAPPING, Timestamps.utc(), new Timestamps(HELSINKI), List::of,
            id -> "r1".equals(id) ? "Sale" : null, id -> "o1".equals(id) ? "Won" : null, 255);

    private static Map<String, String> row(String... kv) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            row.put(kv[i], kv[i + 1]);
        }
        return row;
    }

    private static List<String> verify(DeliverySample.Item item, JsonNode readBack) {
        DeliverySample sample = new DeliverySample(50, 42);
        sample.record(item);
        ObjectNode v = new Verifier(path -> readBack, name -> Optional.empty(), JSON, RULES).verify(sample);
        List<String> out = new ArrayList<>();
        v.path("mismatches").forEach(m -> out.add(m.path("field").asText() + "=" + m.path("expected") + "→" + m.path("actual")));
        return out;
    }

    /** As {@link #verify(DeliverySample.Item, JsonNode)}, each path read from {@code byPath} (a path not there: 404). */
    private static List<String> verifyReading(DeliverySample.Item item, Map<String, JsonNode> byPath) {
        DeliverySample sample = new DeliverySample(50, 42);
        sample.record(item);
        List<String> paths = new ArrayList<>();
        ObjectNode v = new Verifier(path -> {
            paths.add(path);
            JsonNode n = byPath.get(path);
            if (n == null) {
                throw new io.intercommigrator.intercom.IntercomApiException.Rejected(404, "not_found", "no " + path, null);
            }
            return n;
        }, name -> Optional.empty(), JSON, RULES).verify(sample);
        List<String> out = new ArrayList<>();
        v.path("mismatches").forEach(m -> out.add(m.path("field").asText() + "=" + m.path("expected") + "→" + m.path("actual")));
        return out;
    }

    private static ThreadPlan shell(String type, String sourceId, ThreadPlan.Kind kind) {
        return new ThreadPlan(new RecordKey("clickdesk", type, sourceId), kind, null, 0, "", List.of(), null, null, Map.of(), Map.of(),
                Map.of(), null, null, List.of(), List.of());
    }

    private static ObjectNode part(com.fasterxml.jackson.databind.node.ArrayNode parts, String type, String body, long at, String author) {
        ObjectNode p = parts.addObject().put("part_type", type).put("body", body).put("created_at", at);
        p.putObject("author").put("type", author);
        return p;
    }

    private static ContactPlan contact(ObjectNode payload) {
        return new ContactPlan(new RecordKey("clickdesk", "contact", "v1"), payload.path("email").asText(null), payload, Map.of(),
                List.of(), Set.of("external_id", "cd_original_visitor_id"));
    }

    @Test
    void aVisitorIsComparedWithItsRowEmailTrimmedInLowerCasePhoneByItsDigits() {
        DeliverySample.Origin origin = new DeliverySample.Origin("clickdesk/visitors.csv", 2, "clickdesk visitors.csv",
                row("visitor_id", "v1", "name", " Anna Müller ", "email", " Anna@Example.DE ", "phone", "+49 (30) 1234", "city", "Berlin"));
        // the plan (what was sent) is wrong on name and city: Intercom holds it, the source says otherwise
        ObjectNode sent = JSON.createObjectNode().put("email", "anna@example.de").put("name", "Anna Muller").put("role", "user");
        sent.putObject("custom_attributes").put("cd_original_visitor_id", "v1").put("cd_city", "Bern");
        ObjectNode read = sent.deepCopy().put("phone", "+4930 1234");

        List<String> found = verify(new DeliverySample.Item("contact", "x1", contact(sent), sent, false, origin), read);

        assertThat(found).containsExactlyInAnyOrder("name=\"Anna Müller\"→\"Anna Muller\"",
                "custom_attributes.cd_city=\"Berlin\"→\"Bern\"");
    }

    @Test
    void aMergeIntoSomeoneElsesContactKeepsItsEmailAndIdsButNotItsName() {
        DeliverySample.Origin origin = new DeliverySample.Origin("clickdesk/visitors.csv", 2, "clickdesk visitors.csv",
                row("visitor_id", "v1", "name", "Anna Müller", "email", "anna@example.de"));
        ObjectNode sent = JSON.createObjectNode().put("name", "Anna Müller");
        ObjectNode read = JSON.createObjectNode().put("email", "other@example.de").put("name", "Anna M.");
        read.putObject("custom_attributes").put("cd_original_visitor_id", "v0");

        List<String> found = verify(new DeliverySample.Item("contact", "x1", contact(sent), sent, true, origin), read);

        assertThat(found).containsExactly("name=\"Anna Müller\"→\"Anna M.\"");
    }

    @Test
    void aTicketAndACallKeepTheirSourceTimesInEveryDocumentedFormat() {
        ThreadPlan ticketPlan = new ThreadPlan(new RecordKey("clickdesk", "ticket", "t1"), ThreadPlan.Kind.TICKET, null, 0, "x",
                List.of(), null, null, Map.of(), Map.of(), Map.of(), null, null, List.of(), List.of());
        DeliverySample.Origin ticket = new DeliverySample.Origin("clickdesk/tickets.csv", 2, "clickdesk tickets.csv",
                row("ticket_id", "t1", "subject", "Invoice wrong", "body", "The total is wrong", "created_at", "05.03.2025 10:00"));
        long t1 = LocalDateTime.of(2025, 3, 5, 10, 0).atZone(ZoneId.of("UTC")).toEpochSecond();
        ObjectNode readTicket = JSON.createObjectNode().put("created_at", t1 + 3600);
        readTicket.putObject("ticket_attributes").put("cd_original_ticket_id", "t1").put("_default_title_", "Invoice wrong")
                .put("_default_description_", "<p>The total</p>");

        assertThat(verify(new DeliverySample.Item("ticket", "9", ticketPlan, null, false, ticket), readTicket))
                .containsExactlyInAnyOrder("created_at=" + t1 + "→" + (t1 + 3600),
                        "ticket_attributes._default_description_=\"The total is wrong\"→\"<p>The total</p>\"");

        ThreadPlan callPlan = new ThreadPlan(new RecordKey("leaddesk", "conversation", "call-k1"), ThreadPlan.Kind.CONVERSATION,
                null, 0, "Call", List.of(), null, null, Map.of(), Map.of(), Map.of(), null, null, List.of(), List.of());
        DeliverySample.Origin call = new DeliverySample.Origin("leaddesk/call_records.csv", 2, "leaddesk call_records.csv",
                row("id", "k1", "direction", "outbound", "talk_start", "2026-03-29 02:30:00", "call_ending_reason", "r1",
                        "call_ending_reason_name", "", "outcome", "o1"));
        long k1 = LocalDateTime.of(2026, 3, 29, 2, 30).atZone(HELSINKI).toEpochSecond();
        ObjectNode readCall = JSON.createObjectNode().put("created_at", k1);
        readCall.putObject("source").put("body", "Call").putObject("author").put("type", "user");
        readCall.putObject("custom_attributes").put("ld_disposition", "r1").put("ld_outcome", "won");
        readCall.putObject("conversation_parts").putArray("conversation_parts").addObject().put("part_type", "note")
                .put("body", "<p>Direction: outbound</p>").put("created_at", k1).putObject("author").put("type", "admin");

        assertThat(verify(new DeliverySample.Item("conversation", "8", callPlan, null, false, call), readCall))
                .as("the disposition by its taxonomy name, the outcome's name in any case").containsExactly(
                        "custom_attributes.ld_disposition=\"Sale\"→\"r1\"");
    }

    @Test
    void aValueTheRulesLeaveOffButTheRunWroteIsAMismatch() {
        MappingConfig mapping = MappingConfig.load(java.nio.file.Path.of("config/mapping.yaml"));
        MappingConfig.ClickDesk cd = mapping.clickdesk();
        MappingConfig typed = new MappingConfig(mapping.confirmed(), mapping.checksum(), mapping.strict(), mapping.columnAliases(),
                mapping.teamMap(), new MappingConfig.ClickDesk(cd.externalIdPrefix(), cd.ticketType(), cd.ticketRouting(),
                cd.ticketRoutingFallback(), cd.tagAttributes(), Map.of(), Map.of("seats", new MappingConfig.ExtraColumn("cd_seats", "integer"))),
                mapping.leaddesk(), mapping.ticketStates(), mapping.definitions());
        SourceRules rules = new SourceRules(typed, Timestamps.utc(), new Timestamps(HELSINKI), List::of, id -> null, id -> null, 255);
        DeliverySample.Origin origin = new DeliverySample.Origin("clickdesk/visitors.csv", 2, "clickdesk visitors.csv",
                row("visitor_id", "v1", "seats", "many"));
        ObjectNode sent = JSON.createObjectNode();
        sent.putObject("custom_attributes").put("cd_original_visitor_id", "v1").put("cd_seats", 0);
        DeliverySample sample = new DeliverySample(50, 42);
        sample.record(new DeliverySample.Item("contact", "x1", contact(sent), sent, false, origin));

        ObjectNode v = new Verifier(path -> sent, name -> Optional.empty(), JSON, rules).verify(sample);

        assertThat(v.path("mismatches")).singleElement().satisfies(m -> {
            assertThat(m.path("field").asText()).isEqualTo("custom_attributes.cd_seats");
            assertThat(m.path("expected").asText()).isEqualTo("left off: many");
            assertThat(m.path("actual").asInt()).isZero();
            assertThat(m.path("source_record").asText()).isEqualTo("clickdesk/visitors.csv:2");
        });
    }

    @Test
    void aSocialThreadIsComparedWithItsRowsRepeatsAndEmptyRowsLeftOut() {
        List<Map<String, String>> rows = List.of(
                row("thread_id", "s1", "network", "facebook", "email", " Anna@Example.DE", "author_type", "visitor", "text", "Hi from Facebook",
                        "created_at", "2025-03-08T09:00:00Z"),
                row("thread_id", "s1", "network", "facebook", "email", "", "author_type", "agent", "text", "Hello Anna",
                        "created_at", "2025-03-08T09:05:00Z"),
                row("thread_id", "s1", "network", "facebook", "email", "", "author_type", "agent", "text", "Hello Anna",
                        "created_at", "2025-03-08T09:05:00Z"),
                row("thread_id", "s1", "network", "facebook", "email", "", "author_type", "visitor", "text", " ",
                        "created_at", "2025-03-08T09:06:00Z"),
                row("thread_id", "s1", "network", "facebook", "email", "", "author_type", "visitor", "text", "Thanks",
                        "created_at", "2025-03-08T09:04:00Z"));
        long t = java.time.Instant.parse("2025-03-08T09:00:00Z").getEpochSecond();
        DeliverySample.Origin origin = new DeliverySample.Origin("clickdesk/social_messages.csv", 2, "clickdesk social_messages.csv", rows);
        ObjectNode read = JSON.createObjectNode().put("created_at", t);
        read.putObject("source").put("body", "<p>Hi from Facebook</p>").putObject("author").put("type", "lead");
        read.putObject("custom_attributes").put("cd_channel_source", "Twitter").put("cd_original_thread_id", "s1");
        read.putObject("contacts").putArray("contacts").addObject().put("id", "k1");
        com.fasterxml.jackson.databind.node.ArrayNode parts = read.putObject("conversation_parts").putArray("conversation_parts");
        part(parts, "comment", "Hello Anna", t + 300, "admin"); // before "Thanks" (09:04) and from the admin, as it should not
        part(parts, "comment", "Thanks", t + 240, "admin");
        ObjectNode contact = JSON.createObjectNode().put("email", "other@example.de");

        List<String> found = verifyReading(new DeliverySample.Item("conversation", "7", shell("conversation", "social-s1",
                ThreadPlan.Kind.CONVERSATION), null, false, origin), Map.of("/conversations/7", read, "/contacts/k1", contact));

        assertThat(found).containsExactlyInAnyOrder(
                "custom_attributes.cd_channel_source=\"Facebook\"→\"Twitter\"",
                "contact.email=\"anna@example.de\"→\"other@example.de\"",
                "part_order=[\"4\",\"1\"]→[\"1\",\"4\"]",
                "parts[4].author=\"contact\"→\"admin\"");
    }

    @Test
    void aCallNoteSaysTheCallsDirectionDurationAgentAndRecordingWhereverItWasPlaced() {
        Map<String, String> call = row("call_id", "p1", "visitor_id", "v1", "agent_email", "sam@acme.test", "direction", "inbound",
                "started_at", "2025-03-08T09:20:00Z", "duration_seconds", "95", "recording_url", "https://rec.example/p1.mp3");
        long t = java.time.Instant.parse("2025-03-08T09:20:00Z").getEpochSecond();
        ObjectNode chat = JSON.createObjectNode().put("created_at", t - 1200);
        com.fasterxml.jackson.databind.node.ArrayNode parts = chat.putObject("conversation_parts").putArray("conversation_parts");
        part(parts, "comment", "Hello Anna", t, "admin");
        part(parts, "note", "Phone call (inbound)<br>Duration: 95:00 (5700 s)<br>Agent: sam@acme.test<br>Recording: "
                + "https://rec.example/p1.mp3", t, "admin");
        DeliverySample.Origin onChat = new DeliverySample.Origin("clickdesk/voip_calls.csv", 2, "clickdesk voip_calls.csv",
                List.of(call));

        assertThat(verifyReading(new DeliverySample.Item("note", "7", shell("conversation", "voip-p1", ThreadPlan.Kind.CONVERSATION),
                null, false, onChat), Map.of("/conversations/7", chat)))
                .as("the note among the chat's parts, by what it says; the chat's own fields are not the call's")
                .containsExactly("parts[p1].duration=\"1:35\"→\"Phone call (inbound)<br>Duration: 95:00 (5700 s)<br>Agent: "
                        + "sam@acme.test<br>Recording: https://rec.example/p1.mp3\"");

        ObjectNode own = JSON.createObjectNode().put("created_at", t + 3600);
        own.putObject("source").put("body", "Phone call inbound").putObject("author").put("type", "user");
        own.putObject("custom_attributes").put("cd_channel_source", "Phone");
        part(own.putObject("conversation_parts").putArray("conversation_parts"), "note",
                "Phone call (inbound)\nDuration: 1:35 (95 s)\nAgent: sam@acme.test", t + 3600, "admin");
        DeliverySample.Origin alone = new DeliverySample.Origin("clickdesk/voip_calls.csv", 2, "clickdesk voip_calls.csv", call);

        assertThat(verifyReading(new DeliverySample.Item("conversation", "8", shell("conversation", "voip-p1",
                ThreadPlan.Kind.CONVERSATION), null, false, alone), Map.of("/conversations/8", own)))
                .containsExactlyInAnyOrder("created_at=" + t + "→" + (t + 3600), "parts[p1].created_at=" + t + "→" + (t + 3600),
                        "parts[p1].recording=\"https://rec.example/p1.mp3\"→\"Phone call (inbound)\\nDuration: 1:35 (95 s)\\n"
                                + "Agent: sam@acme.test\"");
    }

    @Test
    void ticketMessagesAreTheirTicketsPartsInTimeOrderWithTheirAuthors() {
        List<Map<String, String>> rows = List.of(
                row("ticket_id", "t1", "message_id", "m2", "author_type", "visitor", "body", "Thank you", "created_at", "2025-03-05T12:00:00Z"),
                row("ticket_id", "t1", "message_id", "m1", "author_type", "agent", "body", "We are checking", "created_at", "2025-03-05T11:00:00Z"),
                row("ticket_id", "t1", "message_id", "m3", "author_type", "agent", "body", "", "created_at", "2025-03-05T13:00:00Z",
                        "attachments", "https://files.example/a.pdf"));
        long t = java.time.Instant.parse("2025-03-05T11:00:00Z").getEpochSecond();
        ObjectNode ticket = JSON.createObjectNode().put("created_at", t - 3600);
        com.fasterxml.jackson.databind.node.ArrayNode parts = ticket.putObject("ticket_parts").putArray("ticket_parts");
        part(parts, "comment", "<p>We are checking</p>", t, "user");
        part(parts, "comment", "[Attachments: a.pdf]", t + 7200, "admin");
        DeliverySample.Origin origin = new DeliverySample.Origin("clickdesk/ticket_messages.csv", 2, "clickdesk ticket_messages.csv", rows);

        assertThat(verifyReading(new DeliverySample.Item("conversation_part", "9", shell("ticket", "t1", ThreadPlan.Kind.TICKET), null,
                false, origin), Map.of("/tickets/9", ticket))).containsExactlyInAnyOrder(
                "part_count=2→1", "parts[m2].body=\"Thank you\"→null", "parts[m1].author=\"admin\"→\"user\"");
    }

    @Test
    void aChatbotSessionIsComparedWithItsRowsInMessageIndexOrderWithItsHandover() throws Exception {
        JsonNode session = JSON.readTree("""
                {"conversation_id": "b2", "started_at": 1000, "intent": "human", "outcome": "handed_over", "handed_over": true,
                 "agent_email": "sam@acme.test", "handover_at": 1030,
                 "messages": [
                   {"message_index": 3, "order": 0, "timestamp": 1060, "sender": "agent", "message": "Hei Olli", "contact_email": ""},
                   {"message_index": 1, "order": 1, "timestamp": 1000, "sender": "user", "message": "Ihmiselle", "contact_email": "Olli@example.fi"},
                   {"message_index": 2, "order": 2, "timestamp": 1010, "sender": "bot", "message": "Siirrän", "contact_email": ""},
                   {"message_index": 2, "order": 3, "timestamp": 1010, "sender": "bot", "message": "Siirrän", "contact_email": ""},
                   {"message_index": 4, "order": 4, "timestamp": 1070, "sender": "user", "message": " ", "contact_email": ""}
                 ]}""");
        ObjectNode read = JSON.createObjectNode().put("created_at", 1000);
        read.putObject("source").put("body", "Ihmiselle").putObject("author").put("type", "user");
        read.putObject("custom_attributes").put("ld_intent", "billing").put("ld_chatbot_outcome", "handed_over");
        read.putObject("contacts").putArray("contacts").addObject().put("id", "k2");
        com.fasterxml.jackson.databind.node.ArrayNode parts = read.putObject("conversation_parts").putArray("conversation_parts");
        part(parts, "note", "[Bot] Siirrän", 1010, "admin");
        part(parts, "note", "Handed over to an agent", 1030, "admin");
        part(parts, "comment", "Hei Olli", 1060, "admin");
        DeliverySample.Origin origin = new DeliverySample.Origin("leaddesk/x.zip!conversations.csv", 0, "leaddesk chatbot_export*.zip",
                session);
        ThreadPlan plan = new ThreadPlan(new RecordKey("leaddesk", "conversation", "chatbot-b2"), ThreadPlan.Kind.CONVERSATION, null, 0,
                "x", List.of(), null, null, Map.of(), Map.of(), Map.of(), null, null, List.of(), List.of());

        assertThat(verifyReading(new DeliverySample.Item("conversation", "7", plan, null, false, origin),
                Map.of("/conversations/7", read, "/contacts/k2", JSON.createObjectNode().put("email", "olli@example.fi"))))
                .containsExactlyInAnyOrder("custom_attributes.ld_intent=\"human\"→\"billing\"",
                        "parts[handover].agent=\"sam@acme.test\"→\"Handed over to an agent\"");
    }
}
