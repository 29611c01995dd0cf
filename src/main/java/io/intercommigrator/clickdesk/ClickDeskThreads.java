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
    /** The kind of file of a social thread's records, as the intake names kinds. */
    static final String SOCIAL_KIND = "clickdesk social_messages.csv";

    private final ChatToConversation chats;
    private final TicketToThread tickets;
    private final TicketMessageToPart ticketMessages;
    private final OfflineMessageToTicket offlineMessages;

    private final SocialThreadToConversation social;
    private final VoipCallToNote voip;
    private final TagRowToApplication tagRows;
    private final io.intercommigrator.core.RunAccounting accounting;

    private final io.intercommigrator.intake.CsvOptions socialCsv;
    private java.nio.file.Path scratch = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));

    public ClickDeskThreads(ChatToConversation chats, TicketToThread tickets, TicketMessageToPart ticketMessages,
                            OfflineMessageToTicket offlineMessages, SocialThreadToConversation social, VoipCallToNote voip,
                            TagRowToApplication tagRows, io.intercommigrator.core.RunAccounting accounting,
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

    /** Where social_messages.csv is grouped by thread when it does not fit in memory (a scratch folder per file). */
    public ClickDeskThreads spillingTo(java.nio.file.Path scratch) {
        this.scratch = scratch;
        return this;
    }

    /**
     * social_messages.csv holds messages; a thread is every row of one thread_id, wherever it stands in the file.
     * The file is read once and grouped by thread (rows past a memory budget spill to sorted runs on disk,
     * {@link io.intercommigrator.intake.GroupedRows}); then one item per malformed row, then one per thread in the
     * order threads are first seen, each mapped only when the split asks for it.
     */
    public java.util.Iterator<WorkItem> socialThreads(org.apache.camel.Exchange exchange) {
        java.nio.file.Path file = exchange.getMessage().getBody(java.nio.file.Path.class);
        String name = exchange.getProperty(io.intercommigrator.intake.Intake.NAME, String.class);
        io.intercommigrator.intake.GroupedRows grouped = new io.intercommigrator.intake.GroupedRows(
                scratch.resolve("social-" + java.util.UUID.randomUUID()));
        List<String> headers;
        accounting.system("clickdesk");
        try (io.intercommigrator.intake.CsvSource source = io.intercommigrator.intake.CsvSource.open(file, name, socialCsv)) {
            source.requireColumns(SOCIAL_REQUIRED_COLUMNS);
            headers = source.headers();
            List<String> values = new java.util.ArrayList<>(headers.size());
            while (source.hasNext()) {
                Object next = source.next();
                accounting.rowRead();
                if (next instanceof io.intercommigrator.intake.SourceRow row) {
                    values.clear();
                    headers.forEach(h -> values.add(row.get(h)));
                    grouped.add(row.get("thread_id").trim(), row.line(), values);
                } else if (next instanceof io.intercommigrator.intake.MalformedRow bad) {
                    accounting.source("conversation");
                    grouped.add(null, bad.line(), List.of(bad.file(), String.valueOf(bad.column()), bad.reason(), bad.raw()));
                }
            }
        } catch (java.io.IOException e) {
            grouped.close();
            throw new java.io.UncheckedIOException(e);
        } catch (RuntimeException e) {
            grouped.close();
            throw e;
        }
        java.util.Iterator<io.intercommigrator.intake.GroupedRows.Group> groups = grouped.groups();
        return new SocialItems(groups, grouped, headers, name);
    }

    /** The items of a grouped social_messages.csv, mapped one by one; closing (or reaching the end) deletes the runs. */
    private final class SocialItems implements java.util.Iterator<WorkItem>, java.io.Closeable {
        private final java.util.Iterator<io.intercommigrator.intake.GroupedRows.Group> groups;
        private final io.intercommigrator.intake.GroupedRows grouped;
        private final List<String> headers;
        private final String name;

        SocialItems(java.util.Iterator<io.intercommigrator.intake.GroupedRows.Group> groups,
                    io.intercommigrator.intake.GroupedRows grouped, List<String> headers, String name) {
            this.groups = groups;
            this.grouped = grouped;
            this.headers = headers;
            this.name = name;
        }

        @Override
        public boolean hasNext() {
            if (groups.hasNext()) {
                return true;
            }
            grouped.close();
            return false;
        }

        @Override
        public WorkItem next() {
            io.intercommigrator.intake.GroupedRows.Group group = groups.next();
            if (group.key() == null) {
                List<String> bad = group.rows().get(0).values();
                return new WorkItem("clickdesk", "conversation", bad.get(0), group.rows().get(0).line(),
                        java.util.Map.of("raw", bad.get(3)),
                        new io.intercommigrator.mapping.InvalidRecordException("parse", "", Integer.parseInt(bad.get(1)), bad.get(2)));
            }
            String id = group.key();
            long firstLine = group.rows().get(0).line();
            List<java.util.Map<String, String>> rows = new java.util.ArrayList<>(group.rows().size());
            for (io.intercommigrator.intake.GroupedRows.Row row : group.rows()) {
                java.util.Map<String, String> fields = new java.util.LinkedHashMap<>(headers.size() * 4 / 3 + 1);
                for (int i = 0; i < headers.size(); i++) {
                    fields.put(headers.get(i), row.values().get(i));
                }
                rows.add(fields);
            }
            accounting.source("conversation");
            WorkItem item = new WorkItem("clickdesk", "conversation", name, firstLine, java.util.Map.of("thread_id", id), null);
            try {
                item.plan(social.map(id, rows));
            } catch (io.intercommigrator.mapping.InvalidRecordException e) {
                item = new WorkItem("clickdesk", "conversation", name, firstLine, java.util.Map.of("thread_id", id), e);
            }
            // the read-back compares the thread with its rows (the record, as dead letters keep it, is the id only)
            return item.kind(SOCIAL_KIND).verifiedAgainst(rows);
        }

        @Override
        public void close() {
            grouped.close();
        }
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
        return java.util.Optional.of(item.kind(SOCIAL_KIND).verifiedAgainst(rows));
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
