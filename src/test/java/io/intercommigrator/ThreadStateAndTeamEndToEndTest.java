package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import io.intercommigrator.fake.FakeIntercom;
import io.intercommigrator.fake.FakeIntercom.RecordedRequest;
import io.intercommigrator.testing.AgainstFakeIntercom;
import io.intercommigrator.testing.MigratorHarness;
import io.intercommigrator.testing.MigratorHarness.Result;

/**
 * Threads land as they ended, owned by their team (mapping.md, "What an agent sees on day one"): a closed source
 * thread gets one close part after its last message, authored by the token's own admin and notifying nobody; tickets
 * get the ticket state of their status; departments, LeadDesk projects and offices become team assignments, and an
 * unmatched team is queued while its thread still moves. A delta changes the state both ways, a re-run sends nothing,
 * a rollback restores the state a delta changed and deletes what a run created.
 */
class ThreadStateAndTeamEndToEndTest extends AgainstFakeIntercom {
    private static final String TOKEN = "tok_state_team";

    @Override
    protected String token() {
        return TOKEN;
    }

    /** GET /me is the first admin: the one who closes. "Support" and "Sales Project" exist; "Nowhere" and "Helsinki" do not. */
    @Override
    protected FakeIntercom.Builder configure(FakeIntercom.Builder server) {
        return server.admin("owner@acme.test", "Owner").admin("agent1@acme.test", "Agent One").team("Support").team("Sales Project");
    }

    @Override
    protected MigratorHarness configure(MigratorHarness harness) {
        return harness.set("verification.sample-size", "0");
    }

    private static final String VISITORS = """
            visitor_id,name,email
            v1,Visitor One,v1@example.com
            v2,Visitor Two,v2@example.com
            v3,Visitor Three,v3@example.com
            """;

    private static String session(String id, String visitor, String status, String endTime, String department, int messages) {
        StringBuilder m = new StringBuilder();
        for (int i = 0; i < messages; i++) {
            m.append(i == 0 ? "" : ",").append("{\"time\":\"").append(1741000000000L + i * 60_000L).append("\",\"from\":\"")
                    .append(i % 2 == 0 ? "visitor" : "agent").append("\",\"sender_email\":\"agent1@acme.test\",\"text\":\"")
                    .append(id).append(" message ").append(i).append("\"}");
        }
        return "{\"chat_id\":\"" + id + "\",\"visitor_id\":\"" + visitor + "\",\"email\":\"" + visitor + "@example.com\","
                + "\"start_time\":\"1741000000000\"" + (status == null ? "" : ",\"status\":\"" + status + "\"")
                + (endTime == null ? "" : ",\"end_time\":\"" + endTime + "\"")
                + (department == null ? "" : ",\"department\":\"" + department + "\"") + ",\"messages\":[" + m + "]}";
    }

    private static String chats(String... sessions) {
        return "{\"session\":[" + String.join(",", sessions) + "]}";
    }

    private static final String TICKET_HEADER = "ticket_id,subject,body,status,priority,channel,department,agent_email,"
            + "visitor_id,visitor_name,visitor_email,created_at,updated_at,tags\n";

    private static String ticket(String id, String status, String channel, String department) {
        return id + ",Subject " + id + ",Body " + id + "," + status + ",low," + channel + "," + department + ",,v2,Visitor Two,"
                + "v2@example.com,2025-03-07T10:00:00Z,,\n";
    }

    private List<JsonNode> parts(JsonNode thread) {
        return intercom.partsAsReceived(thread.path("id").asText()).stream().map(p -> (JsonNode) p).toList();
    }

    private static long count(List<JsonNode> parts, String type) {
        return parts.stream().filter(p -> p.path("part_type").asText().equals(type)).count();
    }

    private JsonNode conversationWith(String attribute, String value) {
        return intercom.conversations().stream().filter(c -> value.equals(c.path("custom_attributes").path(attribute).asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no conversation with " + attribute + " = " + value));
    }

    private JsonNode ticketWithTitle(String title) {
        return intercom.tickets().stream().filter(t -> title.equals(t.path("ticket_attributes").path("_default_title_").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no ticket " + title + " in " + intercom.tickets()));
    }

    private String me() {
        return intercom.admins().get(0).path("id").asText();
    }

    private Map<String, String> teamIds() {
        Map<String, String> ids = new LinkedHashMap<>();
        // the builder's teams: read back through the API the migrator uses
        for (JsonNode t : readTeams()) {
            ids.put(t.path("name").asText(), t.path("id").asText());
        }
        return ids;
    }

    private JsonNode readTeams() {
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create(intercom.baseUrl() + "/teams")).header("Authorization", "Bearer " + TOKEN)
                    .header("Intercom-Version", "2.16").GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("teams");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A closed conversation: state closed, exactly one close part, the last one received, by the token's admin, no body. */
    private void assertClosedOnce(JsonNode conversation) {
        assertThat(conversation.path("state").asText()).as("state of %s", conversation.path("custom_attributes")).isEqualTo("closed");
        List<JsonNode> parts = parts(conversation);
        assertThat(count(parts, "close")).as("close parts of %s", conversation.path("custom_attributes")).isEqualTo(1);
        assertThat(count(parts, "open")).isZero();
        JsonNode last = parts.get(parts.size() - 1);
        assertThat(last.path("part_type").asText()).as("the close part comes after every message").isEqualTo("close");
        assertThat(last.path("author").path("id").asText()).isEqualTo(me());
        assertThat(last.path("body").isNull()).as("a close part without a body notifies nobody").isTrue();
    }

    private void assertOpen(JsonNode conversation) {
        assertThat(conversation.path("state").asText()).isEqualTo("open");
        assertThat(count(parts(conversation), "close")).isZero();
    }

    @Test
    void clickDeskThreadsOfEveryKindLandInTheirStateWithTheirTeam() throws Exception {
        migrator.drop("clickdesk/visitors.csv", VISITORS);
        migrator.drop("clickdesk/chats.json", chats(
                session("c-closed", "v1", "closed", null, "Support", 3),
                session("c-ended", "v1", null, "1741000300000", null, 2),
                session("c-missed", "v1", "missed_by_agent", null, null, 1),
                session("c-open", "v1", "open", null, "Support", 2),
                session("c-nowhere", "v3", "closed", null, "Nowhere", 2)));
        migrator.drop("clickdesk/tickets.csv", TICKET_HEADER
                + ticket("t-conv-closed", "closed", "email", "Support")
                + ticket("t-conv-open", "open", "chat", "")
                + ticket("t-pending", "pending", "web", "Support")
                + ticket("t-closed", "closed", "web", "")
                + ticket("t-open", "Open", "web", ""));
        migrator.drop("clickdesk/ticket_messages.csv", """
                ticket_id,message_id,author_type,author_email,body,created_at,attachments
                t-conv-closed,m1,visitor,v2@example.com,Still broken,2025-03-07T11:00:00Z,
                t-conv-closed,m2,agent,agent1@acme.test,Fixed now,2025-03-07T12:00:00Z,
                t-conv-closed,m3,visitor,v2@example.com,Thanks,2025-03-07T13:00:00Z,
                """);
        migrator.drop("clickdesk/offline_messages.csv", """
                message_id,visitor_id,name,email,phone,department,message,visitor_url,created_at
                o1,v3,Visitor Three,v3@example.com,,Support,Call me back,https://acme.test/pricing,2025-03-08T09:00:00Z
                """);
        migrator.drop("clickdesk/social_messages.csv", """
                thread_id,network,handle,name,email,author_type,agent_email,text,created_at
                s1,facebook,@vee,Vee,,visitor,,Hello from Facebook,2025-03-09T09:00:00Z
                s1,facebook,@vee,Vee,,agent,agent1@acme.test,Hi Vee,2025-03-09T09:05:00Z
                """);
        migrator.drop("clickdesk/voip_calls.csv", """
                call_id,visitor_id,phone,agent_email,direction,started_at,duration_seconds,recording_url,notes
                p1,v9,+358401,agent1@acme.test,inbound,2025-03-10T09:00:00Z,65,,
                """);

        Result run = migrator.once();

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        Map<String, String> teams = teamIds();
        // chats: closed / ended / missed_by_agent / an end_time → closed once after the last message; otherwise open
        assertClosedOnce(conversationWith("cd_original_chat_id", "c-closed"));
        assertClosedOnce(conversationWith("cd_original_chat_id", "c-ended"));
        assertClosedOnce(conversationWith("cd_original_chat_id", "c-missed"));
        assertOpen(conversationWith("cd_original_chat_id", "c-open"));
        // a ticket routed to a conversation: closed once, after the ticket_messages.csv rows (a visitor's among them)
        JsonNode ticketConversation = conversationWith("cd_original_ticket_id", "t-conv-closed");
        assertClosedOnce(ticketConversation);
        assertThat(parts(ticketConversation)).extracting(p -> p.path("part_type").asText()).containsSubsequence("comment", "comment",
                "comment", "close");
        assertOpen(conversationWith("cd_original_ticket_id", "t-conv-open"));
        // tickets: the state of their status by category; an offline message is submitted
        assertThat(ticketWithTitle("Subject t-pending").path("ticket_state").path("category").asText()).isEqualTo("waiting_on_customer");
        JsonNode closedTicket = ticketWithTitle("Subject t-closed");
        assertThat(closedTicket.path("ticket_state").path("category").asText()).isEqualTo("resolved");
        assertThat(closedTicket.path("open").asBoolean()).isFalse();
        assertThat(ticketWithTitle("Subject t-open").path("ticket_state").path("category").asText()).isEqualTo("submitted");
        JsonNode offline = ticketWithTitle("Offline message from Visitor Three");
        assertThat(offline.path("ticket_state").path("category").asText()).isEqualTo("submitted");
        // social threads and a VoIP call's own conversation are closed
        assertClosedOnce(conversationWith("cd_original_thread_id", "s1"));
        assertClosedOnce(conversationWith("cd_channel_source", "Phone"));

        // team: the department, matched by name: an assignment part to the team (conversation), team_assignee_id (ticket)
        String support = teams.get("Support");
        JsonNode open = conversationWith("cd_original_chat_id", "c-open");
        assertThat(open.path("team_assignee_id").asText()).isEqualTo(support);
        assertThat(parts(open)).filteredOn(p -> p.path("part_type").asText().equals("assignment")
                && p.path("assigned_to").path("type").asText().equals("team")).singleElement()
                .satisfies(p -> assertThat(p.path("assigned_to").path("id").asText()).isEqualTo(support));
        assertThat(conversationWith("cd_original_chat_id", "c-closed").path("team_assignee_id").asText()).isEqualTo(support);
        assertThat(ticketConversation.path("team_assignee_id").asText()).isEqualTo(support);
        assertThat(ticketWithTitle("Subject t-pending").path("team_assignee_id").asText()).isEqualTo(support);
        assertThat(offline.path("team_assignee_id").asText()).isEqualTo(support);
        // an unmatched department: queued, and the chat still moves (closed, without a team)
        JsonNode nowhere = conversationWith("cd_original_chat_id", "c-nowhere");
        assertClosedOnce(nowhere);
        assertThat(nowhere.path("team_assignee_id").isNull()).isTrue();
        assertThat(run.report().path("reconciliation_queue").toString()).contains("unmatched team").contains("Nowhere");
        assertThat(java.nio.file.Files.readString(run.reportFile().getParent().resolve("handoff/provisioning-checklist.md")))
                .as("the checklist's teams to create").contains("| Nowhere |");
        assertThat(intercom.stats().path("threads_with_repeated_assignment").asInt()).isZero();
        run.assertAddsUp();
    }

    @Test
    void aReRunSendsNothingAndADeltaClosesAndReopensThenRollbackRestoresAndDeletes() throws Exception {
        migrator.drop("clickdesk/visitors.csv", VISITORS);
        migrator.drop("clickdesk/chats.json", chats(session("c1", "v1", "open", null, "Support", 2),
                session("c2", "v2", "closed", null, null, 2)));
        migrator.drop("clickdesk/tickets.csv", TICKET_HEADER + ticket("t1", "open", "web", ""));
        assertThat(migrator.once().exitCode()).isZero();
        assertOpen(conversationWith("cd_original_chat_id", "c1"));
        assertClosedOnce(conversationWith("cd_original_chat_id", "c2"));

        // the same threads again in files with other bytes: the ledger knows every state it set, nothing is sent
        int before = intercom.requests().size();
        migrator.drop("clickdesk/chats.json", chats(session("c1", "v1", "open", null, "Support", 2),
                session("c2", "v2", "closed", null, null, 2)) + "\n");
        migrator.drop("clickdesk/tickets.csv", TICKET_HEADER + ticket("t1", "open", "web", "") + "\n");
        assertThat(migrator.once().exitCode()).isZero();
        assertThat(intercom.requests().subList(before, intercom.requests().size())).filteredOn(r -> !r.method().equals("GET"))
                .as("a re-run writes nothing").isEmpty();

        // delta: c1 ended (with one more message), c2 is open again, t1 was closed
        before = intercom.requests().size();
        migrator.drop("clickdesk/chats.json", chats(session("c1", "v1", "closed", null, "Support", 3),
                session("c2", "v2", "open", null, null, 2)));
        migrator.drop("clickdesk/tickets.csv", TICKET_HEADER + ticket("t1", "closed", "web", ""));
        Result delta = migrator.once();
        assertThat(delta.exitCode()).isZero();
        List<RecordedRequest> sent = intercom.requests().subList(before, intercom.requests().size());
        assertThat(sent).filteredOn(r -> r.path().endsWith("/parts")).extracting(r -> r.body().replaceAll(".*\"message_type\":\"(\\w+)\".*", "$1"))
                .containsExactlyInAnyOrder("close", "open");
        JsonNode c1 = conversationWith("cd_original_chat_id", "c1");
        assertClosedOnce(c1);
        JsonNode c2 = conversationWith("cd_original_chat_id", "c2");
        assertThat(c2.path("state").asText()).isEqualTo("open");
        List<JsonNode> c2Parts = parts(c2);
        assertThat(c2Parts.get(c2Parts.size() - 1).path("part_type").asText()).isEqualTo("open");
        assertThat(count(c2Parts, "close")).isEqualTo(1);
        assertThat(ticketWithTitle("Subject t1").path("ticket_state").path("category").asText()).isEqualTo("resolved");
        delta.assertAddsUp();

        // rollback of the delta puts the states back; rollback of the first run deletes what it created, closed or not
        assertThat(migrator.run(List.of("rollback")).exitCode()).isZero();
        assertThat(conversationWith("cd_original_chat_id", "c1").path("state").asText()).isEqualTo("open");
        assertThat(conversationWith("cd_original_chat_id", "c2").path("state").asText()).isEqualTo("closed");
        assertThat(ticketWithTitle("Subject t1").path("ticket_state").path("category").asText()).isEqualTo("submitted");
        assertThat(migrator.run(List.of("rollback")).exitCode()).isZero();
        assertThat(intercom.conversations()).isEmpty();
        assertThat(intercom.tickets()).isEmpty();
    }

    @Test
    void aStatusMapsToTheTicketStateLabelMappingYamlNames() throws Exception {
        intercom.seedTicketState("Waiting on finance", "waiting_on_customer");
        java.nio.file.Path map = migrator.home().resolve("config/mapping.yaml");
        java.nio.file.Files.writeString(map, java.nio.file.Files.readString(map)
                .replace("ticket_states: {}", "ticket_states: {pending: \"Waiting on finance\"}"));
        migrator.run(List.of("confirm"));
        migrator.drop("clickdesk/visitors.csv", VISITORS);
        migrator.drop("clickdesk/tickets.csv", TICKET_HEADER + ticket("t1", "pending", "web", ""));

        assertThat(migrator.once().exitCode()).isZero();

        assertThat(ticketWithTitle("Subject t1").path("ticket_state").path("internal_label").asText()).isEqualTo("Waiting on finance");
    }

    @Test
    void leadDeskCallsAndChatbotSessionsLandClosedWithTheCampaignsProjectElseTheAgentsOffice() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("projects.csv", "project_id;name;status;sponsor;timezone;agent_emails\np1;Sales Project;active;;Europe/Helsinki;\n");
        files.put("campaigns.json", "[{\"id\":\"camp1\",\"name\":\"Spring\",\"project_id\":\"p1\"},{\"id\":\"camp2\",\"name\":\"Autumn\"}]");
        files.put("offices.csv", "office_id;name;timezone;voip_routing\nof1;Helsinki;Europe/Helsinki;\n");
        files.put("agents.csv", "agent_id;username;name;email;role;office;project_ids;employment\n"
                + "a1;one;Agent One;agent1@acme.test;agent;of1;;active\n");
        files.put("contacts.csv", "contact_id;fname;lname;phone;email;campaign_id\n5001;Matti;M;+358 40 1;matti@example.fi;camp1\n");
        files.put("call_records.csv", "id;contact_id;agent_id;agent_username;campaign;campaign_name;direction;talk_start;talk_end;"
                + "talk_time;call_ending_reason;call_ending_reason_name;outcome;record_file;comment;created_at\n"
                + "k1;5001;a1;one;camp1;Spring;outbound;2026-03-10 10:00:00;2026-03-10 10:01:00;60;;;;;;2026-03-10 10:00:00\n"
                + "k2;5001;a1;one;camp2;Autumn;outbound;2026-03-11 10:00:00;2026-03-11 10:01:00;60;;;;;;2026-03-11 10:00:00\n");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        files.forEach((k, v) -> entries.put(k, v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        entries.put("chatbot_export_2026.zip", BundleZips.zip(LeadDeskEndToEndTest.chatbot(true)));
        migrator.drop("leaddesk/leaddesk-export.zip", BundleZips.zipBytes(entries));

        Result run = migrator.once();

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode k1 = intercom.conversations().stream().filter(c -> c.path("created_at").asLong() == 1773129600L).findFirst()
                .orElseThrow(() -> new AssertionError(intercom.conversations().toString()));
        assertClosedOnce(k1);
        assertThat(k1.path("team_assignee_id").asText()).as("campaign camp1 → project p1 → team").isEqualTo(teamIds().get("Sales Project"));
        // camp2 has no project: the agent's office (of1 → Helsinki) is the team, which Intercom does not have
        JsonNode k2 = intercom.conversations().stream().filter(c -> c.path("created_at").asLong() == 1773216000L).findFirst()
                .orElseThrow();
        assertClosedOnce(k2);
        assertThat(k2.path("team_assignee_id").isNull()).isTrue();
        assertThat(run.report().path("reconciliation_queue").toString()).contains("unmatched team").contains("Helsinki");
        // the chatbot session: closed after its messages
        JsonNode chatbot = intercom.conversations().stream().filter(c -> c.path("custom_attributes").has("ld_intent")).findFirst()
                .orElseThrow();
        assertClosedOnce(chatbot);
        run.assertAddsUp();
    }

    /** A close or team assignment Intercom applied but did not answer is looked up before anything is sent again. */
    @Test
    void aCloseOrAssignmentWithAnUnknownOutcomeIsLookedUpNotSentTwice() throws Exception {
        intercom.faultsOnlyFor("POST", "/conversations/[^/]+/parts").ambiguousNext(6); // applied, then 502 or cut off
        migrator.drop("clickdesk/visitors.csv", VISITORS);
        migrator.drop("clickdesk/chats.json", chats(session("c-closed", "v1", "closed", null, "Support", 3),
                session("c-missed", "v1", "missed_by_agent", null, "Support", 1)));
        migrator.drop("clickdesk/tickets.csv", TICKET_HEADER + ticket("t-conv-closed", "closed", "email", "Support"));

        Result run = migrator.once();

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(intercom.requests()).filteredOn(r -> r.path().endsWith("/parts") && (r.status() == 502 || r.status() == 0))
                .as("the faults happened").hasSizeGreaterThanOrEqualTo(4);
        assertThat(migrator.deadLetters()).isEmpty();
        assertClosedOnce(conversationWith("cd_original_chat_id", "c-closed"));
        assertClosedOnce(conversationWith("cd_original_chat_id", "c-missed"));
        assertClosedOnce(conversationWith("cd_original_ticket_id", "t-conv-closed"));
        assertThat(intercom.stats().path("threads_with_repeated_assignment").asInt()).isZero();
        assertThat(intercom.conversations()).allSatisfy(c -> assertThat(c.path("team_assignee_id").asText())
                .isEqualTo(teamIds().get("Support")));
        run.assertAddsUp();
    }

    @Test
    void theClosingAdminIsTheConfiguredOne() throws Exception {
        String closer = intercom.admins().stream().filter(a -> a.path("email").asText().equals("agent1@acme.test")).findFirst()
                .orElseThrow().path("id").asText();
        migrator.set("migration.closing-admin-id", closer);
        migrator.drop("clickdesk/visitors.csv", VISITORS);
        migrator.drop("clickdesk/chats.json", chats(session("c1", "v1", "ended", null, null, 2)));

        assertThat(migrator.once().exitCode()).isZero();

        List<JsonNode> parts = parts(conversationWith("cd_original_chat_id", "c1"));
        assertThat(parts.get(parts.size() - 1).path("part_type").asText()).isEqualTo("close");
        assertThat(parts.get(parts.size() - 1).path("author").path("id").asText()).isEqualTo(closer);
    }
}
