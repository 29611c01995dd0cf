package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.intercommigrator.testing.MigratorHarness;
import io.intercommigrator.testing.MigratorHarness.Result;

/**
 * A dry-run hands records to the delivery pool in batches (intake.dry-run-batch-size) and splits each batch again
 * into one exchange per record. Batching must change nothing but speed: the same drop, read in batches of 7 and one
 * by one, ends with the same report, the same planned requests and the same dead letters (naming file and line),
 * including a malformed row and rows that fail validation in the middle of a batch, and ticket messages that keep
 * their ticket's order across batches.
 */
class DryRunBatchesEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VISITORS = 103;
    private static final int TICKETS = 6;
    private static final int MESSAGES_PER_TICKET = 9;

    @TempDir
    Path home;

    @Test
    void batchesEndWithTheSameReportRequestsAndDeadLettersAsOneByOne() {
        Run batched = dryRun("batched", 7);
        Run single = dryRun("single", 1);

        batched.result().assertAddsUp();
        assertThat(batched.result().report().path("objects")).isEqualTo(single.result().report().path("objects"));
        JsonNode contacts = batched.result().counts("contact");
        assertThat(contacts.path("source").asLong()).isEqualTo(VISITORS + 1); // + the malformed row
        assertThat(contacts.path("dead_lettered").asLong()).isEqualTo(3);
        assertThat(batched.result().counts("conversation_part").path("source").asLong()).isEqualTo(TICKETS * MESSAGES_PER_TICKET);

        assertThat(batched.deadLetters()).isEqualTo(single.deadLetters())
                .containsKeys("clickdesk/visitors.csv:41", "clickdesk/visitors.csv:62", "clickdesk/visitors.csv:88");
        assertThat(batched.deadLetters().get("clickdesk/visitors.csv:62")).contains("malformed_row");

        assertThat(batched.requests()).isEqualTo(single.requests());
        assertThat(batched.requests().get("POST /contacts")).isEqualTo(VISITORS - 2);
        assertThat(batched.messageOrder()).as("each ticket's replies in file order")
                .allSatisfy((ticket, bodies) -> assertThat(bodies).isSorted());
    }

    private record Run(Result result, Map<String, String> deadLetters, Map<String, Long> requests,
                       Map<String, List<String>> messageOrder) {
    }

    private Run dryRun(String name, int batchSize) {
        MigratorHarness dry = new MigratorHarness(home.resolve(name)).set("intake.dry-run-batch-size", String.valueOf(batchSize));
        dry.drop("clickdesk/visitors.csv", visitors());
        dry.drop("clickdesk/tickets.csv", tickets());
        dry.drop("clickdesk/ticket_messages.csv", ticketMessages());

        Result result = dry.once();

        assertThat(result.exitCode()).isZero();
        Map<String, String> letters = new TreeMap<>();
        for (JsonNode letter : dry.deadLetters()) {
            letters.put(letter.path("source_file").asText() + ":" + letter.path("line").asLong(),
                    letter.path("error").path("code").asText());
        }
        List<JsonNode> planned = outbox(dry.home());
        Map<String, Long> requests = planned.stream().collect(Collectors.groupingBy(
                r -> r.path("method").asText() + " " + r.path("path").asText().replaceAll("dry-run-\\d+", "{id}"),
                TreeMap::new, Collectors.counting()));
        Map<String, List<String>> order = new TreeMap<>();
        for (JsonNode r : planned) {
            String body = r.path("body").path("body").asText();
            if (r.path("path").asText().endsWith("/reply") && body.startsWith("ticket")) {
                order.computeIfAbsent(body.substring(0, body.indexOf(' ')), k -> new java.util.ArrayList<>()).add(body);
            }
        }
        assertThat(order).hasSize(TICKETS);
        return new Run(result, letters, requests, order);
    }

    private static List<JsonNode> outbox(Path home) {
        try (Stream<Path> files = Files.walk(home.resolve("work/outbox"))) {
            List<JsonNode> out = new java.util.ArrayList<>();
            for (Path f : files.filter(p -> p.getFileName().toString().equals("requests.jsonl")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    out.add(JSON.readTree(line));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Line 41: an invalid email, line 62: an unbalanced quote, line 88: a duplicate visitor id with an invalid email. */
    private static String visitors() {
        StringBuilder csv = new StringBuilder("visitor_id,name,email,phone,tags,social_source,city,country,country_code,browser,os,first_seen,last_seen\n");
        for (int i = 1, line = 2; i <= VISITORS; i++, line++) {
            String email = switch (line) {
                case 41, 88 -> "not-an-email";
                default -> "visitor" + i + "@example.com";
            };
            csv.append("v").append(i).append(",Visitor ").append(i).append(',').append(email)
                    .append(",,").append(i % 3 == 0 ? "vip|newsletter" : "newsletter").append(",,Berlin,Germany,DE,,,1741000000000,\n");
            if (line == 61) {
                csv.append("v-bad,\"unbalanced,broken@example.com,,,,,,,,,,\n");
                line++;
            }
        }
        return csv.toString();
    }

    private static String tickets() {
        StringBuilder csv = new StringBuilder("ticket_id,subject,body,status,priority,channel,department,agent_email,"
                + "visitor_id,visitor_name,visitor_email,created_at,updated_at,tags\n");
        for (int t = 1; t <= TICKETS; t++) {
            csv.append("t").append(t).append(",Question ").append(t).append(",Help,open,normal,web,Support,,v").append(t)
                    .append(",Visitor ").append(t).append(",visitor").append(t).append("@example.com,2025-03-05T10:00:00Z,,\n");
        }
        return csv.toString();
    }

    /** The tickets' messages interleaved, so that every batch of 7 holds messages of several tickets. */
    private static String ticketMessages() {
        StringBuilder csv = new StringBuilder("ticket_id,message_id,author_type,author_email,body,created_at,attachments\n");
        for (int m = 1; m <= MESSAGES_PER_TICKET; m++) {
            for (int t = 1; t <= TICKETS; t++) {
                csv.append("t").append(t).append(",m").append(t).append('-').append(m).append(",visitor,visitor").append(t)
                        .append("@example.com,ticket").append(t).append(" message ").append(m)
                        .append(",2025-03-05T1").append(m).append(":00:00Z,\n");
            }
        }
        return csv.toString();
    }
}
