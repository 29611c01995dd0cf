package io.intercommigrator.plan;

import java.util.List;
import java.util.Map;

import io.intercommigrator.clickdesk.VisitorToContact;
import io.intercommigrator.intake.DefinitionFiles;
import io.intercommigrator.intake.DropKind;
import io.intercommigrator.intake.RecordReaders;
import io.intercommigrator.leaddesk.CallRecordToConversation;
import io.intercommigrator.leaddesk.ContactToContact;
import io.intercommigrator.leaddesk.LeadToContact;

/** What each export file holds and the columns it cannot do without: what the run reads and what {@code plan} checks. */
public final class ExportFiles {
    private ExportFiles() {
    }

    /** The record files: the Intercom object each row becomes and its required columns. */
    public static Map<DropKind, RecordReaders.Spec> recordSpecs() {
        return Map.ofEntries(
                Map.entry(DropKind.CLICKDESK_VISITORS, new RecordReaders.Spec("contact", VisitorToContact.REQUIRED_COLUMNS)),
                Map.entry(DropKind.CLICKDESK_CHATS, new RecordReaders.Spec("conversation", List.of(), "session")),
                Map.entry(DropKind.CLICKDESK_TICKETS, new RecordReaders.Spec("ticket", List.of("ticket_id", "created_at"))),
                Map.entry(DropKind.CLICKDESK_TICKET_MESSAGES, RecordReaders.Spec.orderedBy("ticket_id", "conversation_part",
                        List.of("ticket_id", "message_id", "author_type", "body", "created_at"))),
                Map.entry(DropKind.CLICKDESK_OFFLINE_MESSAGES, new RecordReaders.Spec("ticket", List.of("message_id", "message", "created_at"))),
                Map.entry(DropKind.CLICKDESK_VOIP_CALLS, RecordReaders.Spec.orderedBy("visitor_id", "note", List.of("call_id", "started_at"))),
                Map.entry(DropKind.CLICKDESK_TAGS, new RecordReaders.Spec("tag", List.of("tag", "object_type", "object_id"))),
                Map.entry(DropKind.LEADDESK_CONTACTS, new RecordReaders.Spec("contact", ContactToContact.REQUIRED_COLUMNS)),
                Map.entry(DropKind.LEADDESK_LEADS, new RecordReaders.Spec("contact", LeadToContact.REQUIRED_COLUMNS)),
                Map.entry(DropKind.LEADDESK_CALL_RECORDS, new RecordReaders.Spec("conversation", CallRecordToConversation.REQUIRED_COLUMNS)));
    }

    /** The definition files (agents, departments, …): their kind, id column and required columns. */
    public static Map<DropKind, DefinitionFiles.Spec> definitionSpecs() {
        return Map.of(
                DropKind.CLICKDESK_AGENTS, new DefinitionFiles.Spec("agent", "agent_id", List.of("agent_id", "email")),
                DropKind.CLICKDESK_DEPARTMENTS, new DefinitionFiles.Spec("department", "department_id", List.of("department_id", "name")),
                DropKind.CLICKDESK_CANNED_RESPONSES, new DefinitionFiles.Spec("canned_response", "response_id",
                        List.of("response_id", "message")),
                DropKind.LEADDESK_AGENTS, new DefinitionFiles.Spec("agent", "agent_id", List.of("agent_id", "email")),
                DropKind.LEADDESK_PROJECTS, new DefinitionFiles.Spec("project", "project_id", List.of("project_id", "name")),
                DropKind.LEADDESK_OFFICES, new DefinitionFiles.Spec("office", "office_id", List.of("office_id", "name")),
                DropKind.LEADDESK_DIALER_CONFIG, new DefinitionFiles.Spec("dialer_config", null, List.of()),
                DropKind.LEADDESK_LEADAPPS, new DefinitionFiles.Spec("leadapps", null, List.of()));
    }
}
