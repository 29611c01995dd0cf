package io.intercommigrator.leaddesk;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;

import io.intercommigrator.intake.Intake;
import io.intercommigrator.intake.MalformedRow;
import io.intercommigrator.mapping.Timestamps;
import io.intercommigrator.intake.ZipUnpacker;
import io.intercommigrator.mapping.ContactPlan;
import io.intercommigrator.mapping.InvalidRecordException;
import io.intercommigrator.mapping.MappingConfig;
import io.intercommigrator.mapping.WorkItem;
import io.intercommigrator.core.RunAccounting;

/**
 * Route steps of the LeadDesk leads, call records and chatbot export routes. The per-file mapper is built
 * once per file (it needs the campaign names and the results / outcomes taxonomy known at that moment), then each
 * work item is mapped.
 */
public final class LeadDeskSources {
    private static final String MAPPER = "leaddesk.mapper";
    /** The attribute definitions the calls of the file being read need (routes/leaddesk.camel.yaml). */
    public static final String CALL_ATTRIBUTES = "leaddeskCallAttributes";

    private final MappingConfig mapping;
    private final LeadDeskCatalog catalog;
    private final Timestamps timestamps;
    private final RunAccounting accounting;
    private final int listLimit;
    private final ZipUnpacker unpacker;
    private final Path workDir;
    private final String runId;
    private final Instant chatbotFrom;
    private final Instant chatbotTo;
    private final io.intercommigrator.intake.CsvReading csv;
    private int maxChars = io.intercommigrator.mapping.ContactFields.DEFAULT_MAX_CHARS;

    /**
     * @param listLimit   most options of a list attribute (intercom.list-attribute-max-options)
     * @param chatbotFrom / chatbotTo the migration range a chatbot export must cover (null = not checked)
     */
    public LeadDeskSources(MappingConfig mapping, LeadDeskCatalog catalog, Timestamps timestamps, RunAccounting accounting,
                           int listLimit, ZipUnpacker unpacker, Path workDir, String runId,
                           Instant chatbotFrom, Instant chatbotTo, io.intercommigrator.intake.CsvReading csv) {
        this.mapping = mapping;
        this.catalog = catalog;
        this.timestamps = timestamps;
        this.accounting = accounting;
        this.listLimit = listLimit;
        this.unpacker = unpacker;
        this.workDir = workDir;
        this.runId = runId;
        this.chatbotFrom = chatbotFrom;
        this.chatbotTo = chatbotTo;
        this.csv = csv;
    }

    /** Most characters of a text attribute value of a lead (intercom.attribute-value-max-chars). */
    public LeadDeskSources attributeValueMaxChars(int maxChars) {
        this.maxChars = maxChars;
        return this;
    }

    private static final String OFFICE_ZONES = "leaddesk.officeZones";

    public void prepareLeads(Exchange exchange) {
        exchange.setProperty(MAPPER, new LeadToContact(mapping.leaddesk(), timestamps, catalog.campaignNames()::get, maxChars));
        exchange.setProperty(OFFICE_ZONES, catalog.officeTimezones());
    }

    /** A lead of an office also carries the office's time zone as ld_office_timezone (Intercom teams have none). */
    @SuppressWarnings("unchecked")
    public WorkItem lead(WorkItem item, Exchange exchange) {
        failIfMalformed(item);
        Object plan = exchange.getProperty(MAPPER, LeadToContact.class).map(item.fields());
        String office = item.fields().getOrDefault("office", "").trim();
        Map<String, String> zones = exchange.getProperty(OFFICE_ZONES, Map.class);
        String zone = zones == null ? null : zones.getOrDefault(office, zones.get(office.toLowerCase(java.util.Locale.ROOT)));
        if (plan instanceof ContactPlan contact && zone != null) {
            com.fasterxml.jackson.databind.node.ObjectNode payload = contact.payload().deepCopy();
            payload.with("custom_attributes").put("ld_office_timezone", zone);
            Map<String, String> types = new java.util.LinkedHashMap<>(contact.attributeTypes());
            types.put("ld_office_timezone", "string");
            plan = new ContactPlan(contact.key(), contact.email(), payload, types, contact.tags(), contact.identityAttributes(),
                    contact.leftOff());
        }
        return item.plan(plan);
    }

    /**
     * The call mapper for this file, with the taxonomy and the agents (agents.csv) as far as they are known; the
     * taxonomy also says how ld_disposition / ld_outcome are to be created (a list of its real values, or a string):
     * exchange property {@value #CALL_ATTRIBUTES}, which the route hands to the thread schema (it creates them once,
     * when the first call needs them).
     */
    public void prepareCalls(Exchange exchange) {
        DispositionTaxonomy taxonomy = catalog.dispositionTaxonomy();
        exchange.setProperty(CALL_ATTRIBUTES, taxonomy.definitions(listLimit));
        Map<String, String> agentEmails = catalog.agentEmails();
        exchange.setProperty(MAPPER, new CallRecordToConversation(mapping.leaddesk(), timestamps, taxonomy, agentId -> {
            String email = agentEmails.get(agentId);
            if (email == null) {
                accounting.queueOnce("unknown agent", agentId, "agent_id not in agents.csv (drop it before call_records.csv):"
                        + " its calls move without an assignee");
            }
            return email;
        }, catalog.campaignProjectNames()::get, catalog.agentOfficeNames()::get));
    }

    public WorkItem call(WorkItem item, Exchange exchange) {
        failIfMalformed(item);
        return item.plan(exchange.getProperty(MAPPER, CallRecordToConversation.class).map(item.fields()));
    }

    /**
     * Unpacks a chatbot export (with the ZIP guards), refuses it whole when one of its four CSVs is missing or its
     * export range does not cover the configured migration range, and returns one work item per session (plus one
     * per malformed row, which goes to the dead letters), each session built when the split asks for it.
     */
    public java.util.Iterator<WorkItem> chatbotSessions(Exchange exchange) {
        Path zip = exchange.getMessage().getBody(Path.class);
        String name = exchange.getProperty(Intake.NAME, String.class);
        Path folder = workDir.resolve("unpacked").resolve(runId).resolve("chatbot-" + Integer.toHexString(name.hashCode()));
        try {
            io.intercommigrator.intake.Folders.deleteTree(folder); // this run's copy from an earlier pass (a sample run reads twice)
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        unpacker.unpack(zip, folder, name);
        ChatbotExport export = ChatbotExport.open(folder, name, timestamps, csv);
        try {
            if (chatbotFrom != null && chatbotTo != null) {
                export.requireCovers(chatbotFrom, chatbotTo);
            }
        } catch (RuntimeException e) {
            export.close();
            throw e;
        }
        accounting.system("leaddesk");
        return new ChatbotItems(export, name);
    }

    /** The sessions of a chatbot export, then its malformed rows; closing (or reaching the end) deletes its spill. */
    private final class ChatbotItems implements java.util.Iterator<WorkItem>, java.io.Closeable {
        private final ChatbotExport export;
        private final String name;
        private final java.util.Iterator<ChatbotExport.SessionRead> sessions;
        private final java.util.Iterator<MalformedRow> malformed;

        ChatbotItems(ChatbotExport export, String name) {
            this.export = export;
            this.name = name;
            this.sessions = export.eachSessionRead(true);
            this.malformed = export.malformedRows();
        }

        @Override
        public boolean hasNext() {
            if (sessions.hasNext() || malformed.hasNext()) {
                return true;
            }
            export.close();
            return false;
        }

        @Override
        public WorkItem next() {
            accounting.rowRead();
            accounting.source("conversation");
            if (sessions.hasNext()) {
                ChatbotExport.SessionRead session = sessions.next();
                // the read-back compares the conversation with the session's rows (dead letters keep the id only)
                return new WorkItem("leaddesk", "conversation", name + "!conversations.csv", 0,
                        Map.of("conversation_id", session.plan().key().sourceId()), null).plan(session.plan())
                        .kind(CHATBOT_KIND).verifiedAgainst(session.rows());
            }
            MalformedRow bad = malformed.next();
            return new WorkItem("leaddesk", "conversation", bad.file(), bad.line(), Map.of("raw", bad.raw()),
                    new InvalidRecordException("parse", "", bad.column(), bad.reason()));
        }

        @Override
        public void close() {
            export.close();
        }
    }

    /**
     * One session of a chatbot export handled before, rebuilt for a replay (its dead letter holds only the
     * conversation id), mapped as the file route maps it. Counts nothing; empty when the export no longer holds it.
     */
    public java.util.Optional<WorkItem> chatbotSessionOf(Path zip, String name, String conversationId) {
        Path folder = workDir.resolve("unpacked").resolve(runId).resolve("replay-" + Integer.toHexString(name.hashCode()));
        try {
            io.intercommigrator.intake.Folders.deleteTree(folder);
            unpacker.unpack(zip, folder, name);
            try (ChatbotExport export = ChatbotExport.open(folder, name, timestamps)) {
                for (java.util.Iterator<ChatbotExport.SessionRead> sessions = export.eachSessionRead(true); sessions.hasNext(); ) {
                    ChatbotExport.SessionRead session = sessions.next();
                    if (session.plan().key().sourceId().equals(conversationId)) {
                        return java.util.Optional.of(new WorkItem("leaddesk", "conversation", name + "!conversations.csv", 0,
                                Map.of("conversation_id", conversationId), null).plan(session.plan()).kind(CHATBOT_KIND)
                                .verifiedAgainst(session.rows()));
                    }
                }
            }
            return java.util.Optional.empty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            try {
                io.intercommigrator.intake.Folders.deleteTree(folder);
            } catch (java.io.IOException e) {
                LOG_REPLAY.warn("could not delete {}: {}", folder, e.getMessage());
            }
        }
    }

    private static final org.slf4j.Logger LOG_REPLAY = org.slf4j.LoggerFactory.getLogger(LeadDeskSources.class);

    public WorkItem chatbotSession(WorkItem item) {
        failIfMalformed(item);
        return item;
    }

    /** The kind of file of a chatbot session's records, as the intake names kinds. */
    static final String CHATBOT_KIND = "leaddesk chatbot_export*.zip";

    private static void failIfMalformed(WorkItem item) {
        if (item.malformed() != null) {
            throw item.malformed();
        }
    }
}
