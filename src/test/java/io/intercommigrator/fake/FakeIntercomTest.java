package io.intercommigrator.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class FakeIntercomTest {

    private static final ObjectMapper M = new ObjectMapper();
    private static final String TOKEN = "tok-123";

    private FakeIntercom fake;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void setUp() {
        fake = FakeIntercom.builder().token(TOKEN).seed(7).build().start();
    }

    @AfterEach
    void tearDown() {
        fake.close();
    }

    // ------------------------------------------------------------ helpers

    private HttpResponse<String> call(HttpClient c, String method, String path, String json, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fake.baseUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Intercom-Version", "2.16")
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> call(String method, String path, String json) throws Exception {
        return call(client, method, path, json, TOKEN);
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return M.readTree(r.body());
    }

    private static String errCode(HttpResponse<String> r) throws IOException {
        JsonNode b = json(r);
        assertEquals("error.list", b.get("type").asText());
        assertTrue(b.has("request_id"));
        return b.get("errors").get(0).get("code").asText();
    }

    private String createAttr(String name, String type) throws Exception {
        HttpResponse<String> r = call("POST", "/data_attributes",
                "{\"name\":\"" + name + "\",\"model\":\"contact\",\"data_type\":\"" + type + "\"}");
        assertEquals(200, r.statusCode(), r.body());
        return json(r).get("id").asText();
    }

    private String createContact(String body) throws Exception {
        HttpResponse<String> r = call("POST", "/contacts", body);
        assertEquals(200, r.statusCode(), r.body());
        return json(r).get("id").asText();
    }

    // ------------------------------------------------------------ step 1

    @Test
    void missingOrWrongTokenGives401() throws Exception {
        HttpResponse<String> r = call(client, "GET", "/me", null, null);
        assertEquals(401, r.statusCode());
        assertEquals("unauthorized", errCode(r));
        r = call(client, "GET", "/me", null, "nope");
        assertEquals(401, r.statusCode());
        r = call("GET", "/me", null);
        assertEquals(200, r.statusCode());
        assertEquals("admin", json(r).get("type").asText());
        assertTrue(json(r).get("id").asText().matches("[1-9][0-9]*"), "admins have numeric-string ids as in Intercom");
    }

    @Test
    void planRestrictedGives403AndUnknownPath404() throws Exception {
        assertEquals("not_found", errCode(call("GET", "/nope", null)));
        fake.planRestricted(true);
        HttpResponse<String> r = call("GET", "/admins", null);
        assertEquals(403, r.statusCode());
        assertEquals("api_plan_restricted", errCode(r));
    }

    @Test
    void adminsAndTeams() throws Exception {
        String a = fake.seedAdmin("ann@example.com", "Ann");
        String t = fake.seedTeam("Support");
        assertEquals(a, json(call("GET", "/me", null)).get("id").asText());
        JsonNode admins = json(call("GET", "/admins", null));
        assertEquals("admin.list", admins.get("type").asText());
        assertEquals("ann@example.com", admins.get("admins").get(0).get("email").asText());
        JsonNode teams = json(call("GET", "/teams", null));
        assertEquals("team.list", teams.get("type").asText());
        assertEquals(t, teams.get("teams").get(0).get("id").asText());
    }

    @Test
    void duplicateContactGives409WithIdCaseInsensitive() throws Exception {
        String id = createContact("{\"email\":\"Bob@Example.com\",\"name\":\"Bob\"}");
        HttpResponse<String> r = call("POST", "/contacts", "{\"email\":\"  bob@example.COM \"}");
        assertEquals(409, r.statusCode());
        assertEquals("conflict", errCode(r));
        assertEquals("A contact matching those details already exists with id=" + id,
                json(r).get("errors").get(0).get("message").asText());
        assertEquals(200, call("POST", "/contacts/" + id + "/archive", null).statusCode());
        r = call("POST", "/contacts", "{\"email\":\"bob@example.com\"}");
        assertEquals(409, r.statusCode());
        assertTrue(json(r).get("errors").get(0).get("message").asText().startsWith("An archived contact"));
        assertEquals(1, fake.contacts().size());
        assertTrue(fake.duplicateEmails().isEmpty());
    }

    @Test
    void contactCrud() throws Exception {
        String id = createContact("{\"external_id\":\"v-1\",\"email\":\"c@x.io\"}");
        JsonNode c = json(call("GET", "/contacts/" + id, null));
        assertEquals("contact", c.get("type").asText());
        assertEquals("user", c.get("role").asText());
        assertEquals("fakews", c.get("workspace_id").asText());
        assertEquals("list", c.get("tags").get("type").asText());
        assertEquals(id, json(call("GET", "/contacts/find_by_external_id/v-1", null)).get("id").asText());
        JsonNode u = json(call("PUT", "/contacts/" + id, "{\"name\":\"Carl\"}"));
        assertEquals("Carl", u.get("name").asText());
        assertEquals("c@x.io", u.get("email").asText());
        String lead = createContact("{\"role\":\"lead\",\"external_id\":\"v-2\"}");
        assertEquals(404, call("GET", "/contacts/find_by_external_id/v-2", null).statusCode());
        assertEquals(409, call("PUT", "/contacts/" + lead, "{\"email\":\"C@X.IO\"}").statusCode());
        assertEquals(400, call("POST", "/contacts", "{\"name\":\"nobody\"}").statusCode());
        JsonNode d = json(call("DELETE", "/contacts/" + id, null));
        assertTrue(d.get("deleted").asBoolean());
        assertEquals(404, call("GET", "/contacts/" + id, null).statusCode());
    }

    @Test
    void undefinedCustomAttributeGives400() throws Exception {
        HttpResponse<String> r = call("POST", "/contacts", "{\"email\":\"a@b.c\",\"custom_attributes\":{\"legacy_id\":\"1\"}}");
        assertEquals(400, r.statusCode());
        assertEquals("parameter_invalid", errCode(r));
        assertTrue(json(r).get("errors").get(0).get("message").asText().contains("Custom attribute 'legacy_id' does not exist"));
        assertEquals(0, fake.contacts().size());
    }

    @Test
    void wrongCustomAttributeTypeGives400() throws Exception {
        createAttr("visits", "integer");
        createAttr("legacy_id", "string");
        HttpResponse<String> r = call("POST", "/contacts", "{\"email\":\"a@b.c\",\"custom_attributes\":{\"visits\":\"three\"}}");
        assertEquals(400, r.statusCode());
        assertEquals("parameter_invalid", errCode(r));
        r = call("POST", "/contacts", "{\"email\":\"a@b.c\",\"custom_attributes\":{\"visits\":3,\"legacy_id\":\"L1\"}}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(3, json(r).get("custom_attributes").get("visits").asInt());
        // duplicate attribute and archived attribute
        r = call("POST", "/data_attributes", "{\"name\":\"visits\",\"model\":\"contact\",\"data_type\":\"string\"}");
        assertEquals(400, r.statusCode());
        assertTrue(json(r).get("errors").get(0).get("message").asText().startsWith("You already have a 'visits'"));
        assertEquals(400, call("POST", "/data_attributes", "{\"name\":\"z\",\"model\":\"contact\",\"data_type\":\"blob\"}").statusCode());
        String attrId = fake.dataAttributes().get(0).get("id").asText();
        assertTrue(json(call("PUT", "/data_attributes/" + attrId, "{\"archived\":true}")).get("archived").asBoolean());
        assertEquals(400, call("POST", "/contacts", "{\"email\":\"x@b.c\",\"custom_attributes\":{\"visits\":1}}").statusCode());
        JsonNode list = json(call("GET", "/data_attributes?model=contact", null));
        assertEquals(1, list.get("data").size());
        assertEquals("custom_attributes.legacy_id", list.get("data").get(0).get("full_name").asText());
    }

    @Test
    void rateLimitHeadersAnd429() throws Exception {
        fake.close();
        fake = FakeIntercom.builder().token(TOKEN).limitPer10s(3).build().start();
        // Make sure all requests land in one window: start just after a boundary if we are close to the end.
        long now = Instant.now().getEpochSecond();
        if (now % 10 >= 9) Thread.sleep(1500);
        HttpResponse<String> first = null;
        HttpResponse<String> last = null;
        int n429 = 0;
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> r = call("GET", "/admins", null);
            if (first == null) first = r;
            last = r;
            if (r.statusCode() == 429) n429++;
        }
        assertEquals("3", first.headers().firstValue("X-RateLimit-Limit").orElseThrow());
        assertEquals("2", first.headers().firstValue("X-RateLimit-Remaining").orElseThrow());
        long reset = Long.parseLong(first.headers().firstValue("X-RateLimit-Reset").orElseThrow());
        assertEquals(0, reset % 10);
        assertTrue(reset > Instant.now().getEpochSecond() - 1);
        assertEquals(429, last.statusCode());
        assertEquals("rate_limit_exceeded", errCode(last));
        assertEquals("Exceeded rate limit of 3 in 10_seconds", json(last).get("errors").get(0).get("message").asText());
        assertEquals("0", last.headers().firstValue("X-RateLimit-Remaining").orElseThrow());
        assertEquals("3", last.headers().firstValue("X-RateLimit-Limit").orElseThrow());
        assertEquals(2, n429);
        assertEquals(2, fake.rateLimitedCount());
        assertEquals(1, fake.violationsAfter429());
        assertEquals(2, fake.requests().stream().filter(FakeIntercom.RecordedRequest::rateLimited).count());
    }

    @Test
    void failNextIsNotApplied() throws Exception {
        fake.failNext(2, 503);
        HttpResponse<String> r = call("POST", "/contacts", "{\"email\":\"f@x.io\"}");
        assertEquals(503, r.statusCode());
        assertEquals("error.list", json(r).get("type").asText());
        assertEquals(503, call("GET", "/me", null).statusCode());
        assertEquals(0, fake.contacts().size());
        assertEquals(200, call("POST", "/contacts", "{\"email\":\"f@x.io\"}").statusCode());
        assertEquals(1, fake.contacts().size());
    }

    @Test
    void dropNextGivesIOException() throws Exception {
        fake.dropNext(2);
        for (int i = 0; i < 2; i++) {
            HttpClient fresh = HttpClient.newHttpClient();
            assertThrows(IOException.class, () -> call(fresh, "POST", "/contacts", "{\"email\":\"d@x.io\"}", TOKEN));
        }
        assertEquals(0, fake.contacts().size());
        assertEquals(200, call(HttpClient.newHttpClient(), "POST", "/contacts", "{\"email\":\"d@x.io\"}", TOKEN).statusCode());
        List<FakeIntercom.RecordedRequest> reqs = fake.requests();
        assertEquals(3, reqs.size());
        assertEquals(0, reqs.get(0).status());
        assertEquals("Bearer " + TOKEN, reqs.get(2).headers().get("authorization"));
        assertEquals("2.16", reqs.get(2).headers().get("intercom-version"));
    }

    @Test
    void mergeMovesTheLeadsConversationAndTagsOntoTheUserAndTheLeadAnswers410WithLink() throws Exception {
        String lead = createContact("{\"role\":\"lead\",\"external_id\":\"v1\",\"phone\":\"+49 1\"}");
        String user = createContact("{\"role\":\"user\",\"email\":\"anna@x.io\"}");
        String conv = json(call("POST", "/conversations", "{\"from\":{\"type\":\"lead\",\"id\":\"" + lead
                + "\"},\"body\":\"hi\"}")).get("conversation_id").asText();
        String tag = json(call("POST", "/tags", "{\"name\":\"vip\"}")).get("id").asText();
        assertEquals(200, call("POST", "/contacts/" + lead + "/tags", "{\"id\":\"" + tag + "\"}").statusCode());
        // validation as Intercom has it: lead → user only, duplicates only unless told otherwise
        assertEquals(400, call("POST", "/contacts/merge", "{\"from\":\"" + user + "\",\"into\":\"" + lead + "\"}").statusCode());
        HttpResponse<String> r = call("POST", "/contacts/merge", "{\"from\":\"" + lead + "\",\"into\":\"" + user + "\"}");
        assertEquals(400, r.statusCode());
        assertEquals("invalid_merge", json(r).path("errors").get(0).path("code").asText());
        assertEquals(400, call("POST", "/contacts/merge", "{\"into\":\"" + user + "\"}").statusCode());
        r = call("POST", "/contacts/merge", "{\"from\":\"" + lead + "\",\"into\":\"" + user + "\",\"skip_duplicate_validation\":true}");
        assertEquals(200, r.statusCode());
        assertEquals(user, json(r).get("id").asText());
        assertEquals("+49 1", json(r).get("phone").asText()); // the lead's fields fill the user's empty ones
        assertEquals(1, fake.contacts().size());
        HttpResponse<String> gone = call("GET", "/contacts/" + lead, null);
        assertEquals(410, gone.statusCode());
        assertEquals("</contacts/" + user + ">; rel=\"canonical\"", gone.headers().firstValue("Link").orElse(null));
        assertEquals("contact_merged", json(gone).path("errors").get(0).path("code").asText());
        assertTrue(json(gone).path("errors").get(0).path("_fake_link").isMissingNode());
        JsonNode c = json(call("GET", "/conversations/" + conv, null));
        assertTrue(c.toString().contains(user), c.toString());
        assertFalse(c.toString().contains(lead), c.toString()); // contacts and authors moved to the user
        assertEquals(tag, json(call("GET", "/contacts/" + user + "/tags", null)).path("data").get(0).path("id").asText());
        // merging again (a retry of an applied merge) names the merge target
        r = call("POST", "/contacts/merge", "{\"from\":\"" + lead + "\",\"into\":\"" + user + "\",\"skip_duplicate_validation\":true}");
        assertEquals(410, r.statusCode());
        assertEquals("</contacts/" + user + ">; rel=\"canonical\"", r.headers().firstValue("Link").orElse(null));
    }

    @Test
    void anAmbiguousMergeIsApplied() throws Exception {
        String lead = createContact("{\"role\":\"lead\",\"external_id\":\"v1\"}");
        String user = createContact("{\"role\":\"user\",\"email\":\"anna@x.io\"}");
        fake.ambiguousNext(1);
        HttpResponse<String> r = call(HttpClient.newHttpClient(), "POST", "/contacts/merge",
                "{\"from\":\"" + lead + "\",\"into\":\"" + user + "\",\"skip_duplicate_validation\":true}", TOKEN);
        assertEquals(502, r.statusCode());
        assertEquals(1, fake.contacts().size());
        assertEquals(410, call("GET", "/contacts/" + lead, null).statusCode());
    }

    @Test
    void ambiguousNextAppliesTheWrite() throws Exception {
        fake.ambiguousNext(2);
        HttpResponse<String> r = call(HttpClient.newHttpClient(), "POST", "/contacts", "{\"email\":\"a1@x.io\"}", TOKEN);
        assertEquals(502, r.statusCode());
        assertEquals(1, fake.contacts().size());
        assertThrows(IOException.class,
                () -> call(HttpClient.newHttpClient(), "POST", "/contacts", "{\"email\":\"a2@x.io\"}", TOKEN));
        assertEquals(2, fake.contacts().size());
        // retry of the first write now conflicts
        r = call(HttpClient.newHttpClient(), "POST", "/contacts", "{\"email\":\"a1@x.io\"}", TOKEN);
        assertEquals(409, r.statusCode());
    }

    @Test
    void searchContacts() throws Exception {
        createAttr("legacy_id", "string");
        String a = createContact("{\"email\":\"Sue@Example.com\",\"external_id\":\"e1\",\"custom_attributes\":{\"legacy_id\":\"L-9\"}}");
        createContact("{\"email\":\"tom@example.com\",\"external_id\":\"e2\"}");
        JsonNode r = json(call("POST", "/contacts/search",
                "{\"query\":{\"field\":\"email\",\"operator\":\"=\",\"value\":\"sue@example.com\"}}"));
        assertEquals("list", r.get("type").asText());
        assertEquals(1, r.get("total_count").asInt());
        assertEquals(a, r.get("data").get(0).get("id").asText());
        r = json(call("POST", "/contacts/search", "{\"query\":{\"operator\":\"AND\",\"value\":["
                + "{\"field\":\"role\",\"operator\":\"=\",\"value\":\"user\"},"
                + "{\"field\":\"custom_attributes.legacy_id\",\"operator\":\"=\",\"value\":\"L-9\"}]}}"));
        assertEquals(1, r.get("total_count").asInt());
        r = json(call("POST", "/contacts/search", "{\"query\":{\"operator\":\"OR\",\"value\":["
                + "{\"field\":\"external_id\",\"operator\":\"=\",\"value\":\"e1\"},"
                + "{\"field\":\"external_id\",\"operator\":\"=\",\"value\":\"e2\"}]}}"));
        assertEquals(2, r.get("total_count").asInt());
        r = json(call("POST", "/contacts/search", "{\"query\":{\"field\":\"email\",\"operator\":\"!=\",\"value\":\"sue@example.com\"}}"));
        assertEquals(1, r.get("total_count").asInt());
    }

    @Test
    void tagsBulkAndSingle() throws Exception {
        String c1 = createContact("{\"email\":\"t1@x.io\"}");
        String c2 = createContact("{\"email\":\"t2@x.io\"}");
        JsonNode tag = json(call("POST", "/tags", "{\"name\":\"Migrated\",\"users\":[{\"id\":\"" + c1 + "\"},{\"id\":\"" + c2 + "\"}]}"));
        assertEquals("tag", tag.get("type").asText());
        String tagId = tag.get("id").asText();
        assertEquals(tagId, json(call("POST", "/tags", "{\"name\":\"migrated\"}")).get("id").asText());
        assertEquals(1, fake.tags().size());
        assertEquals(tagId, fake.contact(c1).get("tags").get("data").get(0).get("id").asText());
        assertEquals(tagId, fake.contact(c2).get("tags").get("data").get(0).get("id").asText());
        assertEquals(400, call("POST", "/tags", "{\"name\":\"a,b\"}").statusCode());
        assertEquals(400, call("POST", "/tags", "{\"name\":\" \"}").statusCode());
        assertEquals(400, call("POST", "/tags", "{\"name\":\"" + "x".repeat(191) + "\"}").statusCode());
        String other = json(call("POST", "/tags", "{\"name\":\"Other\"}")).get("id").asText();
        assertEquals(200, call("POST", "/contacts/" + c1 + "/tags", "{\"id\":\"" + other + "\"}").statusCode());
        assertEquals(2, fake.contact(c1).get("tags").get("data").size());
        assertEquals(200, call("DELETE", "/contacts/" + c1 + "/tags/" + other, null).statusCode());
        assertEquals(1, fake.contact(c1).get("tags").get("data").size());
        assertEquals(200, call("DELETE", "/tags/" + tagId, null).statusCode());
        assertEquals(0, fake.contact(c2).get("tags").get("data").size());
        assertEquals(1, json(call("GET", "/tags", null)).get("data").size());
    }

    @Test
    void statsAndReset() throws Exception {
        createContact("{\"email\":\"s@x.io\"}");
        ObjectNode seeded = M.createObjectNode().put("email", "S@x.io");
        fake.seedContact(seeded);
        call("POST", "/tags", "{\"name\":\"T\"}");
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/_fake/stats")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode s = json(r);
        assertEquals(2, s.get("contacts").asInt());
        assertEquals(1, s.get("tags").asInt());
        assertEquals(2, s.get("requests").asInt());
        assertEquals(0, s.get("rate_limited").asInt());
        assertEquals(0, s.get("violations_after_429").asInt());
        assertEquals(1, s.get("duplicate_emails").asInt());
        assertEquals(List.of("s@x.io"), fake.duplicateEmails());
        client.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/_fake/reset"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(0, fake.contacts().size());
        assertEquals(0, fake.requests().size());
    }

    // ------------------------------------------------------------ step 2

    private String createConversation(String contactId, long createdAt) throws Exception {
        HttpResponse<String> r = call("POST", "/conversations", "{\"from\":{\"type\":\"user\",\"id\":\"" + contactId
                + "\"},\"body\":\"hello\",\"created_at\":" + createdAt + "}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode m = json(r);
        assertEquals("user_message", m.get("type").asText());
        assertEquals("inapp", m.get("message_type").asText());
        return m.get("conversation_id").asText();
    }

    @Test
    void conversationPartsOrderAndNewest500Cap() throws Exception {
        String admin = fake.seedAdmin("agent@x.io", "Agent");
        String c = createContact("{\"email\":\"conv@x.io\"}");
        String conv = createConversation(c, 1_600_000_000L);
        for (int i = 0; i < 510; i++) {
            String body = i % 2 == 0
                    ? "{\"message_type\":\"comment\",\"type\":\"admin\",\"admin_id\":\"" + admin + "\",\"body\":\"r" + i
                      + "\",\"created_at\":" + (1_600_000_001L + i) + ",\"skip_notifications\":true}"
                    : "{\"message_type\":\"comment\",\"type\":\"user\",\"intercom_user_id\":\"" + c + "\",\"body\":\"r" + i
                      + "\",\"created_at\":" + (1_600_000_001L + i) + "}";
            HttpResponse<String> r = call("POST", "/conversations/" + conv + "/reply", body);
            assertEquals(200, r.statusCode(), r.body());
        }
        JsonNode g = json(call("GET", "/conversations/" + conv, null));
        assertEquals("conversation", g.get("type").asText());
        assertEquals(1_600_000_000L, g.get("created_at").asLong());
        assertEquals("hello", g.get("source").get("body").asText());
        assertEquals(c, g.get("contacts").get("contacts").get(0).get("id").asText());
        JsonNode parts = g.get("conversation_parts");
        assertEquals("conversation_part.list", parts.get("type").asText());
        assertEquals(510, parts.get("total_count").asInt());
        assertEquals(500, parts.get("conversation_parts").size());
        assertEquals("r10", parts.get("conversation_parts").get(0).get("body").asText());
        assertEquals("r509", parts.get("conversation_parts").get(499).get("body").asText());
        assertEquals("admin", parts.get("conversation_parts").get(0).get("author").get("type").asText());
        assertEquals("user", parts.get("conversation_parts").get(1).get("author").get("type").asText());
        assertEquals(510, fake.conversations().get(0).get("conversation_parts").get("conversation_parts").size());
        // bad admin, missing body, too many attachments
        assertEquals(400, call("POST", "/conversations/" + conv + "/reply",
                "{\"message_type\":\"note\",\"type\":\"admin\",\"admin_id\":\"nobody\",\"body\":\"x\"}").statusCode());
        assertEquals(400, call("POST", "/conversations", "{\"from\":{\"type\":\"user\",\"id\":\"" + c + "\"}}").statusCode());
        assertEquals(404, call("POST", "/conversations", "{\"from\":{\"type\":\"user\",\"id\":\"aaaaaaaaaaaaaaaaaaaaaaaa\"},\"body\":\"x\"}").statusCode());
        StringBuilder urls = new StringBuilder();
        for (int i = 0; i < 11; i++) urls.append(i == 0 ? "" : ",").append("\"https://f/").append(i).append("\"");
        assertEquals(400, call("POST", "/conversations", "{\"from\":{\"type\":\"user\",\"id\":\"" + c
                + "\"},\"body\":\"x\",\"attachment_urls\":[" + urls + "]}").statusCode());
        // management parts
        JsonNode closed = json(call("POST", "/conversations/" + conv + "/parts",
                "{\"message_type\":\"close\",\"type\":\"admin\",\"admin_id\":\"" + admin + "\"}"));
        assertEquals("closed", closed.get("state").asText());
        JsonNode stats = json(client.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/_fake/stats")).build(),
                HttpResponse.BodyHandlers.ofString()));
        assertEquals(1, stats.get("conversations").asInt());
        assertEquals(511, stats.get("parts").asInt());
    }

    @Test
    void conversationSearchByContactAndCreatedAt() throws Exception {
        String a = createContact("{\"email\":\"a@x.io\"}");
        String b = createContact("{\"email\":\"b@x.io\"}");
        String c1 = createConversation(a, 1_500_000_000L);
        createConversation(a, 1_500_000_100L);
        createConversation(b, 1_500_000_000L);
        String dup = createConversation(a, 1_500_000_000L);
        JsonNode r = json(call("POST", "/conversations/search", "{\"query\":{\"operator\":\"AND\",\"value\":["
                + "{\"field\":\"contact_ids\",\"operator\":\"=\",\"value\":\"" + a + "\"},"
                + "{\"field\":\"created_at\",\"operator\":\"=\",\"value\":1500000000}]}}"));
        assertEquals("conversation.list", r.get("type").asText());
        assertEquals(2, r.get("total_count").asInt());
        assertEquals(c1, r.get("conversations").get(0).get("id").asText());
        r = json(call("POST", "/conversations/search",
                "{\"query\":{\"field\":\"created_at\",\"operator\":\">\",\"value\":1500000000}}"));
        assertEquals(1, r.get("total_count").asInt());
        assertEquals(List.of(dup), fake.duplicateConversations());
        // conversation attributes, custom attributes, tags, alterOnRead, delete
        assertEquals(200, call("POST", "/conversations/attributes",
                "{\"name\":\"legacy_id\",\"data_type\":\"string\"}").statusCode());
        assertEquals(400, call("POST", "/conversations/attributes",
                "{\"name\":\"legacy_id\",\"data_type\":\"string\"}").statusCode());
        assertEquals(200, call("PUT", "/conversations/" + c1, "{\"custom_attributes\":{\"legacy_id\":\"CD-1\"}}").statusCode());
        assertEquals(400, call("PUT", "/conversations/" + c1, "{\"custom_attributes\":{\"nope\":\"x\"}}").statusCode());
        String admin = fake.seedAdmin("ag@x.io", "Ag");
        String tag = json(call("POST", "/tags", "{\"name\":\"imported\"}")).get("id").asText();
        assertEquals(400, call("POST", "/conversations/" + c1 + "/tags", "{\"id\":\"" + tag + "\"}").statusCode());
        assertEquals(200, call("POST", "/conversations/" + c1 + "/tags",
                "{\"id\":\"" + tag + "\",\"admin_id\":\"" + admin + "\"}").statusCode());
        fake.alterOnRead(c1, "state", M.getNodeFactory().textNode("weird"));
        JsonNode g = json(call("GET", "/conversations/" + c1, null));
        assertEquals("weird", g.get("state").asText());
        assertEquals("CD-1", g.get("custom_attributes").get("legacy_id").asText());
        assertEquals(tag, g.get("tags").get("tags").get(0).get("id").asText());
        JsonNode d = json(call("DELETE", "/conversations/" + c1, null));
        assertEquals("conversation", d.get("object").asText());
        assertTrue(d.get("deleted").asBoolean());
        assertEquals(3, fake.conversations().size());
    }

    @Test
    void listConversationAttributeTakesOnlyItsLiveOptionsAndOptionsCanBeAddedAndArchived() throws Exception {
        String a = createContact("{\"email\":\"a@x.io\"}");
        String c = createConversation(a, 1_500_000_000L);
        JsonNode attr = json(call("POST", "/conversations/attributes",
                "{\"name\":\"ld_disposition\",\"data_type\":\"list\",\"options\":[{\"label\":\"Sale\"},{\"label\":\"Call back\"}]}"));
        String id = attr.get("id").asText();
        assertEquals(200, call("PUT", "/conversations/" + c, "{\"custom_attributes\":{\"ld_disposition\":\"Sale\"}}").statusCode());
        HttpResponse<String> refused = call("PUT", "/conversations/" + c, "{\"custom_attributes\":{\"ld_disposition\":\"Voicemail\"}}");
        assertEquals(400, refused.statusCode());
        assertEquals("parameter_invalid", errCode(refused));

        JsonNode added = json(call("POST", "/conversations/attributes/" + id + "/options", "{\"label\":\"Voicemail\"}"));
        assertEquals("Voicemail", added.get("options").get(2).get("label").asText());
        assertEquals(422, call("POST", "/conversations/attributes/" + id + "/options", "{\"label\":\"voicemail\"}").statusCode());
        assertEquals(422, call("POST", "/conversations/attributes/" + id + "/options", "{\"name\":\"x\"}").statusCode());
        assertEquals(200, call("PUT", "/conversations/" + c, "{\"custom_attributes\":{\"ld_disposition\":\"Voicemail\"}}").statusCode());

        String option = added.get("options").get(2).get("id").asText();
        JsonNode archived = json(call("DELETE", "/conversations/attributes/" + id + "/options/" + option, null));
        assertTrue(archived.get("options").get(2).get("archived").asBoolean());
        assertEquals(400, call("PUT", "/conversations/" + c, "{\"custom_attributes\":{\"ld_disposition\":\"Voicemail\"}}").statusCode());
        String text = json(call("POST", "/conversations/attributes", "{\"name\":\"note\",\"data_type\":\"string\"}")).get("id").asText();
        assertEquals(422, call("POST", "/conversations/attributes/" + text + "/options", "{\"label\":\"x\"}").statusCode());
        assertEquals("list", fake.conversationAttributes().get(0).get("data_type").asText());
        assertTrue(fake.seedConversationAttribute("other", "list", "a", "b") > 0);
    }

    @Test
    void ticketWithEmailCreatedContact() throws Exception {
        String admin = fake.seedAdmin("t@x.io", "T");
        JsonNode tt = json(call("POST", "/ticket_types", "{\"name\":\"Legacy ticket\",\"category\":\"Customer\"}"));
        assertEquals("ticket_type", tt.get("type").asText());
        assertEquals(400, call("POST", "/ticket_types", "{\"name\":\"legacy ticket\"}").statusCode());
        String ttId = tt.get("id").asText();
        HttpResponse<String> ar = call("POST", "/ticket_types/" + ttId + "/attributes",
                "{\"name\":\"source_id\",\"description\":\"Legacy id\",\"data_type\":\"string\"}");
        assertEquals(200, ar.statusCode(), ar.body());
        assertEquals(1, json(call("GET", "/ticket_types", null)).get("data").get(0).get("ticket_type_attributes").get("ticket_type_attributes").size());
        HttpResponse<String> r = call("POST", "/tickets", "{\"ticket_type_id\":\"" + ttId + "\",\"contacts\":[{\"email\":\"New@x.io\"}],"
                + "\"created_at\":1400000000,\"ticket_attributes\":{\"_default_title_\":\"Old\",\"source_id\":\"T-1\"}}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode t = json(r);
        assertEquals("ticket", t.get("type").asText());
        assertEquals(1_400_000_000L, t.get("created_at").asLong());
        assertEquals(ttId, t.get("ticket_type").get("id").asText());
        assertTrue(t.get("open").asBoolean());
        String contactId = t.get("contacts").get("contacts").get(0).get("id").asText();
        assertEquals("New@x.io", fake.contact(contactId).get("email").asText());
        assertEquals(1, fake.contacts().size());
        // same email again reuses the contact
        r = call("POST", "/tickets", "{\"ticket_type_id\":\"" + ttId + "\",\"contacts\":[{\"email\":\"new@x.io\"}]}");
        assertEquals(contactId, json(r).get("contacts").get("contacts").get(0).get("id").asText());
        assertEquals(1, fake.contacts().size());
        assertEquals(400, call("POST", "/tickets", "{\"ticket_type_id\":\"" + ttId + "\",\"contacts\":[{\"id\":\"" + contactId
                + "\"}],\"ticket_attributes\":{\"bogus\":1}}").statusCode());
        assertEquals(400, call("POST", "/tickets", "{\"ticket_type_id\":\"" + ttId + "\",\"contacts\":[]}").statusCode());
        String ticketId = t.get("id").asText();
        r = call("POST", "/tickets/" + ticketId + "/reply", "{\"message_type\":\"note\",\"type\":\"admin\",\"admin_id\":\""
                + admin + "\",\"body\":\"internal\",\"created_at\":1400000100}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(1, fake.ticket(ticketId).get("ticket_parts").get("ticket_parts").size());
        JsonNode note = json(call("POST", "/contacts/" + contactId + "/notes", "{\"body\":\"a note\",\"admin_id\":\"" + admin + "\"}"));
        assertEquals("note", note.get("type").asText());
        assertEquals(contactId, note.get("contact").get("id").asText());
        assertEquals(1, fake.notes().size());
        assertEquals(2, fake.tickets().size());
        assertTrue(json(call("DELETE", "/tickets/" + ticketId, null)).get("deleted").asBoolean());
        assertEquals(1, fake.tickets().size());
    }

    @Test
    void anArchivedTicketTypeAttributeIsRefusedOnATicketUntilUnarchived() throws Exception {
        String ttId = json(call("POST", "/ticket_types", "{\"name\":\"Legacy ticket\"}")).get("id").asText();
        String attr = json(call("POST", "/ticket_types/" + ttId + "/attributes",
                "{\"name\":\"department\",\"description\":\"Dept\",\"data_type\":\"string\"}")).get("id").asText();
        String ticket = "{\"ticket_type_id\":\"" + ttId + "\",\"contacts\":[{\"email\":\"a@x.io\"}],"
                + "\"ticket_attributes\":{\"_default_title_\":\"Old\",\"department\":\"Sales\"}}";
        assertEquals(200, call("POST", "/tickets", ticket).statusCode());

        String path = "/ticket_types/" + ttId + "/attributes/" + attr;
        assertTrue(json(call("PUT", path, "{\"archived\":true}")).get("archived").asBoolean());
        HttpResponse<String> refused = call("POST", "/tickets", ticket);
        assertEquals(400, refused.statusCode());
        assertTrue(refused.body().contains("Ticket attribute 'department' does not exist on ticket type " + ttId), refused.body());
        JsonNode listed = json(call("GET", "/ticket_types", null)).get("data").get(0).get("ticket_type_attributes").get("ticket_type_attributes").get(0);
        assertTrue(listed.get("archived").asBoolean(), "archived attributes stay listed, flagged");

        assertFalse(json(call("PUT", path, "{\"archived\":false}")).get("archived").asBoolean());
        assertEquals(200, call("POST", "/tickets", ticket).statusCode());

        // a live attribute of the same name blocks unarchiving another one, as it blocks creating one
        call("PUT", path, "{\"archived\":true}");
        assertEquals(200, call("POST", "/ticket_types/" + ttId + "/attributes",
                "{\"name\":\"department\",\"description\":\"Dept\",\"data_type\":\"string\"}").statusCode());
        assertEquals(400, call("PUT", path, "{\"archived\":false}").statusCode());
    }

    @Test
    void anArchivedConversationAttributeStaysArchivedAndItsNameCanBeTakenAgain() throws Exception {
        String id = json(call("POST", "/conversations/attributes", "{\"name\":\"cd_channel_source\",\"data_type\":\"string\"}"))
                .get("id").asText();
        assertTrue(json(call("DELETE", "/conversations/attributes/" + id, null)).get("archived").asBoolean());
        assertEquals(0, json(call("GET", "/conversations/attributes", null)).get("data").size());
        assertEquals(1, json(call("GET", "/conversations/attributes?include_archived=true", null)).get("data").size());
        assertTrue(json(call("PUT", "/conversations/attributes/" + id, "{\"archived\":false}")).get("archived").asBoolean(),
                "the update request has no archived field");
        assertEquals(200, call("POST", "/conversations/attributes",
                "{\"name\":\"cd_channel_source\",\"data_type\":\"string\"}").statusCode());
        assertEquals(1, json(call("GET", "/conversations/attributes", null)).get("data").size());
    }

    @Test
    void ticketSearchByContactAndCreatedAtAndDuplicateChecks() throws Exception {
        String admin = fake.seedAdmin("t@x.io", "T");
        String ttId = json(call("POST", "/ticket_types", "{\"name\":\"Legacy ticket\"}")).get("id").asText();
        String body = "{\"ticket_type_id\":\"" + ttId + "\",\"contacts\":[{\"email\":\"a@x.io\"}],\"created_at\":1400000000}";
        JsonNode first = json(call("POST", "/tickets", body));
        String contactId = first.get("contacts").get("contacts").get(0).get("id").asText();
        String query = "{\"query\":{\"operator\":\"AND\",\"value\":[{\"field\":\"contact_ids\",\"operator\":\"=\",\"value\":\""
                + contactId + "\"},{\"field\":\"created_at\",\"operator\":\"=\",\"value\":%d}]}}";
        JsonNode hit = json(call("POST", "/tickets/search", String.format(query, 1400000000L)));
        assertEquals("ticket.list", hit.get("type").asText());
        assertEquals(1, hit.get("tickets").size());
        assertEquals(first.get("id").asText(), hit.get("tickets").get(0).get("id").asText());
        assertEquals(0, json(call("POST", "/tickets/search", String.format(query, 1400000001L))).get("tickets").size());
        assertTrue(fake.duplicateTickets().isEmpty());

        call("POST", "/tickets", body);
        assertEquals(1, fake.duplicateTickets().size());
        String ticketId = first.get("id").asText();
        String reply = "{\"message_type\":\"comment\",\"type\":\"admin\",\"admin_id\":\"" + admin
                + "\",\"body\":\"same\",\"created_at\":1400000100}";
        call("POST", "/tickets/" + ticketId + "/reply", reply);
        assertTrue(fake.duplicateParts().isEmpty());
        call("POST", "/tickets/" + ticketId + "/reply", reply);
        assertEquals(1, fake.duplicateParts().size());
        assertEquals(2, fake.partsAsReceived(ticketId).size());
        assertEquals(1, fake.stats().get("duplicate_parts").asInt());
    }

    // ------------------------------------------------------------ ids, faults on provisioning, search lag

    private static final String NUMERIC = "[1-9][0-9]*";

    @Test
    void idsAreShapedAsIntercomGivesThem() throws Exception {
        String admin = fake.seedAdmin("ids@x.io", "Ids");
        String team = fake.seedTeam("Support");
        String contact = createContact("{\"email\":\"ids@x.io\"}");
        assertTrue(contact.matches("[0-9a-f]{24}"), contact);
        JsonNode started = json(call("POST", "/conversations", "{\"from\":{\"type\":\"user\",\"id\":\"" + contact
                + "\"},\"body\":\"hello\"}"));
        String conversation = started.get("conversation_id").asText();
        JsonNode reply = json(call("POST", "/conversations/" + conversation + "/reply", "{\"message_type\":\"comment\","
                + "\"type\":\"admin\",\"admin_id\":\"" + admin + "\",\"body\":\"hi\"}"));
        String part = reply.get("conversation_parts").get("conversation_parts").get(0).get("id").asText();
        String tag = json(call("POST", "/tags", "{\"name\":\"vip\"}")).get("id").asText();
        String note = json(call("POST", "/contacts/" + contact + "/notes", "{\"body\":\"n\"}")).get("id").asText();
        String type = json(call("POST", "/ticket_types", "{\"name\":\"T\"}")).get("id").asText();
        String typeAttribute = json(call("POST", "/ticket_types/" + type + "/attributes",
                "{\"name\":\"a\",\"description\":\"a\",\"data_type\":\"string\"}")).get("id").asText();
        JsonNode ticket = json(call("POST", "/tickets", "{\"ticket_type_id\":\"" + type + "\",\"contacts\":[{\"id\":\""
                + contact + "\"}]}"));
        for (String id : List.of(admin, team, conversation, part, tag, note, type, typeAttribute, ticket.get("id").asText())) {
            assertTrue(id.matches(NUMERIC), id);
        }
        assertNotEquals(ticket.get("id").asText(), ticket.get("ticket_id").asText(), "the API id is not the inbox number");
        JsonNode list = json(call("POST", "/conversations/attributes", "{\"name\":\"l\",\"data_type\":\"list\","
                + "\"options\":[{\"label\":\"x\"},{\"label\":\"y\"}]}"));
        assertTrue(list.get("id").isInt(), "conversation attribute ids are integers in the spec");
        assertTrue(list.get("options").get(0).get("id").asText().matches("[0-9a-f-]{36}"), "list options have UUIDs");
        assertTrue(json(call("POST", "/data_attributes", "{\"name\":\"d\",\"model\":\"contact\",\"data_type\":\"string\"}"))
                .get("id").isInt(), "data attribute ids are integers in the spec");
    }

    /** Every kind of provisioning write can be applied and then answered 502 or cut off, like any other write. */
    @Test
    void ambiguousWritesReachEveryProvisioningEndpoint() throws Exception {
        String type = json(call("POST", "/ticket_types", "{\"name\":\"T\"}")).get("id").asText();
        int list = fake.seedConversationAttribute("l", "list", "x", "y");
        List<String[]> writes = List.of(
                new String[]{"/data_attributes", "{\"name\":\"d\",\"model\":\"contact\",\"data_type\":\"string\"}"},
                new String[]{"/conversations/attributes", "{\"name\":\"c\",\"data_type\":\"string\"}"},
                new String[]{"/conversations/attributes/" + list + "/options", "{\"label\":\"z\"}"},
                new String[]{"/ticket_types", "{\"name\":\"U\"}"},
                new String[]{"/ticket_types/" + type + "/attributes", "{\"name\":\"a\",\"description\":\"a\",\"data_type\":\"string\"}"},
                new String[]{"/tags", "{\"name\":\"vip\"}"});
        for (String[] w : writes) {
            fake.faultsOnlyFor("POST", w[0].replaceAll("/\\d+", "/[0-9]+")).ambiguousNext(1);
            try {
                assertEquals(502, call(HttpClient.newHttpClient(), "POST", w[0], w[1], TOKEN).statusCode(), w[0]);
            } catch (IOException cutOff) {
                // the other half of the ambiguous faults: applied, then the connection is closed
            }
        }
        fake.faultsOnlyFor(null, null);
        assertEquals(1, fake.dataAttributes().size());
        assertEquals(2, fake.conversationAttributes().size());
        assertEquals(3, fake.conversationAttributes().get(0).get("options").size());
        assertEquals(2, fake.ticketTypes().size());
        assertEquals(1, fake.ticketTypes().get(0).get("ticket_type_attributes").get("ticket_type_attributes").size());
        assertEquals(1, fake.tags().size());
        assertEquals(400, call("POST", "/ticket_types/" + type + "/attributes", writes.get(4)[1]).statusCode(),
                "the retry of an applied create is refused as a duplicate");
    }

    @Test
    void searchLagHidesANewContactFromSearchButNotFromGetById() throws Exception {
        fake.searchLag(0, 2);
        String contact = createContact("{\"email\":\"lag@x.io\"}");
        String search = "{\"query\":{\"field\":\"email\",\"operator\":\"=\",\"value\":\"lag@x.io\"}}";
        assertEquals(0, json(call("POST", "/contacts/search", search)).get("data").size());
        assertEquals(0, json(call("POST", "/contacts/search", search)).get("data").size());
        assertEquals(200, call("GET", "/contacts/" + contact, null).statusCode());
        assertEquals(1, json(call("POST", "/contacts/search", search)).get("data").size(), "visible after 2 searches");
        fake.searchLag(60_000, 0);
        createContact("{\"email\":\"later@x.io\"}");
        for (int i = 0; i < 3; i++) {
            assertEquals(0, json(call("POST", "/contacts/search", search.replace("lag@", "later@"))).get("data").size());
        }
    }

    @Test
    void statsCountEachWindowsRequestsByEndpointWithIdsLeftOut() throws Exception {
        String a = createContact("{\"role\":\"user\",\"email\":\"a@example.com\"}");
        createContact("{\"role\":\"user\",\"email\":\"b@example.com\"}");
        assertEquals(200, call("GET", "/contacts/" + a, null).statusCode());

        JsonNode windows = fake.stats().get("windows_by_endpoint");
        int posts = 0;
        int gets = 0;
        for (JsonNode w : windows) {
            assertTrue(w.get("start").asLong() > 0);
            posts += w.get("requests").path("POST /contacts").asInt();
            gets += w.get("requests").path("GET /contacts/{id}").asInt();
        }
        assertEquals(2, posts, windows.toString());
        assertEquals(1, gets, windows.toString());
    }
}
