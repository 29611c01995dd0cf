package io.intercommigrator.report.handoff;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.intercommigrator.mapping.Values;

/** The ClickDesk handoff: provisioning section, saved replies, widget checklist, Fin brief, reporting gaps. */
final class ClickDeskDocuments {
    static final List<String> KINDS = List.of("agent", "department", "canned_response");
    private static final String NO_TEAM = "not created yet";

    private final Facts facts;
    private final List<Facts.Row> agents;
    private final List<Facts.Row> cannedResponses;
    /** department name → agents in it, names sorted case-insensitively. */
    private final Map<String, Integer> departments = new LinkedHashMap<>();

    ClickDeskDocuments(Facts facts) {
        this.facts = facts;
        this.agents = facts.rows(Facts.CLICKDESK, "agent");
        this.cannedResponses = facts.rows(Facts.CLICKDESK, "canned_response");
        Map<String, String> nameById = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (Facts.Row d : facts.rows(Facts.CLICKDESK, "department")) {
            String name = d.text("name").isEmpty() ? d.key() : d.text("name");
            nameById.put(d.text("department_id").isEmpty() ? d.key() : d.text("department_id"), name);
            names.add(name);
        }
        Map<String, Integer> members = new HashMap<>();
        for (Facts.Row a : agents) {
            for (String dep : Values.multi(a.text("departments"))) {
                String name = nameById.getOrDefault(dep, dep);
                names.add(name);
                members.merge(name.toLowerCase(Locale.ROOT), 1, Integer::sum);
            }
        }
        for (String name : Facts.sortedNames(names)) {
            departments.put(name, members.getOrDefault(name.toLowerCase(Locale.ROOT), 0));
        }
    }

    boolean hasCannedResponses() {
        return !cannedResponses.isEmpty();
    }

    static String seat(String role) {
        String r = role.toLowerCase(Locale.ROOT);
        return switch (r) {
            case "admin" -> "Admin (full seat)";
            case "agent" -> "Teammate";
            default -> "Teammate (unknown role '" + role + "')";
        };
    }

    /**
     * Departments a chat, ticket or offline message named that match no team and departments.csv does not list (they
     * reached the queue when their threads moved); LeadDesk offices and projects have their own list.
     */
    private List<List<String>> threadDepartments() {
        java.util.Set<String> known = new java.util.HashSet<>();
        departments.keySet().forEach(d -> known.add(d.toLowerCase(Locale.ROOT)));
        for (String kind : List.of("office", "project")) {
            facts.rows(Facts.LEADDESK, kind).forEach(r -> known.add(r.text("name").toLowerCase(Locale.ROOT)));
        }
        List<List<String>> out = new ArrayList<>();
        for (io.intercommigrator.core.RunAccounting.QueueEntry q : facts.accounting.queue()) {
            if (q.kind().equals("unmatched team") && known.add(q.subject().toLowerCase(Locale.ROOT))) {
                out.add(List.of(q.subject(), "—"));
            }
        }
        return out;
    }

    private String teamOf(String department) {
        return facts.team(department).map(id -> "team " + id).orElse(NO_TEAM);
    }

    // ---- provisioning-checklist.md (ClickDesk section) ---------------------------------------

    void provisioning(Md md) {
        md.h2("ClickDesk");
        md.h3("Teammates to create");
        List<List<String>> rows = new ArrayList<>();
        List<List<String>> seats = new ArrayList<>();
        for (Facts.Row a : agents) {
            String name = a.text("name");
            String email = Facts.orDash(Values.normaliseEmail(a.text("email")));
            java.util.Optional<String> admin = facts.admin(a.text("email"), name, a.key());
            if (admin.isEmpty()) {
                rows.add(List.of(name, email, Facts.orDash(a.text("role")), a.text("departments").replace("|", ", "), seat(a.text("role"))));
            } else {
                seats.add(List.of(name, email, Facts.orDash(a.text("role")), "admin " + admin.get(), seat(a.text("role"))));
            }
        }
        md.table(List.of("Name", "Email", "ClickDesk role", "Departments", "Suggested Intercom seat"), rows,
                agents.isEmpty() ? "The export holds no ClickDesk agents." : "Every ClickDesk agent matches an Intercom teammate by email.");
        if (!rows.isEmpty()) {
            md.para("Intercom has no API to create teammates. Invite them by hand, set the seat, then replay the run"
                    + " so their conversations get them as assignee.");
        }
        md.h3("Teammates that exist: check their seat");
        md.table(List.of("Name", "Email", "ClickDesk role", "Intercom teammate", "Suggested Intercom seat"), seats,
                agents.isEmpty() ? "The export holds no ClickDesk agents." : "No ClickDesk agent matches an Intercom teammate yet.");
        if (!seats.isEmpty()) {
            md.para("Their conversations are assigned to them. The API cannot set a seat or a role: check each by hand.");
        }
        md.h3("Teams to create");
        List<List<String>> teams = new ArrayList<>();
        departments.forEach((name, count) -> {
            if (facts.team(name).isEmpty()) {
                teams.add(List.of(name, String.valueOf(count)));
            }
        });
        teams.addAll(threadDepartments());
        md.table(List.of("ClickDesk department", "Agents"), teams,
                departments.isEmpty() ? "The export holds no ClickDesk departments." : "Every ClickDesk department matches an Intercom team by name.");
        if (!teams.isEmpty()) {
            md.para("Teams cannot be created through the API. Create each one with the same name, or map it in config/mapping.yaml.");
        }
        md.h3("Saved replies to recreate");
        md.para(cannedResponses.isEmpty() ? "The export holds no canned responses."
                : Md.count(cannedResponses.size(), "canned response", "canned responses") + ". Intercom has no API to create saved replies."
                        + " Recreate them by hand from `saved-replies.csv`.");
    }

    // ---- saved-replies.csv --------------------------------------------------------------------

    String savedReplies() {
        List<List<String>> rows = new ArrayList<>();
        for (Facts.Row r : cannedResponses) {
            rows.add(List.of(raw(r, "title"), raw(r, "shortcut"), raw(r, "category"), raw(r, "message")));
        }
        return SavedRepliesCsv.render(rows);
    }

    /** The value as exported: not trimmed, so a message keeps its own spacing. */
    private static String raw(Facts.Row r, String field) {
        com.fasterxml.jackson.databind.JsonNode v = r.value().get(field);
        return v == null || v.isNull() ? "" : v.isValueNode() ? v.asText() : v.toString();
    }

    // ---- widget-recreation-checklist.md ------------------------------------------------------

    String widgetChecklist() {
        Md md = new Md().h1("Messenger widget recreation checklist");
        md.para("ClickDesk's widget configuration cannot be exported, so it was not migrated."
                + " Rebuild it in Intercom with this list. It is built from the ClickDesk export of run " + facts.runId + ".");
        md.h2("From the export");
        long admins = agents.stream().filter(a -> a.text("role").equalsIgnoreCase("admin")).count();
        long offline = facts.deliveredInRun(Facts.CLICKDESK, "ticket", "offline-");
        md.table(List.of("Item", "Count"), List.of(
                List.of("Departments", String.valueOf(departments.size())),
                List.of("Agents", agents.size() + " (" + Md.count(admins, "admin", "admins") + ", " + Md.count(agents.size() - admins, "agent", "agents") + ")"),
                List.of("Conversations in Intercom (chats, social threads, chat and email tickets)", String.valueOf(facts.inIntercom("conversation"))),
                List.of("Tickets in Intercom (helpdesk tickets and offline messages)", String.valueOf(facts.inIntercom("ticket"))),
                List.of("Offline messages delivered as tickets in this run", String.valueOf(offline)),
                List.of("Canned responses", String.valueOf(cannedResponses.size()))), "");
        md.para(countsScope());
        md.h2("Departments that routed chats");
        List<List<String>> rows = new ArrayList<>();
        departments.forEach((name, count) -> rows.add(List.of(name, String.valueOf(count), teamOf(name))));
        md.table(List.of("Department", "Agents", "Intercom team"), rows, "The export names no departments.");
        md.h2("Steps");
        md.task("Take screenshots of the ClickDesk widget settings (colours, greeting, position, pre-chat form, offline form) before you close ClickDesk.");
        md.task("Install the Intercom Messenger on every page that showed the ClickDesk widget. Remove the ClickDesk script in the same release.");
        md.task("Set the Messenger colour, logo, greeting and launcher position to match the screenshots.");
        md.task("Turn on the Messenger for visitors (leads) as well as logged-in users, as the ClickDesk widget served both.");
        if (departments.isEmpty()) {
            md.task("Decide how conversations are assigned: the export names no departments.");
        } else {
            md.task("Create the teams marked \"" + NO_TEAM + "\" above (see provisioning-checklist.md).");
            md.task("Route new conversations to teams with assignment rules or a workflow: one rule per department ("
                    + String.join(", ", departments.keySet()) + "). ClickDesk let visitors pick a department;"
                    + " ask the same question in the Messenger, or route by page URL.");
        }
        md.task("Set office hours for the workspace and for each team, and the reply-time expectation the Messenger shows.");
        md.task("Offline form: ClickDesk's offline messages became tickets with cd_channel_source = Offline (" + offline
                + " in this run). Outside office hours, let the Messenger collect the visitor's email, or offer a ticket form,"
                + " so these requests keep arriving as tickets.");
        md.task("Social channels: if the ClickDesk social toolbar was used, connect Facebook and Twitter / X in Intercom."
                + " Migrated social threads carry cd_channel_source = Facebook or Twitter.");
        md.task("Add the saved replies from saved-replies.csv (" + cannedResponses.size() + " rows).");
        md.task("Test: start a conversation in and out of office hours and check that it reaches the right team.");
        return md.toString();
    }

    // ---- fin-ai-agent-brief.md ----------------------------------------------------------------

    String finBrief() {
        Md md = new Md().h1("Fin AI Agent brief");
        md.para("Fin was not configured by the migration. This brief gives the facts from the ClickDesk export of run "
                + facts.runId + " to configure it.");
        md.h2("Volume");
        md.table(List.of("Migrated", "Count"), List.of(
                List.of("Contacts and leads", String.valueOf(facts.inIntercom("contact"))),
                List.of("Conversations", String.valueOf(facts.inIntercom("conversation"))),
                List.of("Tickets", String.valueOf(facts.inIntercom("ticket"))),
                List.of("Messages and replies", String.valueOf(facts.inIntercom("conversation_part")))), "");
        md.para(countsScope());

        Map<String, Integer> categories = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Map<String, Integer> titles = new TreeMap<>();
        for (Facts.Row r : cannedResponses) {
            categories.merge(r.text("category").isEmpty() ? "(no category)" : r.text("category"), 1, Integer::sum);
            if (!r.text("title").isEmpty()) {
                titles.merge(r.text("title"), 1, Integer::sum);
            }
        }
        md.h2("Canned responses by category");
        List<List<String>> catRows = new ArrayList<>();
        categories.forEach((c, n) -> catRows.add(List.of(c, String.valueOf(n), handoverFor(c))));
        md.table(List.of("Category", "Canned responses", "Hand over to"), catRows, "The export holds no canned responses.");
        md.h2("Most common canned response titles");
        List<Map.Entry<String, Integer>> top = new ArrayList<>(titles.entrySet());
        top.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        List<List<String>> topRows = new ArrayList<>();
        top.stream().limit(10).forEach(e -> topRows.add(List.of(e.getKey(), String.valueOf(e.getValue()))));
        md.table(List.of("Title", "Count"), topRows, "No titled canned responses.");
        md.para("These answers are what agents sent most. Turn them into help center articles or Fin snippets first;"
                + " Fin answers only from content you give it.");

        md.h2("Hand over to teams");
        List<List<String>> handover = new ArrayList<>();
        departments.forEach((name, count) -> handover.add(List.of(name, teamOf(name))));
        md.table(List.of("Department (topic)", "Intercom team"), handover,
                "The export names no departments: hand over to the default inbox.");
        md.para("Let Fin hand over to the team of the department the visitor's question belongs to."
                + " A category with the same name as a department hands over to that department's team."
                + " Everything else goes to the default inbox until you decide.");
        md.h2("Before you switch Fin on");
        md.task("Add the content above as sources for Fin.");
        md.task("Set Fin's handover to the teams above, with office hours (see widget-recreation-checklist.md).");
        md.task("Fin is billed per resolution: watch the first weeks' resolutions against the volume above.");
        md.task("Test Fin on the most common titles before going live.");
        return md.toString();
    }

    private String handoverFor(String category) {
        for (String dep : departments.keySet()) {
            if (dep.equalsIgnoreCase(category)) {
                return dep + " (" + teamOf(dep) + ")";
            }
        }
        return "default inbox";
    }

    // ---- reporting-gap-disclosure.md ----------------------------------------------------------

    String reportingGap() {
        Md md = new Md().h1("Reporting-gap disclosure");
        md.para("ClickDesk reports and analytics are not migrated. ClickDesk has no export for them,"
                + " and Intercom cannot import report data.");
        md.h2("Not migrated");
        md.table(List.of("ClickDesk report", "Why"), List.of(
                List.of("Chat volume over time", "Dashboard only; no export."),
                List.of("Response times (first and average)", "Dashboard only; no export. Intercom measures its own from go-live."),
                List.of("Agent handle times", "Dashboard only; no export."),
                List.of("Satisfaction scores (report)", "Dashboard only; no export. The rating of each chat is kept as cd_chat_rating where the export had it."),
                List.of("Agent online / offline history", "ClickDesk does not keep it.")), "");
        md.h2("What the migrated data still allows");
        md.table(List.of("Migrated", "Count"), List.of(
                List.of("Conversations", String.valueOf(facts.inIntercom("conversation"))),
                List.of("Tickets", String.valueOf(facts.inIntercom("ticket"))),
                List.of("Offline messages as tickets (this run)", String.valueOf(facts.deliveredInRun(Facts.CLICKDESK, "ticket", "offline-"))),
                List.of("Messages and replies", String.valueOf(facts.inIntercom("conversation_part")))), "");
        md.para(countsScope());
        md.para("Migrated conversations and tickets keep their original dates, channel (cd_channel_source) and assignee."
                + " You can count them by month, channel or team. Response and handle times of the old threads cannot be rebuilt.");
        md.h2("Before you close ClickDesk");
        md.task("Capture every ClickDesk dashboard you use (screenshots or the dashboard's own download) for the full history.");
        md.task("Note the baseline numbers (chat volume, response time, handle time, satisfaction) to compare with Intercom.");
        md.task("Keep the captures with this handoff folder.");
        return md.toString();
    }

    private String countsScope() {
        return facts.accounting.systems().size() > 1
                ? "Counts are for the whole run (" + String.join(", ", facts.accounting.systems()) + ")."
                : "Counts are for run " + facts.runId + ".";
    }
}
