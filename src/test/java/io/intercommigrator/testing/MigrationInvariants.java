package io.intercommigrator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.assertj.core.api.SoftAssertions;

import io.intercommigrator.fake.FakeIntercom;
import io.intercommigrator.testing.ClickDeskDrop.Size;

/**
 * What a migration of a {@link ClickDeskDrop} must leave behind, whatever faults or crashes happened on the way:
 * nothing twice (contacts, conversations, tickets, parts), nothing lost (each source record delivered, skipped or
 * dead-lettered with its error), every thread whole and in order.
 */
public final class MigrationInvariants {
    private MigrationInvariants() {
    }

    /** Zero duplicates in the workspace: contacts by email and external_id, threads by contact + created_at, parts. */
    public static void assertNoDuplicates(FakeIntercom intercom) {
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(intercom.duplicateEmails()).as("contacts sharing an email").isEmpty();
        soft.assertThat(intercom.duplicateExternalIds()).as("contacts sharing an external_id").isEmpty();
        soft.assertThat(intercom.duplicateConversations()).as("conversations repeating contact + created_at").isEmpty();
        soft.assertThat(intercom.duplicateTickets()).as("tickets repeating contact + created_at").isEmpty();
        soft.assertThat(intercom.duplicateParts()).as("parts repeating part_type + created_at + body in one thread").isEmpty();
        soft.assertThat(intercom.repeatedAssignments()).as("conversations assigned more than once").isEmpty();
        soft.assertAll();
    }

    /** The source records the dead letters name: "chat:c7", "ticket:t3", "ticket_message:m3_1", "visitor:v9", "tag:<line>". */
    public static Set<String> deadSources(List<JsonNode> deadLetters) {
        Set<String> out = new HashSet<>();
        for (JsonNode d : deadLetters) {
            String file = d.path("source_file").asText();
            JsonNode r = d.path("source_record");
            if (file.endsWith("chats.json")) {
                out.add("chat:" + r.path("chat_id").asText());
            } else if (file.endsWith("ticket_messages.csv")) {
                out.add("ticket_message:" + r.path("message_id").asText());
            } else if (file.endsWith("tickets.csv")) {
                out.add("ticket:" + r.path("ticket_id").asText());
            } else if (file.endsWith("visitors.csv")) {
                out.add("visitor:" + r.path("visitor_id").asText());
            } else {
                out.add("tag:" + d.path("line").asText());
            }
        }
        return out;
    }

    /** Every dead letter says what went wrong; there are at most {@code max} of them. */
    public static void assertDeadLettersExplained(List<JsonNode> deadLetters, int max) {
        assertThat(deadLetters).as("dead letters").hasSizeLessThanOrEqualTo(max);
        assertThat(deadLetters).allSatisfy(d -> {
            assertThat(d.path("error").path("message").asText()).as("dead letter error of " + d).isNotBlank();
            assertThat(d.path("error").path("stage").asText()).isNotBlank();
            assertThat(d.path("attempts").asInt()).isPositive();
        });
    }

    /**
     * The reconciliation report adds up for every object type, and every record of the drop is in it: contacts,
     * chats and tickets by their rows; parts by the ticket messages plus the parts of every chat not dead-lettered.
     */
    public static void assertAccounted(JsonNode report, Size size, Set<String> dead) {
        JsonNode objects = report.path("objects");
        objects.fields().forEachRemaining(e -> {
            JsonNode c = e.getValue();
            assertThat(accounted(c)).as("report adds up for " + e.getKey() + ": " + c).isEqualTo(c.path("source").asLong());
        });
        long deadChats = dead.stream().filter(s -> s.startsWith("chat:")).count();
        // every visitor, and the walk-ins (every 10th chat's visitor is in no visitors.csv) as their chats create them
        assertThat(objects.path("contact").path("source").asLong()).as("visitors and walk-ins")
                .isBetween((long) size.visitors(), (long) size.visitors() + size.chats() / 10);
        // a ticket counts as what the routing rule made it (web / phone: a ticket; chat, closed email: a conversation)
        long routed = java.util.stream.IntStream.rangeClosed(1, size.tickets()).filter(j -> !ClickDeskDrop.ticketIsTicket(j)).count();
        assertThat(objects.path("conversation").path("source").asLong()).as("chats and the tickets routed to conversations")
                .isEqualTo(size.chats() + routed);
        assertThat(objects.path("ticket").path("source").asLong()).as("tickets that stay tickets").isEqualTo(size.tickets() - routed);
        assertThat(objects.path("conversation_part").path("source").asLong()).as("chat parts + ticket messages")
                .isEqualTo((size.chats() - deadChats) * (ClickDeskDrop.MESSAGES_PER_CHAT - 1) + size.ticketMessages());
        assertThat(objects.path("tag").path("source").asLong()).as("tags.csv rows and the tags they carry")
                .isGreaterThanOrEqualTo(size.tags());
    }

    public static long accounted(JsonNode counts) {
        return counts.path("created").asLong() + counts.path("updated").asLong() + counts.path("unchanged").asLong()
                + counts.path("skipped").asLong() + counts.path("dead_lettered").asLong();
    }

    /**
     * Every chat and ticket not dead-lettered is in Intercom exactly once, opened by its first message, with every
     * later message as a part, in the order the source has them (as received, not as sorted for display).
     */
    public static void assertThreadsWhole(FakeIntercom intercom, Size size, Set<String> dead) {
        Map<Long, List<ObjectNode>> conversationsByCreated = new HashMap<>();
        for (ObjectNode c : intercom.conversations()) {
            conversationsByCreated.computeIfAbsent(c.path("created_at").asLong(), k -> new ArrayList<>()).add(c);
        }
        Map<Long, List<ObjectNode>> ticketsByCreated = new HashMap<>();
        for (ObjectNode t : intercom.tickets()) {
            ticketsByCreated.computeIfAbsent(t.path("created_at").asLong(), k -> new ArrayList<>()).add(t);
        }
        SoftAssertions soft = new SoftAssertions();
        int wholeChats = 0;
        for (int j = 1; j <= size.chats(); j++) {
            if (dead.contains("chat:" + ClickDeskDrop.chatId(j))) {
                continue;
            }
            List<ObjectNode> found = conversationsByCreated.getOrDefault(ClickDeskDrop.chatStart(j), List.of());
            soft.assertThat(found).as("conversations of chat c" + j).hasSize(1);
            if (found.size() != 1) {
                continue;
            }
            ObjectNode c = found.get(0);
            List<String> texts = ClickDeskDrop.chatTexts(j);
            soft.assertThat(c.path("source").path("body").asText()).as("chat c" + j + " opening").isEqualTo(texts.get(0));
            soft.assertThat(messageBodies(intercom, c.path("id").asText())).as("parts of chat c" + j + " as received")
                    .hasSize(texts.size() - 1)
                    .satisfies(bodies -> {
                        for (int m = 1; m < texts.size(); m++) {
                            assertThat(bodies.get(m - 1)).endsWith(texts.get(m));
                        }
                    });
            wholeChats++;
        }
        for (int j = 1; j <= size.tickets(); j++) {
            if (dead.contains("ticket:" + ClickDeskDrop.ticketId(j))) {
                continue;
            }
            Map<Long, List<ObjectNode>> index = ClickDeskDrop.ticketIsTicket(j) ? ticketsByCreated : conversationsByCreated;
            List<ObjectNode> found = index.getOrDefault(ClickDeskDrop.ticketCreated(j), List.of());
            soft.assertThat(found).as("threads of ticket t" + j).hasSize(1);
            if (found.size() != 1) {
                continue;
            }
            List<String> expected = new ArrayList<>();
            for (int k = 1; k <= ClickDeskDrop.MESSAGES_PER_TICKET; k++) {
                if (!dead.contains("ticket_message:m" + j + "_" + k)) {
                    expected.add(ClickDeskDrop.ticketMessageText(j, k));
                }
            }
            soft.assertThat(messageBodies(intercom, found.get(0).path("id").asText())).as("parts of ticket t" + j)
                    .isEqualTo(expected);
        }
        soft.assertThat(wholeChats).as("chats delivered whole").isPositive();
        soft.assertAll();
    }

    /** Bodies of the comment and note parts of a thread, in the order they arrived. */
    private static List<String> messageBodies(FakeIntercom intercom, String threadId) {
        List<String> out = new ArrayList<>();
        long last = Long.MIN_VALUE;
        for (ObjectNode p : intercom.partsAsReceived(threadId)) {
            String type = p.path("part_type").asText();
            if (type.equals("comment") || type.equals("note")) {
                long at = p.path("created_at").asLong();
                assertThat(at).as("part created_at after the one before it in " + threadId).isGreaterThanOrEqualTo(last);
                last = at;
                out.add(p.path("body").asText());
            }
        }
        return out;
    }
}
