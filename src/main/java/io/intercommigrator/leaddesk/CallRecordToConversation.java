package io.intercommigrator.leaddesk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.intercommigrator.mapping.Timestamps;
import io.intercommigrator.ledger.RecordKey;
import io.intercommigrator.mapping.ContactFields;
import io.intercommigrator.mapping.InvalidRecordException;
import io.intercommigrator.core.LeftOffValue;
import io.intercommigrator.mapping.MappingConfig;
import io.intercommigrator.mapping.ThreadPlan;
import io.intercommigrator.mapping.Values;

/**
 * LeadDesk call record (call_records.csv) → one Intercom conversation per call (mapping.md), linked to the call's
 * contact (which must already be migrated: no fallback contact), created at {@code talk_start}, with one admin note
 * summarising direction, talk time, agent, result, outcome, recording URL and comment. The agent ({@code agent_id},
 * by its email in agents.csv) is the assignee and the note's author, matched to an Intercom admin as ClickDesk agents
 * are. Disposition, outcome, recording URL, talk time and campaign become conversation attributes; disposition,
 * outcome and campaign become tags. The disposition and outcome are written as the results / outcomes taxonomy names
 * them ({@link DispositionTaxonomy}), so they match the options of the list attributes made from it. Pure.
 */
public final class CallRecordToConversation {
    public static final List<String> REQUIRED_COLUMNS = List.of("id", "contact_id");

    private final MappingConfig.LeadDesk config;
    private final Timestamps timestamps;
    private final DispositionTaxonomy taxonomy;
    private final Function<String, String> agentEmails;
    private final Function<String, String> campaignTeams;
    private final Function<String, String> agentTeams;

    /**
     * @param taxonomy    results_outcomes.json as far as it is known ({@link DispositionTaxonomy#empty()} when not
     *                    dropped)
     * @param agentEmails agent id → its email from agents.csv, or null when unknown
     */
    public CallRecordToConversation(MappingConfig.LeadDesk config, Timestamps timestamps, DispositionTaxonomy taxonomy,
                                    Function<String, String> agentEmails) {
        this(config, timestamps, taxonomy, agentEmails, id -> null, id -> null);
    }

    /**
     * @param campaignTeams campaign id → the name of its project (campaigns.json project_id → projects.csv), or null
     * @param agentTeams    agent id → the name of the agent's office (agents.csv office, by offices.csv), or null
     */
    public CallRecordToConversation(MappingConfig.LeadDesk config, Timestamps timestamps, DispositionTaxonomy taxonomy,
                                    Function<String, String> agentEmails, Function<String, String> campaignTeams,
                                    Function<String, String> agentTeams) {
        this.config = config;
        this.timestamps = timestamps;
        this.taxonomy = taxonomy;
        this.agentEmails = agentEmails;
        this.campaignTeams = campaignTeams;
        this.agentTeams = agentTeams;
    }

    public ThreadPlan map(Map<String, String> row) {
        String id = required(row, "id");
        String contactId = required(row, "contact_id");
        long createdAt = value(row, "talk_start").isEmpty() ? time(row, "created_at") : time(row, "talk_start");

        String direction = value(row, "direction");
        String agent = value(row, "agent_username");
        String assignee = agentEmail(value(row, "agent_id"));
        String disposition = taxonomy.disposition(value(row, "call_ending_reason_name"), value(row, "call_ending_reason"));
        String outcome = taxonomy.outcome(value(row, "outcome"));
        String recording = value(row, "record_file");
        String campaign = value(row, "campaign");
        String campaignName = value(row, "campaign_name");
        List<LeftOffValue> leftOff = new ArrayList<>();
        Long talkTime = talkTime(row, leftOff);

        StringBuilder body = new StringBuilder("Call");
        appendIf(body, " ", direction);
        appendIf(body, " with ", agent);
        appendIf(body, " — ", disposition);

        List<String> summary = new ArrayList<>();
        line(summary, "Direction", direction);
        line(summary, "Talk time", talkTime == null ? "" : String.format("%d:%02d (%d s)", talkTime / 60, talkTime % 60, talkTime));
        line(summary, "Agent", agent);
        line(summary, "Result", disposition);
        line(summary, "Outcome", outcome);
        line(summary, "Recording", recording);
        line(summary, "Comment", value(row, "comment"));
        String note = summary.isEmpty() ? "Call " + id : String.join("\n", summary);
        ThreadPlan.PartPlan part = new ThreadPlan.PartPlan("summary", ThreadPlan.Author.ADMIN, assignee,
                agent.isEmpty() ? null : agent, true, note, createdAt, List.of());

        Map<String, Object> attributes = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        put(attributes, types, DispositionTaxonomy.DISPOSITION, disposition);
        put(attributes, types, DispositionTaxonomy.OUTCOME, outcome);
        put(attributes, types, "ld_recording_url", recording);
        if (talkTime != null) {
            attributes.put("ld_talk_time_seconds", talkTime);
            types.put("ld_talk_time_seconds", "integer");
        }
        put(attributes, types, "ld_campaign", campaignName);

        List<String> tags = new ArrayList<>();
        if (!disposition.isEmpty()) {
            tags.add("ld_disposition_" + Values.slug(disposition));
        }
        if (!outcome.isEmpty()) {
            tags.add("ld_outcome_" + Values.slug(outcome));
        }
        if (!campaign.isEmpty()) {
            tags.add(ContactToContact.campaignTag(campaign, campaignName));
        }
        ThreadPlan.ContactRef contact = new ThreadPlan.ContactRef(
                new RecordKey(ContactToContact.SYSTEM, "contact", contactId), null);
        return new ThreadPlan(new RecordKey(ContactToContact.SYSTEM, "conversation", "call-" + id),
                ThreadPlan.Kind.CONVERSATION, contact, createdAt, body.toString(), List.of(), null, null, Map.of(),
                attributes, types, assignee, team(campaign, value(row, "agent_id")), List.of(part), tags, leftOff)
                .withState(ThreadPlan.CLOSED); // a call is over: it lands closed
    }

    /** The call's team (mapping.md): its campaign's project, else the agent's office; null when neither is known. */
    private String team(String campaign, String agentId) {
        String project = campaign.isEmpty() ? null : campaignTeams.apply(campaign);
        if (project != null && !project.isBlank()) {
            return project.trim();
        }
        String office = agentId.isEmpty() ? null : agentTeams.apply(agentId);
        return office == null || office.isBlank() ? null : office.trim();
    }

    /** The agent's email from agents.csv, in the form admins are matched in; null when it is not known. */
    private String agentEmail(String agentId) {
        String email = agentId.isEmpty() ? "" : Values.normaliseEmail(agentEmails.apply(agentId));
        return email.isEmpty() ? null : email;
    }

    /** talk_time in whole seconds; anything else is left off the call (it moves without it) and noted. */
    private static Long talkTime(Map<String, String> row, List<LeftOffValue> leftOff) {
        String raw = value(row, "talk_time");
        if (raw.isEmpty()) {
            return null;
        }
        try {
            long seconds = ContactFields.integer(raw);
            if (seconds >= 0) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // falls through: not a whole number
        }
        leftOff.add(new LeftOffValue("talk_time", "ld_talk_time_seconds", raw, "not a whole number of seconds"));
        return null;
    }

    private long time(Map<String, String> row, String column) {
        String raw = value(row, column);
        if (raw.isEmpty()) {
            throw new InvalidRecordException("validate", "talk_start", "talk_start and created_at are both empty");
        }
        try {
            return timestamps.toEpochSeconds(raw);
        } catch (IllegalArgumentException e) {
            throw new InvalidRecordException("validate", column, e.getMessage());
        }
    }

    private static String required(Map<String, String> row, String column) {
        String v = value(row, column);
        if (v.isEmpty()) {
            throw new InvalidRecordException("validate", column, column + " is empty");
        }
        return v;
    }

    private static void put(Map<String, Object> attributes, Map<String, String> types, String name, String value) {
        if (!value.isEmpty()) {
            attributes.put(name, value);
            types.put(name, "string");
        }
    }

    private static void line(List<String> lines, String label, String value) {
        if (!value.isEmpty()) {
            lines.add(label + ": " + value);
        }
    }

    private static void appendIf(StringBuilder sb, String separator, String value) {
        if (!value.isEmpty()) {
            sb.append(separator).append(value);
        }
    }

    private static String value(Map<String, String> row, String column) {
        String v = row.get(column);
        return v == null ? "" : v.trim();
    }
}
