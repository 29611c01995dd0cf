package io.intercommigrator.intercom;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import io.intercommigrator.ledger.RecordKey;
import io.intercommigrator.mapping.ContactPlan;
import io.intercommigrator.mapping.ThreadPlan;

class DeliverySampleTest {
    static ContactPlan contact(String sourceId, String name) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("role", "user").put("name", name);
        return new ContactPlan(new RecordKey("clickdesk", "contact", sourceId), null, payload, Map.of(), List.of(), Set.of());
    }

    static ThreadPlan thread(String sourceId, ThreadPlan.Kind kind) {
        return new ThreadPlan(new RecordKey("clickdesk", kind == ThreadPlan.Kind.TICKET ? "ticket" : "conversation", sourceId), kind,
                null, 1_700_000_000L, "hello", List.of(), null, null, Map.of(), Map.of(), Map.of(), null, null, List.of(), List.of());
    }

    /** 1000 contacts, 30 conversations, 1 ticket, each with the Intercom id "ic-" + its source id. */
    private static List<Runnable> deliveries(DeliverySample sample) {
        List<Runnable> all = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String id = "v" + i;
            all.add(() -> sample.contact(contact(id, "n" + id), "ic-" + id, null, false));
        }
        for (int i = 0; i < 30; i++) {
            String id = "c" + i;
            all.add(() -> sample.thread(thread(id, ThreadPlan.Kind.CONVERSATION), "ic-" + id));
        }
        all.add(() -> sample.thread(thread("t1", ThreadPlan.Kind.TICKET), "ic-t1"));
        return all;
    }

    private static List<String> ids(DeliverySample sample) {
        return sample.draw().stream().map(DeliverySample.Item::intercomId).toList();
    }

    @Test
    void sameSeedSameSampleWhateverTheOrderAndThreadsOfDelivery() throws Exception {
        DeliverySample inOrder = new DeliverySample(50, 42);
        deliveries(inOrder).forEach(Runnable::run);

        DeliverySample concurrent = new DeliverySample(50, 42);
        List<Runnable> shuffled = deliveries(concurrent);
        Collections.shuffle(shuffled, new Random(7));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        shuffled.forEach(pool::execute);
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        assertThat(ids(concurrent)).hasSize(50).doesNotHaveDuplicates().isEqualTo(ids(inOrder));

        DeliverySample otherSeed = new DeliverySample(50, 43);
        deliveries(otherSeed).forEach(Runnable::run);
        assertThat(ids(otherSeed)).hasSize(50).isNotEqualTo(ids(inOrder));
    }

    @Test
    void everyTypePresentGetsASlotAndTheRestIsSplitByVolume() {
        DeliverySample sample = new DeliverySample(10, 42);
        deliveries(sample).forEach(Runnable::run);

        Map<String, Long> byType = sample.draw().stream()
                .collect(Collectors.groupingBy(DeliverySample.Item::objectType, Collectors.counting()));

        // one each, then 7 more split 1000 : 30 : 1
        assertThat(byType).containsEntry("contact", 8L).containsEntry("conversation", 1L).containsEntry("ticket", 1L);
        assertThat(sample.delivered()).containsExactly(Map.entry("contact", 1000L), Map.entry("conversation", 30L),
                Map.entry("ticket", 1L));
    }

    @Test
    void moreTypesThanSlotsStillSamplesEveryType() {
        DeliverySample sample = new DeliverySample(2, 42);
        deliveries(sample).forEach(Runnable::run);

        assertThat(sample.draw()).extracting(DeliverySample.Item::objectType).containsExactly("contact", "conversation", "ticket");
    }

    @Test
    void aSmallRunIsSampledWholeAndSlotsATypeCannotUseGoToTheOthers() {
        DeliverySample sample = new DeliverySample(50, 42);
        for (int i = 0; i < 60; i++) {
            sample.contact(contact("v" + i, "n"), "ic-v" + i, null, false);
        }
        sample.thread(thread("c1", ThreadPlan.Kind.CONVERSATION), "ic-c1");
        sample.thread(thread("c2", ThreadPlan.Kind.CONVERSATION), "ic-c2");

        Map<String, Long> byType = sample.draw().stream()
                .collect(Collectors.groupingBy(DeliverySample.Item::objectType, Collectors.counting()));

        assertThat(byType).containsEntry("contact", 48L).containsEntry("conversation", 2L);
        assertThat(new DeliverySample(0, 42).draw()).isEmpty();
    }

    @Test
    void anObjectDeliveredTwiceIsOneItemWithThePlanSentLast() {
        DeliverySample sample = new DeliverySample(50, 42);
        sample.contact(contact("v1", "First"), "ic-same", null, false);
        sample.contact(contact("v2", "Second"), "ic-same", null, true);

        List<DeliverySample.Item> drawn = sample.draw();

        assertThat(drawn).hasSize(1);
        assertThat(((ContactPlan) drawn.get(0).plan()).payload().path("name").asText()).isEqualTo("Second");
        assertThat(drawn.get(0).merged()).isTrue();
        assertThat(sample.delivered()).containsEntry("contact", 1L);
    }

    /** A kind of thread delivered in small numbers beside a large one is still read back (a slot per type and kind). */
    @Test
    void everyKindOfThreadGetsASlotBesideALargerKindOfTheSameType() {
        DeliverySample sample = new DeliverySample(10, 42);
        for (int i = 0; i < 500; i++) {
            sample.thread(thread("c" + i, ThreadPlan.Kind.CONVERSATION), "ic-c" + i,
                    new DeliverySample.Origin("chats.json", i + 2, "clickdesk chats.json", null));
        }
        sample.thread(thread("social-s1", ThreadPlan.Kind.CONVERSATION), "ic-s1",
                new DeliverySample.Origin("social_messages.csv", 2, "clickdesk social_messages.csv", List.of()));

        List<DeliverySample.Item> drawn = sample.draw();

        assertThat(drawn).hasSize(10);
        assertThat(ids(sample)).contains("ic-s1");
        assertThat(sample.delivered()).as("reported per type").containsExactly(Map.entry("conversation", 501L));
    }

    /** Rows appended to one thread are one item of their own type, holding each row, whatever thread their thread is. */
    @Test
    void partsAppendedToAThreadAreOneItemHoldingEveryRow() {
        DeliverySample sample = new DeliverySample(50, 42);
        sample.thread(thread("t1", ThreadPlan.Kind.TICKET), "ic-t1");
        ThreadPlan.PartPlan m1 = new ThreadPlan.PartPlan("m1", ThreadPlan.Author.ADMIN, null, null, false, "We are checking", 1L, List.of());
        ThreadPlan.PartPlan m2 = new ThreadPlan.PartPlan("m2", ThreadPlan.Author.CONTACT, null, null, false, "Thank you", 2L, List.of());
        for (ThreadPlan.PartPlan part : List.of(m1, m2)) {
            ThreadPlan shell = new ThreadPlan(new RecordKey("clickdesk", "ticket", "t1"), ThreadPlan.Kind.TICKET, null, 0, "", List.of(),
                    null, null, Map.of(), Map.of(), Map.of(), null, null, List.of(part), List.of());
            sample.appended(DeliverySample.CONVERSATION_PART, shell, "ic-t1", new DeliverySample.Origin("ticket_messages.csv",
                    part == m1 ? 2 : 3, "clickdesk ticket_messages.csv", Map.of("message_id", part.partKey())));
        }

        List<DeliverySample.Item> drawn = sample.draw();

        assertThat(drawn).extracting(DeliverySample.Item::objectType).containsExactly("ticket", "conversation_part");
        DeliverySample.Item parts = drawn.get(1);
        assertThat(parts.intercomId()).isEqualTo("ic-t1");
        assertThat(parts.appendedParts()).isTrue();
        assertThat(((ThreadPlan) parts.plan()).parts()).containsExactly(m1, m2);
        assertThat(parts.origin().line()).isEqualTo(2);
        assertThat(parts.origin().record()).isEqualTo(List.of(Map.of("message_id", "m1"), Map.of("message_id", "m2")));
        assertThat(sample.delivered()).containsEntry("conversation_part", 1L);
    }

    /** The rank is FNV-1a over the UTF-8 bytes of type, NUL, source, then mixed with the seed: the same sample every run. */
    @Test
    void rankIsTheHashOfTheUtf8BytesWhateverTheText() {
        DeliverySample sample = new DeliverySample(5, 42);
        for (String source : List.of("clickdesk/contact/v1", "clickdesk/contact/Müller", "", "\u0000", "日本/🙂")) {
            long h = 0xcbf29ce484222325L;
            for (byte b : ("contact\u0000" + source).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                h ^= b & 0xff;
                h *= 0x100000001b3L;
            }
            long z = h ^ (42 * 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            assertThat(sample.rank("contact", source)).as(source).isEqualTo(z ^ (z >>> 31));
        }
    }
}
