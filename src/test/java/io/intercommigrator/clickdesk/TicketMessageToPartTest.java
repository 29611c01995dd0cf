package io.intercommigrator.clickdesk;

import static io.intercommigrator.testing.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.intercommigrator.mapping.Timestamps;
import io.intercommigrator.mapping.InvalidRecordException;
import io.intercommigrator.mapping.ThreadPlan.Author;
import io.intercommigrator.mapping.ThreadPlan.PartPlan;

class TicketMessageToPartTest {
    private final TicketMessageToPart mapper = new TicketMessageToPart(Timestamps.utc());

    @Test
    void agentMessageIsAnAdminReplyWithItsEmailAndAttachments() {
        PartPlan part = mapper.map(row("ticket_id", "T1", "message_id", "m2", "author_type", "Agent",
                "author_email", "amy@acme.io", "body", "We sent a new one", "created_at", "2025-03-03T11:06:40Z",
                "attachments", "https://f/label.pdf| https://f/photo.jpg |"));

        assertThat(part).isEqualTo(new PartPlan("m2", Author.ADMIN, "amy@acme.io", null, false, "We sent a new one",
                1741000000L, List.of("https://f/label.pdf", "https://f/photo.jpg")));
    }

    @Test
    void visitorMessageIsAContactReply() {
        PartPlan part = mapper.map(row("ticket_id", "T1", "message_id", "m1", "author_type", "visitor",
                "author_email", "anna@example.com", "body", "It is broken", "created_at", "1741000000000"));

        assertThat(part).isEqualTo(new PartPlan("m1", Author.CONTACT, null, null, false, "It is broken", 1741000000L, List.of()));
        assertThat(TicketMessageToPart.ticketId(row("ticket_id", " T1 "))).isEqualTo("T1");
    }

    @Test
    void missingIdsUnknownAuthorBadTimeOrEmptyMessageAreRejected() {
        assertThatThrownBy(() -> mapper.map(row("ticket_id", "T1", "message_id", "", "author_type", "visitor",
                "body", "x", "created_at", "1741000000")))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.column()).isEqualTo("message_id"));
        assertThatThrownBy(() -> TicketMessageToPart.ticketId(row("message_id", "m1")))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.column()).isEqualTo("ticket_id"));
        assertThatThrownBy(() -> mapper.map(row("ticket_id", "T1", "message_id", "m3", "author_type", "system",
                "body", "x", "created_at", "1741000000")))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.column()).isEqualTo("author_type"))
                .hasMessageContaining("system");
        assertThatThrownBy(() -> mapper.map(row("ticket_id", "T1", "message_id", "m4", "author_type", "agent",
                "body", "x", "created_at", "yesterday")))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.column()).isEqualTo("created_at"))
                .hasMessageContaining("yesterday");
        assertThatThrownBy(() -> mapper.map(row("ticket_id", "T1", "message_id", "m5", "author_type", "agent",
                "body", " ", "created_at", "1741000000", "attachments", "")))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.column()).isEqualTo("body"));
        assertThat(TicketMessageToPart.emptyReason(row("message_id", "m5", "body", " ", "attachments", "")))
                .as("the route counts it as a skipped part with this reason").isEqualTo("message m5 has neither body nor attachments");
        assertThat(TicketMessageToPart.emptyReason(row("message_id", "m6", "body", " ", "attachments", "https://f/a.png"))).isNull();
    }
}
