package io.intercommigrator.clickdesk;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.intercommigrator.ledger.RecordKey;
import io.intercommigrator.mapping.PartAddition;
import io.intercommigrator.mapping.ThreadPlan;
import io.intercommigrator.mapping.Values;
import io.intercommigrator.mapping.WorkItem;

/** Route steps of the ClickDesk thread routes: each maps its work item with the pure mapper of that file. */
public final class ClickDeskThreads {
    private final ChatToConversation chats;
    private final TicketToThread tickets;
    private final TicketMessageToPart ticketMessages;
    private final OfflineMessageToTicket offlineMessages;

    public ClickDeskThreads(ChatToConversation chats, TicketToThread tickets, TicketMessageToPart ticketMessages,
                            OfflineMessageToTicket offlineMessages) {
        this.chats = chats;
        this.tickets = tickets;
        this.ticketMessages = ticketMessages;
        this.offlineMessages = offlineMessages;
    }

    public WorkItem chat(WorkItem item) {
        failIfMalformed(item);
        return item.plan(chats.map((JsonNode) item.sourceRecord()));
    }

    public WorkItem ticket(WorkItem item) {
        failIfMalformed(item);
        return item.plan(tickets.map(item.fields()));
    }

    public WorkItem offlineMessage(WorkItem item) {
        failIfMalformed(item);
        return item.plan(offlineMessages.map(item.fields()));
    }

    /** A ticket message goes to its ticket, whichever kind the routing rule made of it. */
    public WorkItem ticketMessage(WorkItem item) {
        failIfMalformed(item);
        ThreadPlan.PartPlan part = ticketMessages.map(item.fields());
        String ticketId = TicketMessageToPart.ticketId(item.fields());
        String email = Values.normaliseEmail(item.fields().get("author_email"));
        boolean visitor = part.author() == ThreadPlan.Author.CONTACT;
        return item.plan(new PartAddition(List.of(new RecordKey("clickdesk", "ticket", ticketId),
                new RecordKey("clickdesk", "conversation", ticketId)), part, visitor && !email.isEmpty() ? email : null));
    }

    private static void failIfMalformed(WorkItem item) {
        if (item.malformed() != null) {
            throw item.malformed();
        }
    }
}
