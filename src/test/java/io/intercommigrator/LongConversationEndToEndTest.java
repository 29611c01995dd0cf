package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.intercommigrator.fake.FakeIntercom;
import io.intercommigrator.testing.MigrationInvariants;
import io.intercommigrator.testing.MigratorHarness;
import io.intercommigrator.testing.MigratorHarness.Result;

/**
 * A chat of 1,200 messages: more than the 500 newest parts a GET of a conversation returns. It must arrive whole
 * and in order, also when two replies past the 500th have an unknown outcome and are looked up by that GET.
 */
class LongConversationEndToEndTest {
    private static final String TOKEN = "tok_long";
    private static final int MESSAGES = 1_200;
    private static final long START = 1_720_000_000L;
    private static final String AGENT = "agent1@acme.test";

    @TempDir
    Path home;
    FakeIntercom intercom;

    @AfterEach
    void stop() {
        if (intercom != null) {
            intercom.close();
        }
    }

    private static String text(int m) {
        return String.format("message %04d of the long chat", m);
    }

    /** visitor, agent, visitor, …, with a bot note every 10th message; 30 s apart. */
    private static String from(int m) {
        return m % 10 == 9 ? "bot" : m % 2 == 0 ? "visitor" : "agent";
    }

    private void writeChat(File file) throws Exception {
        try (JsonGenerator g = new JsonFactory().createGenerator(file, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeArrayFieldStart("session");
            g.writeStartObject();
            g.writeStringField("chat_id", "long1");
            g.writeStringField("visitor_id", "v1");
            g.writeStringField("name", "Patient Visitor");
            g.writeStringField("email", "patient@example.com");
            g.writeStringField("agent_email", AGENT);
            g.writeStringField("start_time", Long.toString(START * 1000));
            g.writeArrayFieldStart("messages");
            for (int m = 0; m < MESSAGES; m++) {
                g.writeStartObject();
                g.writeStringField("time", Long.toString((START + 30L * m) * 1000));
                g.writeStringField("from", from(m));
                if (from(m).equals("agent")) {
                    g.writeStringField("sender_email", AGENT);
                }
                g.writeStringField("text", text(m));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    @Test
    @Timeout(120)
    void chatOfTwelveHundredMessagesArrivesWholeAndInOrder() throws Exception {
        intercom = FakeIntercom.builder().token(TOKEN).limitPer10s(20_000).admin(AGENT, "Agent One").build().start();
        MigratorHarness migrator = new MigratorHarness(home).live(intercom.baseUrl(), TOKEN)
                .set("intercom.rate-limit-per-minute", "120000");
        File staged = home.resolve("chats.json").toFile();
        writeChat(staged);
        java.nio.file.Files.move(staged.toPath(), migrator.inbox().resolve("clickdesk/chats.json"));

        CompletableFuture<Result> running = CompletableFuture.supplyAsync(migrator::once);
        // once the conversation is longer than a GET shows, two replies land but their answers are lost
        Awaitility.await("the conversation passes 700 parts").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> running.isDone() || intercom.stats().path("parts").asInt() >= 700);
        intercom.faultsOnlyFor("POST", "/conversations/[^/]+/reply").ambiguousNext(2);
        Result run = running.get(90, TimeUnit.SECONDS);

        assertThat(run.exitCode()).isZero();
        assertThat(migrator.deadLetters()).isEmpty();
        assertThat(intercom.requests()).as("the two replies with an unknown outcome")
                .filteredOn(r -> r.path().endsWith("/reply") && (r.status() == 502 || r.status() == 0)).hasSize(2);
        MigrationInvariants.assertNoDuplicates(intercom);
        List<ObjectNode> conversations = intercom.conversations();
        assertThat(conversations).hasSize(1);
        ObjectNode chat = conversations.get(0);
        String id = chat.path("id").asText();
        assertThat(chat.path("source").path("body").asText()).isEqualTo(text(0));

        // every message after the opening one is a part: as received and as Intercom orders them
        List<String> expected = new ArrayList<>();
        for (int m = 1; m < MESSAGES; m++) {
            expected.add((from(m).equals("bot") ? "[Bot] " : "") + text(m));
        }
        assertThat(messages(intercom.partsAsReceived(id))).isEqualTo(expected);
        List<JsonNode> all = new ArrayList<>();
        chat.path("conversation_parts").path("conversation_parts").forEach(all::add);
        assertThat(messages(all)).isEqualTo(expected);
        assertThat(all).extracting(p -> p.path("created_at").asLong()).isSorted();
        assertThat(run.counts("conversation_part").path("created").asLong()).isEqualTo(MESSAGES - 1);
        run.assertAddsUp();

        // the API itself shows only the newest 500 parts: the test must not rely on it, the migrator must not either
        HttpResponse<String> get = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(intercom.baseUrl()
                + "/conversations/" + id)).header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode viaApi = new ObjectMapper().readTree(get.body()).path("conversation_parts");
        assertThat(viaApi.path("conversation_parts").size()).isEqualTo(500);
        assertThat(viaApi.path("total_count").asInt()).isEqualTo(all.size());
    }

    @Test
    @Timeout(180)
    void aLongChatUnderSteadyServerErrorsKeepsMovingAndIsNotDeadLettered() throws Exception {
        // 5 % of the replies fail: about 60 failures over the chat, far more than the 3 retries a record may spend
        // without progress, so only a budget that restarts with every landed part brings the chat in whole
        intercom = FakeIntercom.builder().token(TOKEN).limitPer10s(20_000).seed(7).admin(AGENT, "Agent One").build().start();
        intercom.faultsOnlyFor("POST", "/conversations/[^/]+/reply").serverErrorRate(0.05);
        MigratorHarness migrator = new MigratorHarness(home).live(intercom.baseUrl(), TOKEN)
                .set("intercom.rate-limit-per-minute", "120000").set("delivery.max-retries", "3")
                .set("delivery.retry-initial-delay-ms", "5").set("delivery.retry-max-delay-ms", "20");
        File staged = home.resolve("chats.json").toFile();
        writeChat(staged);
        java.nio.file.Files.move(staged.toPath(), migrator.inbox().resolve("clickdesk/chats.json"));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        long failed = intercom.requests().stream().filter(r -> r.path().endsWith("/reply") && r.status() >= 500).count();
        assertThat(failed).as("server errors injected on the replies").isGreaterThan(3 * 3);
        assertThat(migrator.deadLetters()).isEmpty();
        MigrationInvariants.assertNoDuplicates(intercom);
        String id = intercom.conversations().get(0).path("id").asText();
        assertThat(messages(intercom.partsAsReceived(id))).hasSize(MESSAGES - 1).doesNotHaveDuplicates();
        assertThat(run.counts("conversation_part").path("created").asLong()).isEqualTo(MESSAGES - 1);
        run.assertAddsUp();
    }

    @Test
    @Timeout(120)
    void aRecordThatNeverMovesStillGivesUpAfterTheRetryBudget() {
        intercom = FakeIntercom.builder().token(TOKEN).limitPer10s(20_000).build().start();
        intercom.faultsOnlyFor("POST", "/contacts$").serverErrorRate(1.0);
        MigratorHarness migrator = new MigratorHarness(home).live(intercom.baseUrl(), TOKEN)
                .set("delivery.max-retries", "2").set("delivery.retry-initial-delay-ms", "5").set("delivery.retry-max-delay-ms", "20");
        migrator.drop("clickdesk/visitors.csv", "visitor_id,name,email\nv1,Anna,anna@example.de\n");

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(intercom.requests()).filteredOn(r -> r.method().equals("POST") && r.path().endsWith("/contacts"))
                .as("the first attempt and two retries in %s", intercom.requests()).hasSize(3);
        List<JsonNode> dead = migrator.deadLetters();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).path("error").path("status").asInt()).isGreaterThanOrEqualTo(500);
        assertThat(dead.get(0).path("attempts").asInt()).isEqualTo(3);
        run.assertAddsUp();
    }

    private static List<String> messages(Iterable<? extends JsonNode> parts) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : parts) {
            if (List.of("comment", "note").contains(p.path("part_type").asText())) {
                out.add(p.path("body").asText());
            }
        }
        return out;
    }
}
