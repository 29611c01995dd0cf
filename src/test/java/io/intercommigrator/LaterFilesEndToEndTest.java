package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import io.intercommigrator.testing.AgainstFakeIntercom;
import io.intercommigrator.testing.MigratorHarness.Result;

/**
 * Two classes found by bench/permutations.sh on the generator's full ClickDesk export (SCALE=1: 1 of 5 orders
 * matched the bundle), each dropped one file per --once run in the order that broke it:
 * <ul>
 * <li>ticket_messages.csv before tickets.csv: the closed email ticket (a conversation) was closed at the end of the
 * batch, re-opened by its contact replies from the end-of-run replay and closed again: two close parts, where the
 * bundle has one.</li>
 * <li>voip_calls.csv before chats.json: the call made a lead by visitor id (no email); the chat, bringing the
 * email, filled it in but left the role: a lead with an email, where the bundle has a user.</li>
 * </ul>
 */
class LaterFilesEndToEndTest extends AgainstFakeIntercom {
    private static final String TOKEN = "tok_later_files";

    @Override
    protected String token() {
        return TOKEN;
    }

    private void once(String file, String csv) {
        migrator.drop("clickdesk/" + file, csv);
        Result run = migrator.once();
        assertThat(run.exitCode()).as(file).isZero();
        run.assertAddsUp();
    }

    @Test
    void aClosedConversationWhoseMessagesCameFirstIsClosedOnceAfterItsLastMessage() {
        once("visitors.csv", ClickDeskEndToEndTest.BUNDLE.get("visitors.csv"));
        once("ticket_messages.csv", """
                ticket_id,message_id,author_type,author_email,body,created_at,attachments
                t2,m1,visitor,anna@example.de,Still broken?,2025-03-06T11:00:00Z,
                t2,m2,agent,sam@acme.test,Fixed now,2025-03-06T12:00:00Z,
                t2,m3,visitor,anna@example.de,Thanks!,2025-03-06T13:00:00Z,
                """);
        once("tickets.csv", """
                ticket_id,subject,body,status,priority,channel,department,agent_email,visitor_id,visitor_name,visitor_email,created_at,updated_at,tags
                t2,Old email,Thanks for the fix,closed,low,email,Support,sam@acme.test,v1,Anna Müller,anna@example.de,2025-03-06T10:00:00Z,,
                """);

        List<ObjectNode> conversations = intercom.conversations();
        assertThat(conversations).hasSize(1);
        JsonNode t2 = conversations.get(0);
        assertThat(t2.path("state").asText()).isEqualTo("closed");
        List<String> types = new java.util.ArrayList<>();
        t2.path("conversation_parts").path("conversation_parts").forEach(p -> types.add(p.path("part_type").asText()));
        assertThat(types).as("parts of " + t2.path("id").asText()).filteredOn("close"::equals).hasSize(1);
        assertThat(types.get(types.size() - 1)).as("the close after the last message").isEqualTo("close");
    }

    @Test
    void aLeadACallMadeByVisitorIdBecomesAUserWhenItsChatBringsTheEmail() {
        once("voip_calls.csv", """
                call_id,visitor_id,phone,agent_email,direction,started_at,duration_seconds,recording_url,notes
                p9,v9,+49 9,sam@acme.test,inbound,2025-03-09T08:00:00Z,30,,Call back
                """);
        once("chats.json", """
                {"session": [
                  {"chat_id": "c9", "visitor_id": "v9", "name": "Neu Besucher", "email": "neu@example.de",
                   "start_time": "1741100000000",
                   "messages": [{"time": "1741100000000", "from": "visitor", "text": "Is anyone there?"}]}
                ]}
                """);

        List<ObjectNode> v9 = intercom.contacts().stream()
                .filter(c -> "v9".equals(c.path("external_id").asText()) || "neu@example.de".equals(c.path("email").asText()))
                .toList();
        assertThat(v9).as("one contact for v9").hasSize(1);
        assertThat(v9.get(0).path("role").asText() + " " + v9.get(0).path("email").asText()).isEqualTo("user neu@example.de");
    }
}
