package io.intercommigrator.intercom;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;

import io.intercommigrator.core.RunAccounting;

/**
 * Existing Intercom admins by email and teams by name, read once per run (admins and teams cannot be created
 * through the API). Source agents and departments resolve here; what does not match goes to the reconciliation
 * queue and the provisioning checklist. The token's own admin ({@code GET /me}) authors what no admin matches.
 */
public final class AdminDirectory {
    private final IntercomClient client;
    private final RunAccounting accounting;
    private final Map<String, String> teamOverrides;
    private volatile Map<String, String> adminsByEmail;
    private volatile Map<String, String> teamsByName;
    private volatile String me;

    /** @param teamOverrides source department / office / project name → Intercom team name (config/mapping.yaml) */
    public AdminDirectory(IntercomClient client, RunAccounting accounting, Map<String, String> teamOverrides) {
        this.client = client;
        this.accounting = accounting;
        this.teamOverrides = teamOverrides;
    }

    public Optional<String> adminId(String email, String sourceName) {
        if (email == null || email.isBlank()) {
            return Optional.empty();
        }
        String id = admins().get(email.trim().toLowerCase(Locale.ROOT));
        if (id == null) {
            accounting.queueOnce("unmatched agent", email.trim().toLowerCase(Locale.ROOT), "no Intercom admin with this email"
                    + (sourceName == null || sourceName.isBlank() ? "" : " (" + sourceName + ")")
                    + ": create the teammate in Intercom, then replay; records moved without this assignee");
        }
        return Optional.ofNullable(id);
    }

    public Optional<String> teamId(String sourceName) {
        if (sourceName == null || sourceName.isBlank()) {
            return Optional.empty();
        }
        String wanted = teamOverrides.getOrDefault(sourceName.trim(), sourceName.trim());
        String id = teams().get(wanted.toLowerCase(Locale.ROOT));
        if (id == null) {
            accounting.queue("unmatched team", sourceName.trim(), "no Intercom team named '" + wanted
                    + "': create it in Intercom (teams cannot be created through the API) or map it in config/mapping.yaml");
        }
        return Optional.ofNullable(id);
    }

    /** The admin the token belongs to: authors notes and replies of agents that match no admin. */
    public String defaultAdminId() {
        String id = me;
        if (id == null) {
            synchronized (this) {
                if (me == null) {
                    me = client.get("/me").id();
                }
                id = me;
            }
        }
        return id;
    }

    private Map<String, String> admins() {
        Map<String, String> known = adminsByEmail;
        if (known == null) {
            synchronized (this) {
                if (adminsByEmail == null) {
                    Map<String, String> loaded = new ConcurrentHashMap<>();
                    for (JsonNode a : client.get("/admins").body().path("admins")) {
                        if (a.hasNonNull("email")) {
                            loaded.put(a.path("email").asText().trim().toLowerCase(Locale.ROOT), a.path("id").asText());
                        }
                    }
                    adminsByEmail = loaded;
                }
                known = adminsByEmail;
            }
        }
        return known;
    }

    private Map<String, String> teams() {
        Map<String, String> known = teamsByName;
        if (known == null) {
            synchronized (this) {
                if (teamsByName == null) {
                    Map<String, String> loaded = new ConcurrentHashMap<>();
                    for (JsonNode t : client.get("/teams").body().path("teams")) {
                        loaded.put(t.path("name").asText().trim().toLowerCase(Locale.ROOT), t.path("id").asText());
                    }
                    teamsByName = loaded;
                }
                known = teamsByName;
            }
        }
        return known;
    }
}
