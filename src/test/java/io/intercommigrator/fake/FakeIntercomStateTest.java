package io.intercommigrator.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fake's conversation management and ticket states as the 2.16 spec describes them: {@code POST
 * /conversations/{id}/parts} (manageConversation: close, snoozed, open, assignment to an admin or a team, each
 * authored by an existing admin, none backdated), {@code GET /ticket_states} and {@code ticket_state_id} on a ticket.
 */
class FakeIntercomStateTest {
    private static final ObjectMapper M = new ObjectMapper();
    private static final String TOKEN = "tok-state";

    private FakeIntercom fake;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String admin;
    private String team;
    private String conversation;

    @BeforeEach
    void setUp() throws Exception {
        fake = FakeIntercom.builder().token(TOKEN).seed(11).build().start();
        admin = fake.seedAdmin("ann@example.com", "Ann");
        team = fake.seedTeam("Support");
        String contact = json(call("POST", "/contacts", "{\"email\":\"v@example.com\"}")).get("id").asText();
        conversation = json(call("POST", "/conversations", "{\"from\":{\"type\":\"user\",\"id\":\"" + contact + "\"},"
                + "\"body\":\"Hello\",\"created_at\":1400000000}")).get("conversation_id").asText();
    }

    @AfterEach
    void tearDown() {
        fake.close();
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TOKEN).header("Intercom-Version", "2.16")
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return M.readTree(r.body());
    }

    private HttpResponse<String> manage(String body) throws Exception {
        return call("POST", "/conversations/" + conversation + "/parts", body);
    }

    private static String code(HttpResponse<String> r) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        return json(r).path("errors").path(0).path("code").asText();
    }

    private List<String> partTypes() {
        List<String> out = new ArrayList<>();
        fake.partsAsReceived(conversation).forEach(p -> out.add(p.path("part_type").asText()));
        return out;
    }

    @Test
    void closeOpenSnoozeAndAssignFollowTheSpec() throws Exception {
        assertEquals("parameter_not_found", code(manage("{\"message_type\":\"close\",\"admin_id\":\"" + admin + "\"}")),
                "close needs type admin");
        assertEquals("parameter_not_found", code(manage("{\"message_type\":\"close\",\"type\":\"admin\"}")), "and an admin_id");
        assertEquals("parameter_invalid", code(manage("{\"message_type\":\"close\",\"type\":\"admin\",\"admin_id\":\"999\"}")),
                "authored by an existing admin only");
        assertEquals("parameter_invalid", code(manage("{\"message_type\":\"close\",\"type\":\"team\",\"admin_id\":\"" + admin + "\"}")));
        assertEquals("parameter_invalid", code(manage("{\"message_type\":\"archive\",\"type\":\"admin\",\"admin_id\":\"" + admin + "\"}")));
        assertEquals("open", fake.conversation(conversation).path("state").asText(), "nothing refused was applied");

        HttpResponse<String> closed = manage("{\"message_type\":\"close\",\"type\":\"admin\",\"admin_id\":\"" + admin + "\"}");
        assertEquals(200, closed.statusCode(), closed.body());
        assertEquals("closed", json(closed).path("state").asText());
        assertFalse(json(closed).path("open").asBoolean());
        JsonNode close = fake.partsAsReceived(conversation).get(0);
        assertTrue(close.path("body").isNull(), "no body: nobody is told");
        assertEquals(admin, close.path("author").path("id").asText());

        // open and snoozed need no type; snoozed needs snoozed_until
        assertEquals(200, manage("{\"message_type\":\"open\",\"admin_id\":\"" + admin + "\"}").statusCode());
        assertEquals("open", fake.conversation(conversation).path("state").asText());
        assertEquals("parameter_not_found", code(manage("{\"message_type\":\"snoozed\",\"admin_id\":\"" + admin + "\"}")));
        assertEquals(200, manage("{\"message_type\":\"snoozed\",\"admin_id\":\"" + admin + "\",\"snoozed_until\":4102444800}")
                .statusCode());
        assertEquals("snoozed", fake.conversation(conversation).path("state").asText());

        // assignment: type admin or team, an assignee of that kind; a team assignment sets team_assignee_id
        assertEquals("parameter_not_found", code(manage("{\"message_type\":\"assignment\",\"type\":\"team\",\"admin_id\":\""
                + admin + "\"}")));
        assertEquals("parameter_invalid", code(manage("{\"message_type\":\"assignment\",\"type\":\"team\",\"admin_id\":\""
                + admin + "\",\"assignee_id\":\"" + admin + "\"}")), "an admin is not a team");
        HttpResponse<String> assigned = manage("{\"message_type\":\"assignment\",\"type\":\"team\",\"admin_id\":\"" + admin
                + "\",\"assignee_id\":\"" + team + "\"}");
        assertEquals(200, assigned.statusCode(), assigned.body());
        assertEquals(team, json(assigned).path("team_assignee_id").asText());
        // assigning a snoozed (or closed) conversation re-opens it
        assertEquals("open", json(assigned).path("state").asText());
        assertEquals(List.of("close", "open", "snoozed", "assign_and_reopen"), partTypes());
        HttpResponse<String> toAdmin = manage("{\"message_type\":\"assignment\",\"type\":\"admin\",\"admin_id\":\"" + admin
                + "\",\"assignee_id\":\"" + admin + "\"}");
        assertEquals(admin, json(toAdmin).path("admin_assignee_id").asText());
        assertEquals(team, json(toAdmin).path("team_assignee_id").asText(), "a conversation has an admin and a team");
        assertEquals("assignment", partTypes().get(4));
        assertEquals(0, fake.stats().path("threads_with_repeated_assignment").asInt(), "one to the team, one to the admin");
    }

    @Test
    void ticketStatesAreListedAndATicketMovesBetweenThem() throws Exception {
        JsonNode states = json(call("GET", "/ticket_states", null));
        assertEquals("list", states.path("type").asText());
        List<String> categories = new ArrayList<>();
        states.path("data").forEach(s -> categories.add(s.path("category").asText()));
        assertEquals(List.of("submitted", "in_progress", "waiting_on_customer", "resolved"), categories);
        String resolved = states.path("data").path(3).path("id").asText();
        String finance = fake.seedTicketState("Waiting on finance", "waiting_on_customer");

        String type = json(call("POST", "/ticket_types", "{\"name\":\"Legacy\"}")).path("id").asText();
        JsonNode ticket = json(call("POST", "/tickets", "{\"ticket_type_id\":\"" + type + "\",\"contacts\":[{\"email\":\"v@example.com\"}],"
                + "\"assignment\":{\"team_assignee_id\":\"" + team + "\"}}"));
        assertEquals("submitted", ticket.path("ticket_state").path("category").asText(), "a new ticket is submitted");
        assertEquals("ticket_state", ticket.path("ticket_state").path("type").asText());
        assertEquals(team, ticket.path("team_assignee_id").asText());
        String id = ticket.path("id").asText();

        JsonNode done = json(call("PUT", "/tickets/" + id, "{\"ticket_state_id\":\"" + resolved + "\"}"));
        assertEquals("resolved", done.path("ticket_state").path("category").asText());
        assertFalse(done.path("open").asBoolean(), "resolved closes the ticket");
        JsonNode waiting = json(call("PUT", "/tickets/" + id, "{\"ticket_state_id\":\"" + finance + "\"}"));
        assertEquals("Waiting on finance", waiting.path("ticket_state").path("internal_label").asText());
        assertTrue(waiting.path("open").asBoolean());
        assertEquals("parameter_invalid", code(call("PUT", "/tickets/" + id, "{\"ticket_state_id\":\"1\"}")));
        assertEquals(finance, fake.ticket(id).path("ticket_state").path("id").asText(), "a refused state changes nothing");
        assertEquals(admin, json(call("GET", "/me", null)).path("id").asText());
    }
}
