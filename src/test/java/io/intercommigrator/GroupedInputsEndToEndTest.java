package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.intercommigrator.intake.GroupedRows;
import io.intercommigrator.testing.MigratorHarness;
import io.intercommigrator.testing.MigratorHarness.Result;

/**
 * The inputs that must be grouped or pre-scanned before their records exist, in files bigger than the in-memory
 * budget of the grouping ({@link GroupedRows#DEFAULT_MAX_ROWS}), so that they spill to runs on disk: a social_messages.csv
 * and a chatbot export whose rows are shuffled still give one conversation per thread / session with its messages in
 * order, their malformed rows still dead-letter with file, line and column, the accounting adds up and no spilled
 * customer data is left behind; and a LeadDesk number field whose only decimal is on the last row is still float.
 */
class GroupedInputsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MESSAGE = Pattern.compile("([ts]\\d+) m(\\d+)");

    @TempDir
    Path home;

    /**
     * 2,600 threads of 10 rows, interleaved at random (each thread's rows keep their order, half the threads have one
     * timestamp for all their rows, so only file order orders them), and one malformed row in the middle.
     */
    @Test
    void aShuffledSocialFileBiggerThanMemoryGivesEveryThreadInOrder() {
        int threads = 2_600;
        int perThread = 10;
        MigratorHarness migrator = new MigratorHarness(home);
        List<String> rows = interleave(threads, perThread, (t, k) -> {
            boolean agent = k % 2 == 1;
            long at = t % 2 == 0 ? 1741000000L + t : 1741000000L + t * 100L + k;
            return "t" + t + ",facebook,@h" + t + "," + (agent ? "Agent" : "Person " + t) + ",," + (agent ? "agent" : "visitor")
                    + "," + (agent ? "agent@example.com" : "") + ",t" + t + " m" + k + " text," + at;
        });
        int badLine = 2 + rows.size() / 2;
        rows.add(badLine - 2, "t-bad,facebook,\"unbalanced,,,visitor,,x,1741000000");
        migrator.drop("clickdesk/social_messages.csv",
                "thread_id,network,handle,name,email,author_type,agent_email,text,created_at\n" + String.join("\n", rows) + "\n");

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        run.assertAddsUp();
        assertThat(run.counts("conversation").path("source").asLong()).isEqualTo(threads + 1);
        assertThat(run.counts("conversation_part").path("source").asLong()).isEqualTo((long) threads * (perThread - 1));
        assertThat(migrator.deadLetters()).singleElement().satisfies(letter -> {
            assertThat(letter.path("source_file").asText()).isEqualTo("clickdesk/social_messages.csv");
            assertThat(letter.path("line").asLong()).isEqualTo(badLine);
            assertThat(letter.path("error").path("code").asText()).isEqualTo("malformed_row");
            assertThat(letter.path("source_record").path("raw").asText()).contains("unbalanced");
        });
        assertThreadsInOrder(outbox(home), threads, perThread);
        assertNoSpillLeft();
    }

    /** 2,600 sessions of 10 messages, every row of conversations.csv shuffled, and a row with a bad message_index. */
    @Test
    void aShuffledChatbotExportBiggerThanMemoryGivesEverySessionInOrder() {
        int sessions = 2_600;
        int perSession = 10;
        List<String> messages = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            for (int k = 0; k < perSession; k++) {
                messages.add("s" + s + ";" + k + ";" + (1741000000L + s * 100L + k) + ";" + (k % 2 == 0 ? "user" : "bot") + ";s" + s
                        + " m" + k + " text;" + (s % 3 == 0 ? "" : "chat" + s + "@example.com") + ";+35840" + s);
            }
        }
        Collections.shuffle(messages, new Random(11));
        int badLine = 2 + messages.size() / 3;
        messages.add(badLine - 2, "s-bad;one;1741000000;user;hello;;");
        StringBuilder outcomes = new StringBuilder("conversation_id;intent;outcome;handed_over\n");
        StringBuilder timing = new StringBuilder("conversation_id;started_at;ended_at;duration_s;export_range_start;export_range_end\n");
        for (int s = 0; s < sessions; s++) {
            outcomes.append("s").append(s).append(";billing;resolved;false\n");
            timing.append("s").append(s).append(';').append(1741000000L + s * 100L).append(";;;1700000000;1800000000\n");
        }
        MigratorHarness migrator = new MigratorHarness(home);
        migrator.drop("leaddesk/chatbot_export_2026.zip", zip(Map.of(
                "conversations.csv", "conversation_id;message_index;timestamp;sender;message;contact_email;contact_phone\n"
                        + String.join("\n", messages) + "\n",
                "outcomes.csv", outcomes.toString(), "timing.csv", timing.toString(),
                "agent.csv", "conversation_id;agent_email;handover_at\n")));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        run.assertAddsUp();
        assertThat(run.counts("conversation").path("source").asLong()).isEqualTo(sessions + 1);
        assertThat(migrator.deadLetters()).singleElement().satisfies(letter -> {
            assertThat(letter.path("source_file").asText()).isEqualTo("leaddesk/chatbot_export_2026.zip!conversations.csv");
            assertThat(letter.path("line").asLong()).isEqualTo(badLine);
            assertThat(letter.path("error").path("message").asText()).contains("line " + badLine + ", column 2", "message_index");
        });
        assertThreadsInOrder(outbox(home), sessions, perSession);
        assertNoSpillLeft();
    }

    /** Number fields are typed by a pre-scan of the whole file: a decimal on the last row makes the field float. */
    @Test
    void aNumberFieldWhoseOnlyDecimalIsOnTheLastRowIsFloat() {
        int contacts = 3_000;
        MigratorHarness migrator = new MigratorHarness(home);
        migrator.drop("leaddesk/custom_fields.json", """
                [{"field": "other1", "label": "Seats", "type": "number"}, {"field": "other2", "label": "Rating", "type": "number"}]
                """);
        StringBuilder csv = new StringBuilder("contact_id;fname;lname;phone;email;other1;other2\n");
        for (int i = 1; i <= contacts; i++) {
            csv.append('k').append(i).append(";Matti;Virtanen;+358 40 ").append(1000000 + i).append(";m").append(i)
                    .append("@example.fi;").append(i % 40).append(';').append(i == contacts ? "4,5" : String.valueOf(i % 5)).append('\n');
        }
        migrator.drop("leaddesk/contacts.csv", csv.toString());

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        List<JsonNode> requests = outbox(home);
        Map<String, String> types = new TreeMap<>();
        requests.stream().filter(r -> r.path("path").asText().equals("/data_attributes") && r.path("method").asText().equals("POST"))
                .forEach(r -> types.put(r.path("body").path("name").asText(), r.path("body").path("data_type").asText()));
        assertThat(types).containsEntry("ld_seats", "integer").containsEntry("ld_rating", "float");
        Map<String, JsonNode> ratings = new TreeMap<>();
        requests.stream().filter(r -> r.path("path").asText().equals("/contacts")).forEach(r ->
                ratings.put(r.path("body").path("external_id").asText(), r.path("body").path("custom_attributes").path("ld_rating")));
        assertThat(ratings).hasSize(contacts).allSatisfy((id, v) -> assertThat(v.isFloatingPointNumber()).as(id).isTrue());
        assertThat(ratings.get("ld-contact-k" + contacts).asDouble()).isEqualTo(4.5);
        assertThat(ratings.get("ld-contact-k7").asDouble()).isEqualTo(2.0);
    }

    /** Each thread's rows in order, the threads' rows interleaved at random (seeded). */
    static List<String> interleave(int threads, int perThread, RowText text) {
        Random random = new Random(5);
        int[] next = new int[threads];
        List<Integer> open = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            open.add(t);
        }
        List<String> rows = new ArrayList<>(threads * perThread);
        while (!open.isEmpty()) {
            int pick = random.nextInt(open.size());
            int t = open.get(pick);
            rows.add(text.of(t, next[t]++));
            if (next[t] == perThread) {
                open.set(pick, open.get(open.size() - 1));
                open.remove(open.size() - 1);
            }
        }
        return rows;
    }

    interface RowText {
        String of(int thread, int message);
    }

    /** Every conversation opens with message 0 of its thread and gets messages 1… as replies, in order. */
    static void assertThreadsInOrder(List<JsonNode> requests, int threads, int perThread) {
        Map<String, String> threadOf = new TreeMap<>();
        Map<String, List<Integer>> messages = new TreeMap<>();
        for (JsonNode r : requests) {
            String path = r.path("path").asText();
            Matcher m = MESSAGE.matcher(r.path("body").path("body").asText());
            if (!r.path("method").asText().equals("POST") || !m.find()) {
                continue;
            }
            if (path.equals("/conversations")) {
                assertThat(m.group(2)).isEqualTo("0");
                threadOf.put(String.valueOf(r.path("seq").asLong()), m.group(1));
                messages.put(m.group(1), new ArrayList<>(List.of(0)));
            } else if (path.endsWith("/reply")) {
                messages.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(Integer.parseInt(m.group(2)));
            }
        }
        assertThat(threadOf).hasSize(threads);
        List<Integer> expected = java.util.stream.IntStream.range(0, perThread).boxed().toList();
        assertThat(messages).hasSize(threads).allSatisfy((thread, order) -> assertThat(order).as(thread).isEqualTo(expected));
    }

    private void assertNoSpillLeft() {
        try (Stream<Path> files = Files.walk(home.resolve("work"))) {
            assertThat(files.filter(Files::isRegularFile).map(Path::toString).filter(p -> p.contains("spill")).toList()).isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> outbox(Path home) {
        try (Stream<Path> files = Files.walk(home.resolve("work/outbox"))) {
            List<JsonNode> out = new ArrayList<>();
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

    private static byte[] zip(Map<String, String> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> e : new TreeMap<>(entries).entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
