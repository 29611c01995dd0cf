package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import io.intercommigrator.fake.FakeIntercom;
import io.intercommigrator.testing.AgainstFakeIntercom;
import io.intercommigrator.testing.MigrationInvariants;
import io.intercommigrator.testing.MigratorHarness;
import io.intercommigrator.testing.MigratorHarness.Result;

/**
 * ticket_messages.csv rows append to tickets in parallel across tickets and in file order within each ticket, even
 * when the file interleaves the tickets, Intercom answers slowly and the first replies fail and wait for their retry.
 */
class ThreadOrderEndToEndTest extends AgainstFakeIntercom {
    private static final String TOKEN = "tok_thread_order";
    private static final int TICKETS = 12;
    private static final int MESSAGES = 8;

    @Override
    protected String token() {
        return TOKEN;
    }

    @Override
    protected FakeIntercom.Builder configure(FakeIntercom.Builder server) {
        return server.limitPer10s(20_000).latencyMillis(25).admin("sam@acme.test", "Sam");
    }

    @Override
    protected MigratorHarness configure(MigratorHarness harness) {
        return harness.set("verification.sample-size", "0").set("intercom.rate-limit-per-minute", "120000");
    }

    private static String text(int ticket, int message) {
        return "ticket " + ticket + " message " + message;
    }

    @Test
    void messagesOfOneTicketKeepFileOrderWhileTicketsGoInParallel() {
        StringBuilder visitors = new StringBuilder("visitor_id,name,email\n");
        StringBuilder tickets = new StringBuilder("ticket_id,subject,body,status,priority,channel,department,agent_email,"
                + "visitor_id,visitor_name,visitor_email,created_at,updated_at,tags\n");
        for (int t = 1; t <= TICKETS; t++) {
            visitors.append("v").append(t).append(",Visitor ").append(t).append(",visitor").append(t).append("@example.com\n");
            tickets.append("t").append(t).append(",Subject ").append(t).append(",Opening ").append(t)
                    .append(",open,low,web,,sam@acme.test,v").append(t).append(",Visitor ").append(t).append(",visitor")
                    .append(t).append("@example.com,2025-03-0").append(1 + t % 9).append("T10:00:00Z,,\n");
        }
        migrator.drop("clickdesk/visitors.csv", visitors.toString());
        migrator.drop("clickdesk/tickets.csv", tickets.toString());
        assertThat(migrator.once().exitCode()).isZero();
        intercom.resetMaxInFlight();

        // round robin over the tickets, so a strictly sequential reader would never have two tickets in flight; the
        // created_at times run backwards within a ticket, so order by time would differ from file order
        StringBuilder messages = new StringBuilder("ticket_id,message_id,author_type,author_email,body,created_at,attachments\n");
        for (int m = 1; m <= MESSAGES; m++) {
            for (int t = 1; t <= TICKETS; t++) {
                messages.append("t").append(t).append(",m").append(t).append("-").append(m).append(",agent,sam@acme.test,")
                        .append(text(t, m)).append(",2025-03-20T10:").append(String.format("%02d", 59 - m)).append(":00Z,\n");
            }
        }
        migrator.drop("clickdesk/ticket_messages.csv", messages.toString());
        // the first replies fail (not applied) and are sent again after a back-off; the later messages of their tickets
        // are in flight meanwhile and must wait for them, not overtake them (without the order step they do)
        intercom.faultsOnlyFor("POST", "/(conversations|tickets)/[^/]+/reply").failNext(3, 503);
        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(migrator.deadLetters()).isEmpty();
        assertThat(intercom.stats().path("max_in_flight").asInt()).as("replies to different tickets at the same time")
                .isGreaterThan(1);
        MigrationInvariants.assertNoDuplicates(intercom);
        List<ObjectNode> threads = new ArrayList<>(intercom.conversations());
        threads.addAll(intercom.tickets());
        assertThat(threads).hasSize(TICKETS);
        for (ObjectNode thread : threads) {
            String id = thread.path("id").asText();
            List<String> bodies = new ArrayList<>();
            for (JsonNode p : intercom.partsAsReceived(id)) {
                if (p.path("body").asText().contains(" message ")) {
                    bodies.add(p.path("body").asText());
                }
            }
            assertThat(bodies).as("parts of %s as received", id).hasSize(MESSAGES);
            String ticket = bodies.get(0).substring("ticket ".length(), bodies.get(0).indexOf(" message"));
            List<String> expected = new ArrayList<>();
            for (int m = 1; m <= MESSAGES; m++) {
                expected.add(text(Integer.parseInt(ticket), m));
            }
            assertThat(bodies).as("file order within ticket t%s", ticket).containsExactlyElementsOf(expected);
        }
        assertThat(run.counts("conversation_part").path("created").asLong()).isEqualTo((long) TICKETS * MESSAGES);
        run.assertAddsUp();
    }
}
