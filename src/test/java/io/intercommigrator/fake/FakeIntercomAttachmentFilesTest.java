package io.intercommigrator.fake;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake takes attachment_files on replies and notes as Intercom does, and records what was uploaded. */
class FakeIntercomAttachmentFilesTest {
    private static final ObjectMapper M = new ObjectMapper();
    private static final String TOKEN = "tok-files";

    private FakeIntercom fake;
    private final HttpClient http = HttpClient.newHttpClient();
    private String adminId;
    private String conversationId;
    private String contactId;

    @BeforeEach
    void setUp() throws Exception {
        fake = FakeIntercom.builder().token(TOKEN).build().start();
        adminId = fake.seedAdmin("agent@acme.test", "Agent");
        contactId = M.readTree(call("/contacts", "{\"email\":\"anna@example.com\",\"role\":\"user\"}").body()).path("id").asText();
        conversationId = M.readTree(call("/conversations", "{\"from\":{\"type\":\"user\",\"id\":\"" + contactId
                + "\"},\"body\":\"hello\",\"created_at\":1700000000}").body()).path("conversation_id").asText();
    }

    @AfterEach
    void tearDown() {
        fake.close();
    }

    private HttpResponse<String> call(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + path)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json").header("Intercom-Version", "2.16")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private ObjectNode note(int files) {
        ObjectNode body = M.createObjectNode().put("message_type", "note").put("type", "admin").put("admin_id", adminId)
                .put("body", "files").put("created_at", 1700000001);
        ArrayNode a = body.putArray("attachment_files");
        for (int i = 0; i < files; i++) {
            a.addObject().put("name", "f" + i + ".txt").put("content_type", "text/plain")
                    .put("data", Base64.getEncoder().encodeToString(("file " + i).getBytes(StandardCharsets.UTF_8)));
        }
        return body;
    }

    @Test
    void uploadedFilesAreRecordedWithTheirDecodedSizeAndSha() throws Exception {
        ObjectNode body = note(2);
        body.putArray("attachment_urls").add("https://elsewhere.example/x.png"); // attachment_files take precedence

        HttpResponse<String> r = call("/conversations/" + conversationId + "/reply", body.toString());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(fake.uploads()).hasSize(2);
        FakeIntercom.Upload first = fake.uploads().get(0);
        assertThat(first.threadId()).isEqualTo(conversationId);
        assertThat(first.name()).isEqualTo("f0.txt");
        assertThat(first.contentType()).isEqualTo("text/plain");
        assertThat(first.size()).isEqualTo(6);
        assertThat(first.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest("file 0".getBytes(StandardCharsets.UTF_8))));
        assertThat(first.partType()).isEqualTo("note");
        assertThat(first.partCreatedAt()).isEqualTo(1700000001L);
        JsonNode parts = fake.partsAsReceived(conversationId).get(0).path("attachments");
        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).path("filesize").asInt()).isEqualTo(6);
    }

    @Test
    void moreThanTenFilesBadBase64AndMissingFieldsAreRejectedWith400() throws Exception {
        assertThat(call("/conversations/" + conversationId + "/reply", note(11).toString()).statusCode()).isEqualTo(400);
        ObjectNode bad = note(1);
        ((ObjectNode) bad.get("attachment_files").get(0)).put("data", "not base64!");
        assertThat(call("/conversations/" + conversationId + "/reply", bad.toString()).statusCode()).isEqualTo(400);
        ObjectNode noName = note(1);
        ((ObjectNode) noName.get("attachment_files").get(0)).remove("name");
        assertThat(call("/conversations/" + conversationId + "/reply", noName.toString()).statusCode()).isEqualTo(400);
        ObjectNode noType = note(1);
        ((ObjectNode) noType.get("attachment_files").get(0)).remove("content_type");
        assertThat(call("/conversations/" + conversationId + "/reply", noType.toString()).statusCode()).isEqualTo(400);
        assertThat(fake.uploads()).isEmpty();
        assertThat(fake.partsAsReceived(conversationId)).isEmpty();
    }

    @Test
    void aContactReplyTakesFilesOnAConversation() throws Exception {
        ObjectNode body = M.createObjectNode().put("message_type", "comment").put("type", "user").put("intercom_user_id", contactId)
                .put("body", "my scan");
        body.set("attachment_files", note(1).get("attachment_files"));

        assertThat(call("/conversations/" + conversationId + "/reply", body.toString()).statusCode()).isEqualTo(200);

        assertThat(fake.uploads()).singleElement().satisfies(u -> assertThat(u.partType()).isEqualTo("comment"));
    }
}
