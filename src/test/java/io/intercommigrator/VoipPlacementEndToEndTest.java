package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import io.intercommigrator.fake.FakeIntercom;
import io.intercommigrator.testing.AgainstFakeIntercom;
import io.intercommigrator.testing.MigratorHarness.Result;

/**
 * ClickDesk VoIP call placement (mapping.md): a call is an admin note on the visitor's conversation whose span (first
 * to last message, widened by clickdesk.voip.attach-window-minutes = 30 on each side) holds its start, the nearest
 * when several do; otherwise a conversation of its own. Never a note on a thread from another day.
 */
class VoipPlacementEndToEndTest extends AgainstFakeIntercom {
    private static final String TOKEN = "tok_voip";

    // Anna's three chats: A 2024-03-01 10:00–10:10, C 2024-03-01 11:00–11:05, B 2026-05-01 09:00–09:02 (UTC)
    static final long A = 1709287200L;
    static final long C = 1709290800L;
    static final long B = 1777626000L;

    static final String VISITORS = """
            visitor_id,name,email,phone
            v1,Anna Müller,anna@example.de,+49 1
            """;

    static final String CHATS = "{\"session\": [" + chat("cA", A, 300, 600) + "," + chat("cC", C, 300) + ","
            + chat("cB", B, 120) + "]}";

    /** A chat of v1 opened at {@code start} (seconds) with one more message {@code offsets} seconds later each. */
    static String chat(String id, long start, long... offsets) {
        StringBuilder messages = new StringBuilder("{\"time\": \"" + start * 1000 + "\", \"from\": \"visitor\", \"text\": \"" + id + " opens\"}");
        for (long o : offsets) {
            messages.append(", {\"time\": \"").append((start + o) * 1000).append("\", \"from\": \"visitor\", \"text\": \"")
                    .append(id).append(" at +").append(o).append("\"}");
        }
        return "{\"chat_id\": \"" + id + "\", \"visitor_id\": \"v1\", \"name\": \"Anna Müller\", \"email\": \"anna@example.de\","
                + " \"start_time\": \"" + start * 1000 + "\", \"messages\": [" + messages + "]}";
    }

    static String calls(String... rows) {
        return "call_id,visitor_id,phone,agent_email,direction,started_at,duration_seconds,recording_url,notes\n"
                + String.join("\n", rows) + "\n";
    }

    /** A call of v1; its notes column says which call it is ("call p1"). */
    static String call(String id, String startedAt) {
        return id + ",v1,+49 1,sam@acme.test,inbound," + startedAt + ",60,,call " + id;
    }

    @Override
    protected String token() {
        return TOKEN;
    }

    @Override
    protected FakeIntercom.Builder configure(FakeIntercom.Builder server) {
        return server.admin("sam@acme.test", "Sam Support");
    }

    private ObjectNode conversationCreatedAt(long createdAt) {
        return intercom.conversations().stream().filter(c -> c.path("created_at").asLong() == createdAt).findFirst()
                .orElseThrow(() -> new AssertionError("no conversation created at " + createdAt + ": " + intercom.conversations()));
    }

    /** The call notes of a conversation, as "call id@created_at", in the conversation's order. */
    private static List<String> callNotes(JsonNode conversation) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : conversation.path("conversation_parts").path("conversation_parts")) {
            String body = p.path("body").asText();
            if (p.path("part_type").asText().equals("note") && body.contains("Phone call")) {
                assertThat(p.path("author").path("type").asText()).isEqualTo("admin");
                out.add(body.substring(body.indexOf("call p")).split("[\\s<]")[1] + "@" + p.path("created_at").asLong());
            }
        }
        return out;
    }

    /** The conversations a call opened (its own: no chat's span held it). */
    private List<ObjectNode> callsOwnConversations() {
        return intercom.conversations().stream().filter(c -> c.path("source").path("body").asText().startsWith("Phone call"))
                .toList();
    }

    @Test
    void aCallJoinsTheChatWhoseWidenedSpanHoldsItsStartTheNearestWhenSeveralDoElseOpensItsOwn() {
        migrator.drop("clickdesk/visitors.csv", VISITORS);
        migrator.drop("clickdesk/chats.json", CHATS);
        migrator.drop("clickdesk/voip_calls.csv", calls(
                call("p1", "2024-03-01 10:05:00"),          // inside A (a local time, ClickDesk zone UTC)
                call("p6", "2024-03-01T10:34:00Z"),         // 24 min after A, 26 min before C: both windows, A nearer
                call("p7", "1709289960000"),                // 10:46 (Unix ms): 36 min after A, 14 before C → C
                call("p2", "2025-01-01T12:00:00Z"),         // no chat that day → its own conversation
                call("p3", "2026-05-01T11:32:00+02:00"),    // exactly 30 min after B's last message → B
                call("p4", "2026-05-01 09:32:01")));        // one second later → its own conversation

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(callNotes(conversationCreatedAt(A))).containsExactly("p1@1709287500", "p6@1709289240");
        assertThat(callNotes(conversationCreatedAt(C))).containsExactly("p7@1709289960");
        assertThat(callNotes(conversationCreatedAt(B))).containsExactly("p3@1777627920");
        assertThat(callsOwnConversations()).extracting(c -> callNotes(c).get(0))
                .containsExactlyInAnyOrder("p2@1735732800", "p4@1777627921");
        assertThat(intercom.conversations()).hasSize(5);
        assertThat(run.counts("note").path("created").asLong()).isEqualTo(6);
        run.assertAddsUp();
    }

    @Test
    void aCallDroppedAfterItsChatsInALaterRunJoinsTheOneWhoseSpanHoldsIt() {
        migrator.drop("clickdesk/visitors.csv", VISITORS);
        migrator.drop("clickdesk/chats.json", CHATS);
        assertThat(migrator.once().exitCode()).isZero();
        migrator.drop("clickdesk/voip_calls.csv", calls(call("p1", "2024-03-01T10:05:00Z"), call("p3", "1777627920")));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(callNotes(conversationCreatedAt(A))).containsExactly("p1@1709287500");
        assertThat(callNotes(conversationCreatedAt(B))).containsExactly("p3@1777627920");
        assertThat(callNotes(conversationCreatedAt(C))).isEmpty();
        assertThat(callsOwnConversations()).isEmpty();
    }

    /**
     * A ticket the routing rule makes a conversation (email, closed) is a span too, widened by its ticket_messages.csv
     * rows: a call 20 minutes after the last message, four hours after the ticket opened, joins it. An Intercom ticket
     * (web, open) is no span: the call on its day opens a conversation of its own.
     */
    @Test
    void aTicketRoutedToAConversationIsASpanWidenedByItsMessages() {
        migrator.drop("clickdesk/visitors.csv", VISITORS);
        migrator.drop("clickdesk/tickets.csv", """
                ticket_id,subject,body,status,priority,channel,department,agent_email,visitor_id,visitor_name,visitor_email,created_at,updated_at,tags
                t2,Old email,Thanks for the fix,closed,low,email,,,v1,Anna Müller,anna@example.de,2025-03-06T10:00:00Z,,
                t1,Invoice wrong,The invoice total is wrong,open,high,web,,,v1,Anna Müller,anna@example.de,2025-03-05T10:00:00Z,,
                """);
        migrator.drop("clickdesk/ticket_messages.csv", """
                ticket_id,message_id,author_type,author_email,body,created_at,attachments
                t2,m1,visitor,anna@example.de,One more thing,2025-03-06T14:00:00Z,
                """);
        assertThat(migrator.once().exitCode()).isZero();
        migrator.drop("clickdesk/voip_calls.csv", calls(call("p1", "2025-03-06T14:20:00Z"), call("p2", "2025-03-05T10:05:00Z")));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(callNotes(conversationCreatedAt(1741255200L))).containsExactly("p1@1741270800");
        assertThat(callsOwnConversations()).extracting(c -> callNotes(c).get(0)).containsExactly("p2@1741169100");
        assertThat(intercom.tickets()).hasSize(1);
    }

    /**
     * A call dropped before the chat it belongs to knows no span: it opens its own conversation; when the chat arrives,
     * the call's note moves onto it and the call's own conversation is deleted, as if the chat had come first. A later
     * export's calls join the chats; the first call is not repeated.
     */
    @Test
    void aCallDroppedBeforeItsChatMovesOntoTheChatWhenItArrivesAndLaterCallsJoinTheChats() {
        migrator.drop("clickdesk/visitors.csv", VISITORS);
        migrator.drop("clickdesk/voip_calls.csv", calls(call("p1", "2024-03-01T10:05:00Z"), call("p2", "2025-01-01T12:00:00Z")));
        assertThat(migrator.once().exitCode()).isZero();
        assertThat(callsOwnConversations()).hasSize(2);

        migrator.drop("clickdesk/chats.json", CHATS);
        assertThat(migrator.once().exitCode()).isZero();
        assertThat(callsOwnConversations()).as("p2: no chat that day, still its own").hasSize(1).first()
                .extracting(VoipPlacementEndToEndTest::callNotes).isEqualTo(List.of("p2@1735732800"));
        assertThat(callNotes(conversationCreatedAt(A))).containsExactly("p1@1709287500");
        migrator.drop("clickdesk/voip_calls.csv", calls(call("p1", "2024-03-01T10:05:00Z"), call("p2", "2025-01-01T12:00:00Z"),
                call("p8", "2024-03-01T10:08:00Z"), call("p9", "2026-05-01T09:01:00Z")));
        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(callsOwnConversations()).hasSize(1);
        assertThat(callNotes(conversationCreatedAt(A))).containsExactly("p1@1709287500", "p8@1709287680");
        assertThat(callNotes(conversationCreatedAt(B))).containsExactly("p9@1777626060");
        assertThat(intercom.conversations()).hasSize(4);
        assertThat(intercom.stats().path("duplicate_parts").asInt()).isZero();
        run.assertAddsUp();
    }
}
