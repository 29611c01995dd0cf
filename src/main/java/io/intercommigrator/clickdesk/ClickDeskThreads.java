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
    /** social_messages.csv cannot be read without these. */
    public static final List<String> SOCIAL_REQUIRED_COLUMNS = List.of("thread_id", "author_type", "text", "created_at");

    private final ChatToConversation chats;
    private final TicketToThread tickets;
    private final TicketMessageToPart ticketMessages;
    private final OfflineMessageToTicket offlineMessages;

    private final SocialThreadToConversation social;
    private final VoipCallToNote voip;
    private final TagRowToApplication tagRows;
    private final io.intercommigrator.report.RunAccounting accounting;

    private final io.intercommigrator.intake.CsvOptions socialCsv;

    public ClickDeskThreads(ChatToConversation chats, TicketToThread tickets, TicketMessageToPart ticketMessages,
                            OfflineMessageToTicket offlineMessages, SocialThreadToConversation social, VoipCallToNote voip,
                            TagRowToApplication tagRows, io.intercommigrator.report.RunAccounting accounting,
                            io.intercommigrator.intake.CsvReading csv) {
        this.chats = chats;
        this.tickets = tickets;
        this.ticketMessages = ticketMessages;
        this.offlineMessages = offlineMessages;
        this.social = social;
        this.voip = voip;
        this.tagRows = tagRows;
        this.accounting = accounting;
        this.socialCsv = csv.forFile(io.intercommigrator.intake.DropKind.CLICKDESK_SOCIAL_MESSAGES.baseName());
    }

    public WorkItem voipCall(WorkItem item) {
        failIfMalformed(item);
        return item.plan(voip.map(item.fields()));
    }

    public WorkItem tag(WorkItem item) {
        failIfMalformed(item);
        return item.plan(tagRows.map(item.fields()));
    }

    /**
     * social_messages.csv holds messages; a thread is every row of one thread_id, wherever it stands in the file.
     * The file is grouped first (its size is that of one export's social messages), then one item per thread.
     */
    public List<WorkItem> socialThreads(org.apache.camel.Exchange exchange) {
        java.nio.file.Path file = exchange.getMessage().getBody(java.nio.file.Path.class);
        String name = exchange.getProperty(io.intercommigrator.intake.Intake.NAME, String.class);
        java.util.Map<String, List<java.util.Map<String, String>>> threads = new java.util.LinkedHashMap<>();
        java.util.Map<String, Long> firstLine = new java.util.HashMap<>();
        List<WorkItem> items = new java.util.ArrayList<>();
        accounting.system("clickdesk");
        try (io.intercommigrator.intake.CsvSource source = io.intercommigrator.intake.CsvSource.open(file, name, socialCsv)) {
            source.requireColumns(SOCIAL_REQUIRED_COLUMNS);
            while (source.hasNext()) {
                Object next = source.next();
                accounting.rowRead();
                if (next instanceof io.intercommigrator.intake.SourceRow row) {
                    String id = row.get("thread_id").trim();
                    threads.computeIfAbsent(id, k -> new java.util.ArrayList<>()).add(row.fields());
                    firstLine.putIfAbsent(id, row.line());
                } else if (next instanceof io.intercommigrator.intake.MalformedRow bad) {
                    accounting.source("conversation");
                    items.add(new WorkItem("clickdesk", "conversation", bad.file(), bad.line(), java.util.Map.of("raw", bad.raw()),
                            new io.intercommigrator.mapping.InvalidRecordException("parse", "", bad.column(), bad.reason())));
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        threads.forEach((id, rows) -> {
            accounting.source("conversation");
            WorkItem item = new WorkItem("clickdesk", "conversation", name, firstLine.get(id), java.util.Map.of("thread_id", id), null);
            try {
                item.plan(social.map(id, rows));
            } catch (io.intercommigrator.mapping.InvalidRecordException e) {
                item = new WorkItem("clickdesk", "conversation", name, firstLine.get(id), java.util.Map.of("thread_id", id), e);
            }
            items.add(item);
        });
        return items;
    }

    /**
     * One thread of a social_messages.csv handled before, rebuilt for a replay (its dead letter holds only the thread
     * id): the rows of that thread_id, mapped as the file route maps them. Counts nothing; empty when the file no
     * longer holds the thread.
     */
    public java.util.Optional<WorkItem> socialThreadOf(java.nio.file.Path file, String name, String threadId) {
        List<java.util.Map<String, String>> rows = new java.util.ArrayList<>();
        long first = 0;
        try (io.intercommigrator.intake.CsvSource source = io.intercommigrator.intake.CsvSource.open(file, name,
                io.intercommigrator.intake.CsvOptions.defaults())) {
            source.requireColumns(SOCIAL_REQUIRED_COLUMNS);
            while (source.hasNext()) {
                if (source.next() instanceof io.intercommigrator.intake.SourceRow row && row.get("thread_id").trim().equals(threadId)) {
                    first = rows.isEmpty() ? row.line() : first;
                    rows.add(row.fields());
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (rows.isEmpty()) {
            return java.util.Optional.empty();
        }
        WorkItem item = new WorkItem("clickdesk", "conversation", name, first, java.util.Map.of("thread_id", threadId), null);
        try {
            item.plan(social.map(threadId, rows));
        } catch (io.intercommigrator.mapping.InvalidRecordException e) {
            item = new WorkItem("clickdesk", "conversation", name, first, java.util.Map.of("thread_id", threadId), e);
        }
        return java.util.Optional.of(item);
    }

    public WorkItem socialThread(WorkItem item) {
        failIfMalformed(item);
        return item;
    }

    public WorkItem chat(WorkItem item) {
        failIfMalformed(item);
        return item.plan(chats.map((JsonNode) item.sourceRecord()));
    }

    /**
     * A ticket becomes a conversation or a ticket by the routing rule; the report counts it as what it became (its
     * objects are Intercom's), so one the rule makes a conversation moves from the tickets to the conversations.
     */
    public WorkItem ticket(WorkItem item) {
        failIfMalformed(item);
        ThreadPlan plan = tickets.map(item.fields());
        if (plan.kind() == ThreadPlan.Kind.CONVERSATION && !item.objectType().equals("conversation")) {
            accounting.retype(item.objectType(), "conversation");
            return item.retyped("conversation").plan(plan);
        }
        return item.plan(plan);
    }

    public WorkItem offlineMessage(WorkItem item) {
        failIfMalformed(item);
        return item.plan(offlineMessages.map(item.fields()));
    }

    /** A ticket message goes to its ticket, whichever kind the routing rule made of it. */
    public WorkItem ticketMessage(WorkItem item) {
        failIfMalformed(item);
        String empty = TicketMessageToPart.emptyReason(item.fields());
        if (empty != null) {
            TicketMessageToPart.ticketId(item.fields());
            return item.plan(new io.intercommigrator.mapping.Skip(empty));
        }
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
