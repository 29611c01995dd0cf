package io.intercommigrator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import io.intercommigrator.ledger.RecordKey;
import io.intercommigrator.mapping.ContactPlan;
import io.intercommigrator.mapping.ThreadPlan;
import io.intercommigrator.mapping.ThreadPlan.Author;
import io.intercommigrator.mapping.ThreadPlan.PartPlan;

import io.intercommigrator.intercom.DeliverySample;
/** The comparison rules, against canned read-backs (the end-to-end test reads a fake Intercom). */
class VerifierTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_741_000_000L;

    private static ThreadPlan conversation(List<PartPlan> parts) {
        return new ThreadPlan(new RecordKey("clickdesk", "conversation", "c1"), ThreadPlan.Kind.CONVERSATION, null, T0, "Hallo",
                List.of(), null, null, Map.of(), Map.of("cd_channel_source", "Chat"), Map.of("cd_channel_source", "string"),
                null, null, parts, List.of("billing"));
    }

    private static PartPlan part(int i, Author author) {
        return new PartPlan("m" + i, author, null, null, false, "message " + i, T0 + 60L * i, List.of());
    }

    private static ObjectNode readPart(String type, String body, long createdAt, String author) {
        ObjectNode p = JSON.createObjectNode().put("type", "conversation_part").put("part_type", type).put("created_at", createdAt);
        if (body == null) {
            p.putNull("body");
        } else {
            p.put("body", body);
        }
        p.putObject("author").put("type", author);
        return p;
    }

    /** A conversation as Intercom returns it: its newest {@code returned} parts of {@code parts}. */
    private static ObjectNode readConversation(List<ObjectNode> parts, int returned) {
        ObjectNode c = JSON.createObjectNode().put("type", "conversation").put("id", "conv1").put("created_at", T0);
        c.putObject("source").put("body", "<p>Hallo</p>").putObject("author").put("type", "user");
        c.putObject("custom_attributes").put("cd_channel_source", "Chat");
        c.putObject("tags").putArray("tags").addObject().put("id", "9").put("name", "Billing");
        ObjectNode list = c.putObject("conversation_parts");
        ArrayNode arr = list.putArray("conversation_parts");
        parts.subList(Math.max(0, parts.size() - returned), parts.size()).forEach(arr::add);
        list.put("total_count", parts.size());
        return c;
    }

    private static ObjectNode verify(DeliverySample.Item item, JsonNode readBack) {
        DeliverySample sample = new DeliverySample(50, 42);
        sample.record(item);
        return new Verifier(path -> readBack, name -> Optional.empty(), JSON).verify(sample);
    }

    @Test
    void partsOthersAddedAreIgnoredAndHtmlIsReadAsText() {
        List<PartPlan> plan = List.of(part(1, Author.ADMIN), part(2, Author.CONTACT));
        List<ObjectNode> read = List.of(
                readPart("assignment", null, T0 + 30, "admin"),
                readPart("note", "<p>[Bot] message 1</p>", T0 + 60, "admin"),
                readPart("note", "More attachments of this message", T0 + 61, "admin"),
                readPart("comment", "<p>message 2</p>", T0 + 120, "user"));

        ObjectNode v = verify(new DeliverySample.Item("conversation", "conv1", conversation(plan), null, false),
                readConversation(read, 500));

        assertThat(v.path("mismatches")).isEmpty();
        assertThat(v.path("matched").asInt()).isEqualTo(1);
        assertThat(v.path("notes")).isEmpty();
    }

    @Test
    void countOrderTimeAndAuthorAreCompared() {
        List<PartPlan> plan = List.of(part(1, Author.ADMIN), part(2, Author.CONTACT), part(3, Author.CONTACT), part(4, Author.ADMIN));
        List<ObjectNode> read = List.of(
                readPart("comment", "message 2", T0 + 50, "user"),   // before message 1: order
                readPart("comment", "message 1", T0 + 60, "admin"),
                readPart("comment", "message 3", T0 + 999, "admin")); // time and author; message 4 missing

        ObjectNode v = verify(new DeliverySample.Item("conversation", "conv1", conversation(plan), null, false),
                readConversation(read, 500));

        assertThat(v.path("matched").asInt()).isZero();
        List<String> fields = new ArrayList<>();
        v.path("mismatches").forEach(m -> fields.add(m.path("field").asText() + "=" + m.path("expected") + "→" + m.path("actual")));
        assertThat(fields).containsExactlyInAnyOrder(
                "part_count=4→3",
                "parts[m4].body=\"message 4\"→null",
                "part_order=[\"m1\",\"m2\",\"m3\"]→[\"m2\",\"m1\",\"m3\"]",
                "parts[m2].created_at=" + (T0 + 120) + "→" + (T0 + 50),
                "parts[m3].created_at=" + (T0 + 180) + "→" + (T0 + 999),
                "parts[m3].author=\"contact\"→\"admin\"");
        assertThat(v.path("mismatches").get(0).path("source").asText()).isEqualTo("clickdesk/conversation/c1");
        assertThat(v.path("mismatches").get(0).path("intercom_id").asText()).isEqualTo("conv1");
    }

    @Test
    void aThreadLongerThanIntercomReturnsIsComparedOnItsNewest500PartsAndSaysSo() {
        List<PartPlan> plan = new ArrayList<>();
        List<ObjectNode> read = new ArrayList<>();
        for (int i = 1; i <= 620; i++) {
            plan.add(part(i, i % 2 == 0 ? Author.CONTACT : Author.ADMIN));
            read.add(readPart("comment", "message " + i, T0 + 60L * i, i % 2 == 0 ? "user" : "admin"));
        }

        ObjectNode v = verify(new DeliverySample.Item("conversation", "conv1", conversation(plan), null, false),
                readConversation(read, Verifier.READABLE_PARTS));

        assertThat(v.path("mismatches")).isEmpty();
        assertThat(v.path("matched").asInt()).isEqualTo(1);
        assertThat(v.path("notes").toString()).contains("only the newest 500 parts can be read back", "conversation conv1: 620 parts");
    }

    @Test
    void aMergedContactIsComparedOnWhatWasSentButNotOnItsRole() {
        ObjectNode sent = JSON.createObjectNode().put("role", "lead").put("email", "Anna@Example.de ").put("name", "Anna");
        sent.putObject("custom_attributes").put("cd_city", "Berlin").put("cd_visits", 3);
        ContactPlan plan = new ContactPlan(new RecordKey("clickdesk", "contact", "v1"), "anna@example.de", sent, Map.of(),
                List.of("vip"), Set.of());
        ObjectNode read = JSON.createObjectNode().put("id", "ct1").put("role", "user").put("email", "anna@example.de")
                .put("name", "Someone Else");
        read.putObject("custom_attributes").put("cd_city", "Berlin").put("cd_visits", 3.0);
        read.putObject("tags").putArray("data").addObject().put("type", "tag").put("id", "77"); // no name, as Intercom lists them

        ObjectNode v = new Verifier(path -> read, name -> name.equals("vip") ? Optional.of("77") : Optional.empty(), JSON)
                .verify(sampleOf(new DeliverySample.Item("contact", "ct1", plan, sent, true)));

        assertThat(v.path("mismatches")).hasSize(1);
        JsonNode m = v.path("mismatches").get(0);
        assertThat(m.path("field").asText()).isEqualTo("name");
        assertThat(m.path("expected").asText()).isEqualTo("Anna");
        assertThat(m.path("actual").asText()).isEqualTo("Someone Else");
        assertThat(m.path("object_type").asText()).isEqualTo("contact");
    }

    private static DeliverySample sampleOf(DeliverySample.Item item) {
        DeliverySample sample = new DeliverySample(50, 42);
        sample.record(item);
        return sample;
    }
}
