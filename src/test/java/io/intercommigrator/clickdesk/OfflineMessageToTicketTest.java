package io.intercommigrator.clickdesk;

import static io.intercommigrator.testing.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.intercommigrator.mapping.Timestamps;
import io.intercommigrator.ledger.RecordKey;
import io.intercommigrator.mapping.InvalidRecordException;
import io.intercommigrator.mapping.MappingConfig;
import io.intercommigrator.mapping.ThreadPlan;

class OfflineMessageToTicketTest {
    private final OfflineMessageToTicket mapper = new OfflineMessageToTicket(
            new VisitorToContact(new MappingConfig.ClickDesk(null, null, null, null, null, null, null), Timestamps.utc()), Timestamps.utc(),
            "ClickDesk ticket");

    @Test
    void offlineMessageIsAlwaysATicket() {
        ThreadPlan plan = mapper.map(row("message_id", "o1", "visitor_id", "v1", "name", "Anna", "email", "anna@example.com",
                "phone", "+358 40 1", "department", "Sales", "message", "Call me back", "visitor_url", "https://acme.io/pricing",
                "created_at", "2025-03-03 11:06:40"));

        assertThat(plan.kind()).isEqualTo(ThreadPlan.Kind.TICKET);
        assertThat(plan.key()).isEqualTo(new RecordKey("clickdesk", "ticket", "offline-o1"));
        assertThat(plan.contact().sourceKey()).isEqualTo(new RecordKey("clickdesk", "contact", "v1"));
        assertThat(plan.contact().fallback().payload().path("phone").asText()).isEqualTo("+358 40 1");
        assertThat(plan.createdAt()).isEqualTo(1741000000L);
        assertThat(plan.body()).isEqualTo("Call me back");
        assertThat(plan.subject()).isEqualTo("Offline message from Anna");
        assertThat(plan.ticketTypeName()).isEqualTo("ClickDesk ticket");
        assertThat(plan.ticketAttributes()).containsExactly(Map.entry("_default_title_", "Offline message from Anna"),
                Map.entry("_default_description_", "Call me back"), Map.entry("department", "Sales"));
        assertThat(plan.attributes()).containsExactly(Map.entry("cd_channel_source", "Offline"),
                Map.entry("cd_original_visitor_id", "v1"), Map.entry("cd_visitor_url", "https://acme.io/pricing"));
        assertThat(plan.attributeTypes()).containsEntry("cd_visitor_url", "string");
        assertThat(plan.teamName()).isEqualTo("Sales");
        assertThat(plan.assigneeEmail()).isNull();
        assertThat(plan.parts()).isEmpty();
        assertThat(plan.tags()).isEmpty();
    }

    @Test
    void anonymousOfflineMessageIsKeyedOnTheMessage() {
        ThreadPlan plan = mapper.map(row("message_id", "o2", "visitor_id", "", "name", "", "email", "bob@example.com",
                "message", "Prices?", "visitor_url", "", "created_at", "1741000000"));

        assertThat(plan.contact().sourceKey()).isEqualTo(new RecordKey("clickdesk", "contact", "offline-o2"));
        assertThat(plan.subject()).isEqualTo("Offline message from bob@example.com");
        assertThat(plan.attributes()).containsExactly(Map.entry("cd_channel_source", "Offline"));
        assertThat(plan.ticketAttributes()).containsExactly(Map.entry("_default_title_", "Offline message from bob@example.com"),
                Map.entry("_default_description_", "Prices?"));
        assertThat(plan.teamName()).isNull();
    }

    @Test
    void missingIdOrBadTimeIsRejected() {
        assertThatThrownBy(() -> mapper.map(row("message_id", "", "created_at", "1741000000")))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.column()).isEqualTo("message_id"));
        assertThatThrownBy(() -> mapper.map(row("message_id", "o3", "created_at", "")))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.column()).isEqualTo("created_at"));
    }
}
