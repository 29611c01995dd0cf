package io.intercommigrator.report.handoff;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.intercommigrator.ledger.Ledger;
import io.intercommigrator.core.OwnerOnly;
import io.intercommigrator.core.RunAccounting;

/**
 * Writes the handoff folder (mapping.md, "Handoff folder"): what the customer's admin must do by hand after the run.
 * ClickDesk: provisioning checklist, saved-replies.csv, widget-recreation checklist, Fin AI Agent brief,
 * reporting-gap disclosure. LeadDesk: provisioning checklist and the inventory JSON (campaigns, dialer, LeadApps,
 * dispositions, offices, projects). Only documents for systems present in the ledger catalog or the run are written.
 * Built from the ledger catalog and the run's counts; agents and teams that match nothing in Intercom are also put
 * on the reconciliation queue. Output is deterministic (sorted by natural key); every file is owner-only.
 */
public final class HandoffWriter {
    /** Intercom admins by email and teams by name, as the run resolved them. */
    public interface Directory {
        Optional<String> adminId(String email);

        Optional<String> teamId(String name);
    }

    private final Ledger ledger;
    private final RunAccounting accounting;
    private final Directory directory;
    private final String runId;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public HandoffWriter(Ledger ledger, RunAccounting accounting, Directory directory, String runId) {
        this.ledger = ledger;
        this.accounting = accounting;
        this.directory = directory;
        this.runId = runId;
    }

    /** Writes the documents into {@code handoffFolder} (created owner-only) and returns them, README.md last. */
    public List<Path> write(Path handoffFolder) {
        Facts facts = new Facts(ledger, accounting, directory, runId, json);
        boolean clickDesk = facts.present(Facts.CLICKDESK, ClickDeskDocuments.KINDS);
        boolean leadDesk = facts.present(Facts.LEADDESK, LeadDeskInventory.KINDS);
        if (!clickDesk && !leadDesk) {
            return List.of();
        }
        ClickDeskDocuments cd = clickDesk ? new ClickDeskDocuments(facts) : null;
        LeadDeskInventory ld = leadDesk ? new LeadDeskInventory(facts) : null;
        Map<String, String> docs = new LinkedHashMap<>();

        Md checklist = new Md().h1("Provisioning checklist");
        checklist.para("Run " + runId + ". Intercom has no API to create teammates, teams or saved replies."
                + " Create the items below by hand, then replay the run so records pick up their assignee and team."
                + " Each item is also on the reconciliation queue.");
        if (cd != null) {
            cd.provisioning(checklist);
        }
        if (ld != null) {
            ld.provisioning(checklist);
        }
        docs.put("provisioning-checklist.md", checklist.toString());
        if (cd != null) {
            if (cd.hasCannedResponses()) {
                docs.put("saved-replies.csv", cd.savedReplies());
            }
            docs.put("widget-recreation-checklist.md", cd.widgetChecklist());
            docs.put("fin-ai-agent-brief.md", cd.finBrief());
            docs.put("reporting-gap-disclosure.md", cd.reportingGap());
        }
        if (ld != null) {
            docs.put("inventory/campaigns.json", pretty(ld.campaigns()));
            docs.put("inventory/dialer.json", pretty(ld.dialer()));
            docs.put("inventory/leadapps.json", pretty(ld.leadApps()));
            docs.put("inventory/dispositions.json", pretty(ld.dispositions()));
            docs.put("inventory/offices.json", pretty(ld.offices()));
            docs.put("inventory/projects.json", pretty(ld.projects()));
        }
        docs.put("README.md", readme(docs.keySet()));

        List<Path> written = new ArrayList<>();
        try {
            OwnerOnly.createDirectories(handoffFolder);
            for (Map.Entry<String, String> doc : docs.entrySet()) {
                Path file = handoffFolder.resolve(doc.getKey());
                if (!file.getParent().equals(handoffFolder)) {
                    OwnerOnly.createDirectories(file.getParent());
                }
                OwnerOnly.createFile(file);
                Files.writeString(file, doc.getValue(), StandardCharsets.UTF_8,
                        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                written.add(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(written);
    }

    private static final Map<String, String> PURPOSE = Map.ofEntries(
            Map.entry("provisioning-checklist.md", "teammates, teams and saved replies to create by hand in Intercom, with the suggested seat."),
            Map.entry("saved-replies.csv", "ClickDesk canned responses, ready to recreate as Intercom saved replies."),
            Map.entry("widget-recreation-checklist.md", "steps to rebuild the ClickDesk chat widget as the Intercom Messenger, with routing and office hours."),
            Map.entry("fin-ai-agent-brief.md", "facts from the ClickDesk export for configuring Fin AI Agent and its handover to teams."),
            Map.entry("reporting-gap-disclosure.md", "ClickDesk reports that are not migrated, and what to capture before closing ClickDesk."),
            Map.entry("inventory/campaigns.json", "every LeadDesk campaign's full configuration, with a one-line summary."),
            Map.entry("inventory/dialer.json", "dialer settings per campaign and the raw dialer configuration, to redesign outbound work."),
            Map.entry("inventory/leadapps.json", "the LeadApp export and a summary per app, to reconfigure elsewhere."),
            Map.entry("inventory/dispositions.json", "the LeadDesk result and outcome taxonomy and the Intercom attributes and tags it became."),
            Map.entry("inventory/offices.json", "LeadDesk offices, their Intercom team, timezone and VoIP routing."),
            Map.entry("inventory/projects.json", "LeadDesk projects, their Intercom team, status, sponsor and timezone."));

    private String readme(Iterable<String> names) {
        Md md = new Md().h1("Handoff folder");
        md.para("Written by run " + runId + ". What each document is for:");
        for (String name : names) {
            md.bullet("`" + name + "`: " + PURPOSE.get(name));
        }
        md.bullet("`README.md`: this list.");
        return md.blank().toString();
    }

    private String pretty(ObjectNode node) {
        try {
            return json.writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
