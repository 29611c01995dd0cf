package io.intercommigrator.intake;

import java.util.Locale;

/**
 * Every file the migrator accepts (export-formats.md), with the phase it is handled in: a record never moves
 * before what it references (0 attributes and inventories, 1 people, 2 contacts, 3 threads, 4 thread additions,
 * 5 tags). {@code route} is the direct: route that reads it.
 */
public enum DropKind {
    CLICKDESK_CANNED_RESPONSES("clickdesk", "canned_responses.csv", 0, "definition-file"),
    CLICKDESK_AGENTS("clickdesk", "agents.csv", 1, "definition-file"),
    CLICKDESK_DEPARTMENTS("clickdesk", "departments.csv", 1, "definition-file"),
    CLICKDESK_VISITORS("clickdesk", "visitors.csv", 2, "clickdesk-visitors"),
    CLICKDESK_CHATS("clickdesk", "chats.json", 3, "clickdesk-chats"),
    CLICKDESK_TICKETS("clickdesk", "tickets.csv", 3, "clickdesk-tickets"),
    CLICKDESK_OFFLINE_MESSAGES("clickdesk", "offline_messages.csv", 3, "clickdesk-offline-messages"),
    CLICKDESK_SOCIAL_MESSAGES("clickdesk", "social_messages.csv", 3, "clickdesk-social"),
    CLICKDESK_TICKET_MESSAGES("clickdesk", "ticket_messages.csv", 4, "clickdesk-ticket-messages"),
    CLICKDESK_VOIP_CALLS("clickdesk", "voip_calls.csv", 4, "clickdesk-voip-calls"),
    CLICKDESK_TAGS("clickdesk", "tags.csv", 5, "clickdesk-tags"),

    LEADDESK_CUSTOM_FIELDS("leaddesk", "custom_fields.json", 0, "leaddesk-custom-fields"),
    LEADDESK_CAMPAIGNS("leaddesk", "campaigns.json", 0, "leaddesk-campaigns"),
    LEADDESK_RESULTS_OUTCOMES("leaddesk", "results_outcomes.json", 0, "leaddesk-results-outcomes"),
    LEADDESK_DIALER_CONFIG("leaddesk", "dialer_config.json", 0, "definition-file"),
    LEADDESK_LEADAPPS("leaddesk", "leadapps.json", 0, "definition-file"),
    LEADDESK_AGENTS("leaddesk", "agents.csv", 1, "definition-file"),
    LEADDESK_PROJECTS("leaddesk", "projects.csv", 1, "definition-file"),
    LEADDESK_OFFICES("leaddesk", "offices.csv", 1, "definition-file"),
    LEADDESK_CONTACTS("leaddesk", "contacts.csv", 2, "leaddesk-contacts"),
    LEADDESK_LEADS("leaddesk", "leads.csv", 2, "leaddesk-leads"),
    LEADDESK_CALL_RECORDS("leaddesk", "call_records.csv", 3, "leaddesk-call-records"),
    LEADDESK_CHATBOT_EXPORT("leaddesk", "chatbot_export*.zip", 3, "leaddesk-chatbot"),

    /** A .zip holding several of the above; unpacked and handled file by file in phase order. */
    BUNDLE(null, "*.zip", -1, "bundle");

    private final String system;
    private final String baseName;
    private final int phase;
    private final String route;

    DropKind(String system, String baseName, int phase, String route) {
        this.system = system;
        this.baseName = baseName;
        this.phase = phase;
        this.route = route;
    }

    public String system() {
        return system;
    }

    public String baseName() {
        return baseName;
    }

    public int phase() {
        return phase;
    }

    public String route() {
        return route;
    }

    /** Matches "visitors.csv", "Visitors.CSV" and prefixed names such as "acme_2026-11-01_visitors.csv". */
    boolean matches(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        if (baseName.contains("*")) {
            String[] parts = baseName.split("\\*", -1);
            int at = n.indexOf(parts[0]);
            return at >= 0 && (at == 0 || isSeparator(n.charAt(at - 1))) && n.endsWith(parts[1]);
        }
        return n.equals(baseName) || (n.endsWith(baseName) && isSeparator(n.charAt(n.length() - baseName.length() - 1)));
    }

    private static boolean isSeparator(char c) {
        return c == '_' || c == '-' || c == '.' || c == ' ';
    }
}
