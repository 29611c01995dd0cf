package io.intercommigrator.clickdesk;

import static io.intercommigrator.testing.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.intercommigrator.mapping.Timestamps;
import io.intercommigrator.ledger.RecordKey;
import io.intercommigrator.mapping.InvalidRecordException;
import io.intercommigrator.mapping.MappingConfig;
import io.intercommigrator.mapping.ThreadPlan;
import io.intercommigrator.mapping.ThreadPlan.Kind;

class TicketToThreadTest {
    private final VisitorToContact visitors =
            new VisitorToContact(new MappingConfig.ClickDesk(null, null, null, null, null, null, null), Timestamps.utc());
    private final TicketToThread mapper =
            new TicketToThread(visitors, Timestamps.utc(), TicketRouting.defaults(), "ClickDesk ticket");

    @Test
    void defaultRouting() {
        TicketRouting routing = TicketRouting.defaults();
        assertThat(routing.route("chat", "open")).isEqualTo(Kind.CONVERSATION);
        assertThat(routing.route("Chat", "closed")).isEqualTo(Kind.CONVERSATION);
        assertThat(routing.route("email", "closed")).isEqualTo(Kind.CONVERSATION);
        assertThat(routing.route(" EMAIL ", "Closed")).isEqualTo(Kind.CONVERSATION);
        assertThat(routing.route("web", "open")).isEqualTo(Kind.TICKET);
        assertThat(routing.route("email", "open")).isEqualTo(Kind.TICKET);
        assertThat(routing.route("phone", "closed")).isEqualTo(Kind.TICKET);
        assertThat(routing.route(null, null)).isEqualTo(Kind.TICKET);
    }

    @Test
    void customRuleWinsInOrderAndUnknownTargetsAreRefused() {
        TicketRouting routing = new TicketRouting(
                List.of(new TicketRouting.Rule("phone", "pending", "ticket"), new TicketRouting.Rule(null, "closed", "conversation")),
                "ticket");
        assertThat(routing.route("phone", "PENDING")).isEqualTo(Kind.TICKET);
        assertThat(routing.route("web", "closed")).isEqualTo(Kind.CONVERSATION);
        assertThat(routing.route("chat", "open")).isEqualTo(Kind.TICKET);

        TicketToThread custom = new TicketToThread(visitors, Timestamps.utc(), routing, "ClickDesk ticket");
        ThreadPlan plan = custom.map(row("ticket_id", "T9", "channel", "web", "status", "closed", "created_at", "1741000000"));
        assertThat(plan.kind()).isEqualTo(Kind.CONVERSATION);
        assertThat(plan.key()).isEqualTo(new RecordKey("clickdesk", "conversation", "T9"));

        assertThatThrownBy(() -> new TicketRouting.Rule("web", null, "email")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ticketCarriesTicketAttributesAndItsOriginalId() {
        ThreadPlan plan = mapper.map(row("ticket_id", "T1", "subject", "Refund please", "body", "Order 42 arrived broken",
                "status", "open", "priority", "high", "channel", "web", "department", "Support", "agent_email", "amy@acme.io",
                "visitor_id", "v1", "visitor_name", "Anna", "visitor_email", "anna@example.com",
                "created_at", "2025-03-03T11:06:40Z", "tags", "refund| vip |"));

        assertThat(plan.kind()).isEqualTo(Kind.TICKET);
        assertThat(plan.key()).isEqualTo(new RecordKey("clickdesk", "ticket", "T1"));
        assertThat(plan.contact().sourceKey()).isEqualTo(new RecordKey("clickdesk", "contact", "v1"));
        assertThat(plan.contact().fallback().email()).isEqualTo("anna@example.com");
        assertThat(plan.createdAt()).isEqualTo(1741000000L);
        assertThat(plan.body()).isEqualTo("Order 42 arrived broken");
        assertThat(plan.subject()).isEqualTo("Refund please");
        assertThat(plan.ticketTypeName()).isEqualTo("ClickDesk ticket");
        assertThat(plan.ticketAttributes()).containsExactly(
                Map.entry("_default_title_", "Refund please"),
                Map.entry("_default_description_", "Order 42 arrived broken"),
                Map.entry("priority", "high"),
                Map.entry("status", "open"),
                Map.entry("department", "Support"));
        assertThat(plan.attributes()).containsExactly(Map.entry("cd_channel_source", "Web"),
                Map.entry("cd_original_ticket_id", "T1"));
        assertThat(plan.attributeTypes()).containsExactly(Map.entry("cd_channel_source", "string"),
                Map.entry("cd_original_ticket_id", "string"));
        assertThat(plan.assigneeEmail()).isEqualTo("amy@acme.io");
        assertThat(plan.teamName()).isEqualTo("Support");
        assertThat(plan.tags()).containsExactly("refund", "vip");
        assertThat(plan.parts()).isEmpty();
    }

    @Test
    void statusAndPriorityTakeTheDocumentedLowerCaseSpelling() {
        ThreadPlan plan = mapper.map(row("ticket_id", "T4", "subject", "Down", "status", " Open ", "priority", "HIGH",
                "channel", "Web", "created_at", "1741000000"));
        assertThat(plan.kind()).isEqualTo(Kind.TICKET);
        assertThat(plan.ticketAttributes()).containsEntry("status", "open").containsEntry("priority", "high");

        ThreadPlan urgent = mapper.map(row("ticket_id", "T5", "status", "Pending", "priority", "Urgent", "channel", "phone",
                "created_at", "1741000000"));
        assertThat(urgent.ticketAttributes()).containsEntry("status", "pending").containsEntry("priority", "urgent");

        ThreadPlan closedEmail = mapper.map(row("ticket_id", "T6", "status", "CLOSED", "priority", "Low", "channel", "Email",
                "created_at", "1741000000"));
        assertThat(closedEmail.kind()).as("routing reads the same value").isEqualTo(Kind.CONVERSATION);
    }

    @Test
    void closedEmailTicketIsAConversationWithItsOriginalId() {
        ThreadPlan plan = mapper.map(row("ticket_id", "T2", "subject", "Invoice", "body", "", "status", "closed",
                "priority", "", "channel", "EMAIL", "visitor_id", "", "visitor_email", "", "created_at", "1741000000"));

        assertThat(plan.kind()).isEqualTo(Kind.CONVERSATION);
        assertThat(plan.key()).isEqualTo(new RecordKey("clickdesk", "conversation", "T2"));
        assertThat(plan.contact().sourceKey()).isEqualTo(new RecordKey("clickdesk", "contact", "ticket-T2"));
        assertThat(plan.body()).isEqualTo("Invoice");
        assertThat(plan.ticketTypeName()).isNull();
        assertThat(plan.ticketAttributes()).isEmpty();
        assertThat(plan.attributes()).containsExactly(Map.entry("cd_channel_source", "Email"),
                Map.entry("cd_original_ticket_id", "T2"));
        assertThat(plan.teamName()).isNull();
        assertThat(plan.assigneeEmail()).isNull();
    }

    @Test
    void ticketWithoutSubjectOrBodyGetsThePlaceholder() {
        ThreadPlan plan = mapper.map(row("ticket_id", "T3", "channel", "phone", "status", "pending", "created_at", "1741000000"));
        assertThat(plan.body()).isEqualTo("ClickDesk ticket T3");
        assertThat(plan.subject()).isNull();
        assertThat(plan.ticketAttributes()).containsExactly(Map.entry("_default_title_", "ClickDesk ticket T3"),
                Map.entry("status", "pending"));
        assertThat(plan.attributes()).containsEntry("cd_channel_source", "Phone");
    }

    @Test
    void missingIdBadTimeOrBadEmailIsRejectedNamingTheColumn() {
        assertThatThrownBy(() -> mapper.map(row("ticket_id", " ", "created_at", "1741000000")))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.column()).isEqualTo("ticket_id"));
        assertThatThrownBy(() -> mapper.map(row("ticket_id", "T4", "created_at", "31.02.2025 10:00")))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.column()).isEqualTo("created_at"))
                .hasMessageContaining("31.02.2025 10:00");
        assertThatThrownBy(() -> mapper.map(row("ticket_id", "T5", "created_at", "1741000000", "visitor_email", "nope")))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.column()).isEqualTo("visitor_email"));
    }
}
