package io.intercommigrator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import io.intercommigrator.mapping.Timestamps;
import io.intercommigrator.ledger.RecordKey;
import io.intercommigrator.mapping.ContactPlan;
import io.intercommigrator.mapping.MappingConfig;
import io.intercommigrator.mapping.ThreadPlan;

import io.intercommigrator.intercom.DeliverySample;
/** The source rules against canned read-backs: what the plan says does not matter where the source says otherwise. */
class SourceRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId HELSINKI = ZoneId.of("Europe/Helsinki");
    private static final MappingConfig MAPPING = MappingConfig.load(java.nio.file.Path.of("config/mapping.yaml"));
    private static final SourceRules RULES = new SourceRules(MAPPING, Timestamps.utc(), new Timestamps(HELSINKI), List::of,
            id -> "r1".equals(id) ? "Sale" : null, id -> "o1".equals(id) ? "Won" : null, 255);

    private static Map<String, String> row(String... kv) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            row.put(kv[i], kv[i + 1]);
        }
        return row;
    }

    private static List<String> verify(DeliverySample.Item item, JsonNode readBack) {
        DeliverySample sample = new DeliverySample(50, 42);
        sample.record(item);
        ObjectNode v = new Verifier(path -> readBack, name -> Optional.empty(), JSON, RULES).verify(sample);
        List<String> out = new ArrayList<>();
        v.path("mismatches").forEach(m -> out.add(m.path("field").asText() + "=" + m.path("expected") + "→" + m.path("actual")));
        return out;
    }

    private static ContactPlan contact(ObjectNode payload) {
        return new ContactPlan(new RecordKey("clickdesk", "contact", "v1"), payload.path("email").asText(null), payload, Map.of(),
                List.of(), Set.of("external_id", "cd_original_visitor_id"));
    }

    @Test
    void aVisitorIsComparedWithItsRowEmailTrimmedInLowerCasePhoneByItsDigits() {
        DeliverySample.Origin origin = new DeliverySample.Origin("clickdesk/visitors.csv", 2, "clickdesk visitors.csv",
                row("visitor_id", "v1", "name", " Anna Müller ", "email", " Anna@Example.DE ", "phone", "+49 (30) 1234", "city", "Berlin"));
        // the plan (what was sent) is wrong on name and city: Intercom holds it, the source says otherwise
        ObjectNode sent = JSON.createObjectNode().put("email", "anna@example.de").put("name", "Anna Muller").put("role", "user");
        sent.putObject("custom_attributes").put("cd_original_visitor_id", "v1").put("cd_city", "Bern");
        ObjectNode read = sent.deepCopy().put("phone", "+4930 1234");

        List<String> found = verify(new DeliverySample.Item("contact", "x1", contact(sent), sent, false, origin), read);

        assertThat(found).containsExactlyInAnyOrder("name=\"Anna Müller\"→\"Anna Muller\"",
                "custom_attributes.cd_city=\"Berlin\"→\"Bern\"");
    }

    @Test
    void aMergeIntoSomeoneElsesContactKeepsItsEmailAndIdsButNotItsName() {
        DeliverySample.Origin origin = new DeliverySample.Origin("clickdesk/visitors.csv", 2, "clickdesk visitors.csv",
                row("visitor_id", "v1", "name", "Anna Müller", "email", "anna@example.de"));
        ObjectNode sent = JSON.createObjectNode().put("name", "Anna Müller");
        ObjectNode read = JSON.createObjectNode().put("email", "other@example.de").put("name", "Anna M.");
        read.putObject("custom_attributes").put("cd_original_visitor_id", "v0");

        List<String> found = verify(new DeliverySample.Item("contact", "x1", contact(sent), sent, true, origin), read);

        assertThat(found).containsExactly("name=\"Anna Müller\"→\"Anna M.\"");
    }

    @Test
    void aTicketAndACallKeepTheirSourceTimesInEveryDocumentedFormat() {
        ThreadPlan ticketPlan = new ThreadPlan(new RecordKey("clickdesk", "ticket", "t1"), ThreadPlan.Kind.TICKET, null, 0, "x",
                List.of(), null, null, Map.of(), Map.of(), Map.of(), null, null, List.of(), List.of());
        DeliverySample.Origin ticket = new DeliverySample.Origin("clickdesk/tickets.csv", 2, "clickdesk tickets.csv",
                row("ticket_id", "t1", "subject", "Invoice wrong", "body", "The total is wrong", "created_at", "05.03.2025 10:00"));
        long t1 = LocalDateTime.of(2025, 3, 5, 10, 0).atZone(ZoneId.of("UTC")).toEpochSecond();
        ObjectNode readTicket = JSON.createObjectNode().put("created_at", t1 + 3600);
        readTicket.putObject("ticket_attributes").put("cd_original_ticket_id", "t1").put("_default_title_", "Invoice wrong")
                .put("_default_description_", "<p>The total</p>");

        assertThat(verify(new DeliverySample.Item("ticket", "9", ticketPlan, null, false, ticket), readTicket))
                .containsExactlyInAnyOrder("created_at=" + t1 + "→" + (t1 + 3600),
                        "ticket_attributes._default_description_=\"The total is wrong\"→\"<p>The total</p>\"");

        ThreadPlan callPlan = new ThreadPlan(new RecordKey("leaddesk", "conversation", "call-k1"), ThreadPlan.Kind.CONVERSATION,
                null, 0, "Call", List.of(), null, null, Map.of(), Map.of(), Map.of(), null, null, List.of(), List.of());
        DeliverySample.Origin call = new DeliverySample.Origin("leaddesk/call_records.csv", 2, "leaddesk call_records.csv",
                row("id", "k1", "direction", "outbound", "talk_start", "2026-03-29 02:30:00", "call_ending_reason", "r1",
                        "call_ending_reason_name", "", "outcome", "o1"));
        long k1 = LocalDateTime.of(2026, 3, 29, 2, 30).atZone(HELSINKI).toEpochSecond();
        ObjectNode readCall = JSON.createObjectNode().put("created_at", k1);
        readCall.putObject("source").put("body", "Call").putObject("author").put("type", "user");
        readCall.putObject("custom_attributes").put("ld_disposition", "r1").put("ld_outcome", "won");
        readCall.putObject("conversation_parts").putArray("conversation_parts").addObject().put("part_type", "note")
                .put("body", "<p>Direction: outbound</p>").put("created_at", k1).putObject("author").put("type", "admin");

        assertThat(verify(new DeliverySample.Item("conversation", "8", callPlan, null, false, call), readCall))
                .as("the disposition by its taxonomy name, the outcome's name in any case").containsExactly(
                        "custom_attributes.ld_disposition=\"Sale\"→\"r1\"");
    }

    @Test
    void aValueTheRulesLeaveOffButTheRunWroteIsAMismatch() {
        MappingConfig mapping = MappingConfig.load(java.nio.file.Path.of("config/mapping.yaml"));
        MappingConfig.ClickDesk cd = mapping.clickdesk();
        MappingConfig typed = new MappingConfig(mapping.confirmed(), mapping.checksum(), mapping.strict(), mapping.columnAliases(),
                mapping.teamMap(), new MappingConfig.ClickDesk(cd.externalIdPrefix(), cd.ticketType(), cd.ticketRouting(),
                cd.ticketRoutingFallback(), cd.tagAttributes(), Map.of(), Map.of("seats", new MappingConfig.ExtraColumn("cd_seats", "integer"))),
                mapping.leaddesk(), mapping.ticketStates(), mapping.definitions());
        SourceRules rules = new SourceRules(typed, Timestamps.utc(), new Timestamps(HELSINKI), List::of, id -> null, id -> null, 255);
        DeliverySample.Origin origin = new DeliverySample.Origin("clickdesk/visitors.csv", 2, "clickdesk visitors.csv",
                row("visitor_id", "v1", "seats", "many"));
        ObjectNode sent = JSON.createObjectNode();
        sent.putObject("custom_attributes").put("cd_original_visitor_id", "v1").put("cd_seats", 0);
        DeliverySample sample = new DeliverySample(50, 42);
        sample.record(new DeliverySample.Item("contact", "x1", contact(sent), sent, false, origin));

        ObjectNode v = new Verifier(path -> sent, name -> Optional.empty(), JSON, rules).verify(sample);

        assertThat(v.path("mismatches")).singleElement().satisfies(m -> {
            assertThat(m.path("field").asText()).isEqualTo("custom_attributes.cd_seats");
            assertThat(m.path("expected").asText()).isEqualTo("left off: many");
            assertThat(m.path("actual").asInt()).isZero();
            assertThat(m.path("source_record").asText()).isEqualTo("clickdesk/visitors.csv:2");
        });
    }
}
