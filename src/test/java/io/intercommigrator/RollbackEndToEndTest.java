package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import io.intercommigrator.fake.FakeIntercom;
import io.intercommigrator.testing.AgainstFakeIntercom;
import io.intercommigrator.testing.MigratorHarness.Result;

import io.intercommigrator.core.ExitCode;
/** rollback through the real CLI: the workspace returns to its state before the run, for what the API can undo. */
class RollbackEndToEndTest extends AgainstFakeIntercom {
    private static final String TOKEN = "tok_rollback";

    @Override
    protected String token() {
        return TOKEN;
    }

    @Override
    protected FakeIntercom.Builder configure(FakeIntercom.Builder server) {
        return server.admin("sam@acme.test", "Sam");
    }

    private Map<String, Object> state() {
        return state(intercom);
    }

    /** What the API lets a rollback restore: live contacts (fields, non-null attributes, tags), live tags and attributes, threads. */
    static Map<String, Object> state(FakeIntercom intercom) {
        Map<String, Object> s = new TreeMap<>();
        List<String> contacts = new ArrayList<>();
        for (ObjectNode c : intercom.contacts()) {
            Map<String, String> attrs = new TreeMap<>();
            c.path("custom_attributes").fields().forEachRemaining(f -> {
                if (!f.getValue().isNull()) {
                    attrs.put(f.getKey(), f.getValue().asText());
                }
            });
            contacts.add(c.path("id").asText() + "|" + c.path("email").asText() + "|" + c.path("name").asText() + "|"
                    + c.path("role").asText() + "|" + c.path("external_id").asText() + "|" + attrs + "|"
                    + c.path("tags").path("data").findValuesAsText("name"));
        }
        contacts.sort(null);
        s.put("contacts", contacts);
        s.put("tags", intercom.tags().stream().map(t -> t.path("name").asText()).sorted().toList());
        s.put("attributes", intercom.dataAttributes().stream().filter(a -> !a.path("archived").asBoolean())
                .map(a -> a.path("name").asText()).sorted().toList());
        s.put("conversation_attributes", intercom.conversationAttributes().stream().filter(a -> !a.path("archived").asBoolean())
                .map(a -> a.path("name").asText()).sorted().toList());
        s.put("conversations", intercom.conversations().size());
        s.put("tickets", intercom.tickets().size());
        return s;
    }

    @Test
    void rollbackRestoresTheWorkspaceAndIsIdempotent() throws Exception {
        ObjectNode existing = JsonNodeFactory.instance.objectNode().put("email", "anna@example.de").put("name", "Anna (CRM)")
                .put("role", "user").put("external_id", "crm-1");
        intercom.seedContact(existing);
        Map<String, Object> before = state();
        migrator.drop("clickdesk-export.zip", BundleZips.zip(Map.of(
                "visitors.csv", "visitor_id,name,email,tags\nv1,Anna Müller,anna@example.de,vip\nv2,Bob,bob@example.com,vip|new\n",
                "chats.json", "{\"session\":[{\"chat_id\":\"c1\",\"visitor_id\":\"v2\",\"email\":\"bob@example.com\",\"start_time\":\"1741000000000\","
                        + "\"tags\":[\"billing\"],\"messages\":[{\"time\":\"1741000000000\",\"from\":\"visitor\",\"text\":\"Hi\"},"
                        + "{\"time\":\"1741000060000\",\"from\":\"agent\",\"sender_email\":\"sam@acme.test\",\"text\":\"Hello\"}]}]}",
                "tickets.csv", "ticket_id,subject,body,status,channel,visitor_id,visitor_email,created_at\n"
                        + "t1,Help,Broken,open,web,v1,anna@example.de,2025-03-05T10:00:00Z\n")));
        Result run = migrator.once();
        assertThat(run.exitCode()).isZero();
        assertThat(state()).isNotEqualTo(before);
        String runId = run.report().path("run_id").asText();

        Result rollback = migrator.run(List.of("rollback", runId));

        assertThat(rollback.exitCode()).isZero();
        assertThat(state()).isEqualTo(before);
        Path report = Files.list(home.resolve("reports")).map(p -> p.resolve("rollback.json")).filter(Files::exists)
                .findFirst().orElseThrow();
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(report)))
                .as("the rollback report lists ids of the workspace's objects: owner-only").isEqualTo("rw-------");
        assertThat(json.path("rolled_back_run").asText()).isEqualTo(runId);
        assertThat(json.path("undone").toString()).contains("deleted contact", "restored contact", "deleted conversation",
                "deleted ticket", "archived contact attribute");

        // a second rollback finds everything undone already and sends no write
        int requests = intercom.requests().size();
        Result again = migrator.run(List.of("rollback", runId));
        assertThat(again.exitCode()).isZero();
        assertThat(intercom.requests().subList(requests, intercom.requests().size()))
                .allSatisfy(r -> assertThat(r.method()).isEqualTo("GET"));
        assertThat(state()).isEqualTo(before);

        // the same bundle can be migrated again after the rollback
        migrator.drop("clickdesk-export.zip", BundleZips.zip(Map.of(
                "visitors.csv", "visitor_id,name,email,tags\nv1,Anna Müller,anna@example.de,vip\nv2,Bob,bob@example.com,vip|new\n")));
        Result rerun = migrator.once();
        assertThat(rerun.counts("contact").path("created").asLong()).isEqualTo(1);
        assertThat(rerun.counts("contact").path("updated").asLong()).isEqualTo(1);
        assertThat(intercom.duplicateEmails()).isEmpty();
    }

    /** ClickDesk threads with ticket, conversation and contact attributes: the same files, again after a rollback. */
    private static final Map<String, String> THREADS = Map.of(
            "visitors.csv", "visitor_id,name,email,city\nv1,Anna Müller,anna@example.de,Berlin\nv2,Bob,bob@example.com,Oslo\n",
            "chats.json", "{\"session\":[{\"chat_id\":\"c1\",\"visitor_id\":\"v2\",\"email\":\"bob@example.com\","
                    + "\"department\":\"Support\",\"start_time\":\"1741000000000\",\"messages\":["
                    + "{\"time\":\"1741000000000\",\"from\":\"visitor\",\"text\":\"Hi\"},"
                    + "{\"time\":\"1741000060000\",\"from\":\"agent\",\"sender_email\":\"sam@acme.test\",\"text\":\"Hello\"}]}]}",
            "tickets.csv", "ticket_id,subject,body,status,priority,channel,department,visitor_id,visitor_email,created_at\n"
                    + "t1,Help,Broken,open,high,web,Support,v1,anna@example.de,2025-03-05T10:00:00Z\n"
                    + "t2,Refund,Money back,open,low,web,Sales,v2,bob@example.com,2025-03-06T10:00:00Z\n",
            "offline_messages.csv", "message_id,visitor_id,name,email,phone,department,message,visitor_url,created_at\n"
                    + "o1,,Kari Nordmann,kari@example.no,,Sales,Please call me back,https://acme.test/pricing,2025-03-07 08:00:00\n");

    @Test
    void theSameThreadsMigrateAgainAfterARollbackWithTheArchivedAttributesBroughtBack() throws Exception {
        migrator.drop("clickdesk-export.zip", BundleZips.zip(THREADS));
        Result first = migrator.once();
        assertThat(first.exitCode()).isZero();
        assertThat(migrator.deadLetters()).isEmpty();
        int tickets = intercom.tickets().size();
        assertThat(tickets).as("t1, t2 and o1 become tickets").isEqualTo(3);
        List<String> ticketAttributes = liveTicketAttributes();
        assertThat(ticketAttributes).contains("department", "priority");
        List<String> conversationAttributes = liveConversationAttributes();
        List<String> contactAttributes = liveContactAttributes();
        assertThat(conversationAttributes).isNotEmpty();
        assertThat(contactAttributes).contains("cd_city");

        Result rollback = migrator.run(List.of("rollback", first.report().path("run_id").asText()));
        assertThat(rollback.exitCode()).isZero();
        assertThat(intercom.tickets()).isEmpty();
        assertThat(intercom.ticketTypes()).allSatisfy(t -> assertThat(t.path("archived").asBoolean()).isTrue());
        assertThat(liveTicketAttributes()).isEmpty();
        assertThat(liveConversationAttributes()).isEmpty();
        assertThat(liveContactAttributes()).doesNotContain("cd_city");

        migrator.drop("clickdesk-export.zip", BundleZips.zip(THREADS));
        Result again = migrator.once();

        assertThat(again.exitCode()).isZero();
        assertThat(migrator.deadLetters()).as("nothing dead-lettered on the re-run").isEmpty();
        assertThat(again.counts("ticket").path("dead_lettered").asLong()).isZero();
        assertThat(intercom.tickets()).as("every ticket delivered again").hasSize(tickets);
        assertThat(intercom.duplicateTickets()).isEmpty();
        assertThat(intercom.tickets()).extracting(t -> t.path("ticket_attributes").path("department").asText())
                .containsExactlyInAnyOrder("Support", "Sales", "Sales");
        assertThat(intercom.conversations()).hasSize(1);
        assertThat(intercom.ticketTypes()).as("one ticket type, live again").singleElement()
                .satisfies(t -> assertThat(t.path("archived").asBoolean()).isFalse());
        assertThat(liveTicketAttributes()).as("the archived ticket attributes are back (unarchived, not made twice)")
                .containsExactlyInAnyOrderElementsOf(ticketAttributes).doesNotHaveDuplicates();
        assertThat(intercom.ticketTypes().get(0).path("ticket_type_attributes").path("ticket_type_attributes")).hasSize(ticketAttributes.size());
        assertThat(liveConversationAttributes()).containsExactlyInAnyOrderElementsOf(conversationAttributes);
        assertThat(liveContactAttributes()).containsExactlyInAnyOrderElementsOf(contactAttributes);
        assertThat(intercom.contacts()).filteredOn(c -> c.path("email").asText().equals("anna@example.de"))
                .singleElement().satisfies(c -> assertThat(c.path("custom_attributes").path("cd_city").asText()).isEqualTo("Berlin"));
        again.assertAddsUp();

        // and the re-run can be rolled back in turn: what it brought back is archived again
        Result secondRollback = migrator.run(List.of("rollback", again.report().path("run_id").asText()));
        assertThat(secondRollback.exitCode()).isZero();
        assertThat(intercom.tickets()).isEmpty();
        assertThat(liveTicketAttributes()).isEmpty();
        assertThat(liveConversationAttributes()).isEmpty();
        assertThat(liveContactAttributes()).doesNotContain("cd_city");
    }

    private List<String> liveTicketAttributes() {
        List<String> names = new ArrayList<>();
        for (ObjectNode t : intercom.ticketTypes()) {
            for (JsonNode a : t.path("ticket_type_attributes").path("ticket_type_attributes")) {
                if (!a.path("archived").asBoolean()) {
                    names.add(a.path("name").asText());
                }
            }
        }
        return names;
    }

    private List<String> liveConversationAttributes() {
        return intercom.conversationAttributes().stream().filter(a -> !a.path("archived").asBoolean())
                .map(a -> a.path("name").asText()).toList();
    }

    private List<String> liveContactAttributes() {
        return intercom.dataAttributes().stream().filter(a -> !a.path("archived").asBoolean())
                .map(a -> a.path("name").asText()).toList();
    }

    @Test
    void nothingToUndoIsOneLineAndExitZeroAnUnknownRunIdExitsTwo() {
        Result nothing = migrator.run(List.of("rollback"));
        assertThat(nothing.exitCode()).as("nothing left to undo: nothing to do").isEqualTo(ExitCode.OK);
        assertThat(nothing.stdout().strip()).isEqualTo("Nothing to roll back: no live run in the ledger has writes left to undo");

        Result unknown = migrator.run(List.of("rollback", "NOPE"));
        assertThat(unknown.exitCode()).as("bad argument").isEqualTo(ExitCode.BAD_CONFIGURATION);
        assertThat(unknown.stderr().strip()).startsWith("rollback NOPE: no run NOPE in the ledger").doesNotContain("\n");
        assertThat(unknown.stdout()).isEmpty();
        assertThat(intercom.requests()).isEmpty();
        assertThat(home.resolve("reports")).as("no rollback run was started").doesNotExist();

        // a live run that wrote nothing is known, but has nothing to undo either
        Result empty = migrator.once();
        assertThat(empty.exitCode()).isZero();
        String runId = empty.report().path("run_id").asText();
        Result noWrites = migrator.run(List.of("rollback", runId));
        assertThat(noWrites.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(noWrites.stdout().strip()).isEqualTo("Nothing to roll back: run " + runId + " has no journaled writes to undo");
        assertThat(noWrites.stdout() + noWrites.stderr()).doesNotContain("Exception", "\tat ");
        assertThat(intercom.requests()).allSatisfy(r -> assertThat(r.method()).isEqualTo("GET"));
    }
}
