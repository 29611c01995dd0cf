package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.intercommigrator.fake.FakeIntercom.RecordedRequest;
import io.intercommigrator.testing.AgainstFakeIntercom;
import io.intercommigrator.testing.MigratorHarness;
import io.intercommigrator.testing.MigratorHarness.Result;

/** Delta at cutover: a newer export moves only what changed. */
class DeltaEndToEndTest extends AgainstFakeIntercom {
    private static final String TOKEN = "tok_delta";

    @Override
    protected String token() {
        return TOKEN;
    }

    @Override
    protected MigratorHarness configure(MigratorHarness harness) {
        return harness.set("verification.sample-size", "0");
    }

    private static String visitors(int count, String changedSuffix, int changed) {
        StringBuilder csv = new StringBuilder("visitor_id,name,email\n");
        for (int i = 1; i <= count; i++) {
            csv.append("v").append(i).append(",Visitor ").append(i).append(i <= changed ? changedSuffix : "")
                    .append(",visitor").append(i).append("@example.com\n");
        }
        return csv.toString();
    }

    private static String chat(int messages) {
        StringBuilder m = new StringBuilder();
        for (int i = 0; i < messages; i++) {
            m.append(i == 0 ? "" : ",").append("{\"time\":\"").append(1741000000000L + i * 60_000L)
                    .append("\",\"from\":\"visitor\",\"text\":\"message ").append(i).append("\"}");
        }
        return "{\"session\":[{\"chat_id\":\"c1\",\"visitor_id\":\"v1\",\"email\":\"visitor1@example.com\","
                + "\"start_time\":\"1741000000000\",\"messages\":[" + m + "]}]}";
    }

    @Test
    void threeChangedTwoNewTheRestUnchangedSendExactlyThoseRequests() {
        migrator.drop("clickdesk/visitors.csv", visitors(20, "", 0));
        migrator.drop("clickdesk/chats.json", chat(3));
        migrator.once();
        int before = intercom.requests().size();

        migrator.drop("clickdesk/visitors.csv", visitors(22, " (renamed)", 3));
        migrator.drop("clickdesk/chats.json", chat(5));
        Result delta = migrator.once();

        List<RecordedRequest> sent = intercom.requests().subList(before, intercom.requests().size());
        List<RecordedRequest> writes = sent.stream().filter(r -> !r.method().equals("GET")).toList();
        assertThat(writes).filteredOn(r -> r.method().equals("PUT") && r.path().startsWith("/contacts/")).hasSize(3);
        assertThat(writes).filteredOn(r -> r.method().equals("POST") && r.path().equals("/contacts")).hasSize(2);
        assertThat(writes).filteredOn(r -> r.path().endsWith("/reply")).as("only the 2 new messages are appended").hasSize(2);
        assertThat(writes).filteredOn(r -> r.path().equals("/conversations")).isEmpty();
        assertThat(delta.counts("contact").path("unchanged").asLong()).isEqualTo(17);
        assertThat(delta.counts("contact").path("updated").asLong()).isEqualTo(3);
        assertThat(delta.counts("contact").path("created").asLong()).isEqualTo(2);
        assertThat(delta.counts("conversation").path("updated").asLong()).isEqualTo(1);
        assertThat(intercom.conversations()).singleElement().satisfies(c -> assertThat(
                c.path("conversation_parts").path("conversation_parts").findValuesAsText("body"))
                .containsExactly("message 1", "message 2", "message 3", "message 4"));
        assertThat(intercom.contacts()).hasSize(22);
        delta.assertAddsUp();
    }

    private static String ticket(String status, String priority) {
        return "ticket_id,subject,body,status,priority,channel,department,agent_email,visitor_id,visitor_name,visitor_email,"
                + "created_at,updated_at,tags\n"
                + "t1,Broken login,Cannot log in," + status + "," + priority + ",web,,,v1,Visitor 1,visitor1@example.com,"
                + "2025-03-07T10:00:00Z,,\n";
    }

    /** A ticket whose row changed since an earlier run is updated in place; rolling that run back puts its fields back. */
    @Test
    void aChangedTicketIsUpdatedAndItsRollbackRestoresIt() {
        migrator.drop("clickdesk/tickets.csv", ticket("open", "high"));
        assertThat(migrator.once().counts("ticket").path("created").asLong()).isEqualTo(1);
        String id = intercom.tickets().get(0).path("id").asText();

        migrator.drop("clickdesk/tickets.csv", ticket("closed", "low"));
        Result delta = migrator.once();

        assertThat(delta.exitCode()).isZero();
        assertThat(delta.counts("ticket").path("updated").asLong()).isEqualTo(1);
        assertThat(intercom.tickets()).singleElement().satisfies(t -> {
            assertThat(t.path("id").asText()).isEqualTo(id);
            assertThat(t.path("ticket_attributes").path("status").asText()).isEqualTo("closed");
            assertThat(t.path("ticket_attributes").path("priority").asText()).isEqualTo("low");
        });

        Result rollback = migrator.run(java.util.List.of("rollback", delta.report().path("run_id").asText()));

        assertThat(rollback.exitCode()).isZero();
        assertThat(intercom.tickets()).singleElement().satisfies(t -> {
            assertThat(t.path("ticket_attributes").path("status").asText()).isEqualTo("open");
            assertThat(t.path("ticket_attributes").path("priority").asText()).isEqualTo("high");
        });
    }
}
