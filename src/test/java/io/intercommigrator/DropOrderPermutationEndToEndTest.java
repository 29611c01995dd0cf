package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.intercommigrator.testing.DropOrderPermutations;
import io.intercommigrator.testing.DropOrderPermutations.Export;
import io.intercommigrator.testing.WorkspaceSnapshot;

/**
 * Issue 13 item 3: the drop order must not change the result. A small export holding every file kind of each
 * system is migrated as a bundle (the baseline), all files at once, and one file per run in reverse order and in
 * seeded random orders, each after {@code plan} + {@code confirm} on the whole export; every final workspace must
 * equal the bundle's ({@link WorkspaceSnapshot}). The long mode is {@code bench/permutations.sh}.
 */
class DropOrderPermutationEndToEndTest {
    /**
     * Seeded random orders per system in this (CI) mode, kept to one so both systems take under a minute;
     * {@code -Dpermutations.random-orders=N} runs N, and bench/permutations.sh runs more on bigger exports.
     */
    private static final int RANDOM_ORDERS = Integer.getInteger("permutations.random-orders", 1);

    @TempDir
    Path root;

    static Map<String, byte[]> clickdesk() {
        Map<String, String> files = new LinkedHashMap<>(ClickDeskEndToEndTest.BUNDLE);
        // a call inside chat c1's span: a note on c1 whatever came first, never a conversation of its own
        files.put("voip_calls.csv", """
                call_id,visitor_id,phone,agent_email,direction,started_at,duration_seconds,recording_url,notes
                p1,v1,+49 1,sam@acme.test,inbound,2025-03-03T11:20:00Z,95,https://rec.example/p1.mp3,Called about invoice
                p2,v2,,sam@acme.test,outbound,2025-03-09T08:00:00Z,30,,Call back
                """);
        return bytes(files);
    }

    static Map<String, byte[]> leaddesk() throws Exception {
        Map<String, String> files = new LinkedHashMap<>(LeadDeskEndToEndTest.bundle());
        files.put("custom_fields.json", """
                [{"field":"other1","label":"Sopimus päättyy","type":"date"},
                 {"field":"other2","label":"Kulutus","type":"number"},
                 {"field":"other3","label":"Kiinnostus","type":"multiselect"}]
                """);
        files.put("campaigns.json", "[{\"id\":\"c1\",\"name\":\"Kevät 2026\",\"project_id\":\"p1\",\"dialer\":{\"mode\":\"power\"}},"
                + "{\"id\":\"c4\",\"name\":\"Syksy 2026\",\"project_id\":\"p1\"}]");
        files.put("projects.csv", "project_id;name;status;sponsor;timezone;agent_emails\np1;Energia B2C;active;Helen Oy;Europe/Helsinki;sam@acme.test\n");
        files.put("contacts.csv", """
                contact_id;fname;lname;phone;email;campaign_id;other1;other2;other3
                5001;Matti;Meikäläinen;+358 40 1;matti@example.fi;c1;2026-12-31;1200;sähkö|kaasu
                5002;Maija;Mehiläinen;+358 40 2;maija@example.fi;c4;2027-01-15;850;sähkö
                """);
        // Maija is in contacts.csv and in leads.csv: the contacts.csv row owns her identity whichever file comes first
        files.put("leads.csv", files.get("leads.csv") + "L3;Maija;Mehiläinen;;maija@example.fi;new;;c4;;;;2026-03-03 09:00:00\n");
        files.put("dialer_config.json", "{\"mode\":\"power\",\"dial_ratio\":1.5}");
        files.put("leadapps.json", "[{\"id\":\"la1\",\"name\":\"Survey\"}]");
        Map<String, byte[]> out = bytes(files);
        out.put("chatbot_export_2026.zip", BundleZips.zip(LeadDeskEndToEndTest.chatbot(true)));
        return out;
    }

    private static Map<String, byte[]> bytes(Map<String, String> files) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        files.forEach((k, v) -> out.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    /**
     * Every ClickDesk file kind but voip_calls.csv: tags.csv, ticket_messages.csv and thread files before what they
     * reference, social_messages.csv before visitors.csv.
     */
    @Test
    void clickDeskEveryOrderEndsInTheBundlesWorkspace() {
        Map<String, byte[]> files = clickdesk();
        files.remove("voip_calls.csv");
        everyOrderEndsInTheBundlesWorkspace(new Export("clickdesk", files, List.of("owner@acme.test", "sam@acme.test"),
                List.of("Support", "Sales")), 29L);
    }

    /**
     * With voip_calls.csv, without social_messages.csv: a call dropped before the chat whose span holds it opens its
     * own conversation, and moves onto the chat when the chat arrives (VoipCallDelivery), so every order ends as the
     * bundle does.
     */
    @Test
    void clickDeskWithVoipCallsButNoSocialThreadsEveryOrderEndsInTheBundlesWorkspace() {
        Map<String, byte[]> files = clickdesk();
        files.remove("social_messages.csv");
        everyOrderEndsInTheBundlesWorkspace(new Export("clickdesk", files, List.of("owner@acme.test", "sam@acme.test"),
                List.of("Support", "Sales")), 29L);
    }

    /**
     * With voip_calls.csv and social_messages.csv. voip_calls.csv plus social_messages.csv before visitors.csv make
     * two contacts of one visitor (a lead by visitor_id, a user by email); visitors.csv merges the lead into the user
     * (ContactUpserter, POST /contacts/merge), so the chat and the call end on one contact as in the bundle.
     */
    @Test
    void clickDeskWithVoipCallsEveryOrderEndsInTheBundlesWorkspace() {
        everyOrderEndsInTheBundlesWorkspace(new Export("clickdesk", clickdesk(), List.of("owner@acme.test", "sam@acme.test"),
                List.of("Support", "Sales")), 29L);
    }

    @Test
    void leadDeskEveryOrderEndsInTheBundlesWorkspace() throws Exception {
        everyOrderEndsInTheBundlesWorkspace(new Export("leaddesk", leaddesk(), List.of("owner@acme.test", "sam@acme.test"),
                List.of("Helsinki", "Energia B2C")), 11L);
    }

    private void everyOrderEndsInTheBundlesWorkspace(Export export, long firstSeed) {
        DropOrderPermutations permutations = new DropOrderPermutations(root);
        DropOrderPermutations.Outcome baseline = permutations.bundle(export);
        assertThat(baseline.runProblems()).as("the bundle's runs").isEmpty();
        assertThat(baseline.snapshot().objects()).as("the bundle's workspace").hasSizeGreaterThan(5);

        Map<String, List<String>> orders = new LinkedHashMap<>();
        orders.put("all at once", null);
        orders.put("reverse", DropOrderPermutations.reversed(export));
        for (long seed = firstSeed; seed < firstSeed + RANDOM_ORDERS; seed++) {
            orders.put("random " + seed, DropOrderPermutations.shuffled(export, seed));
        }
        List<String> failures = new ArrayList<>();
        orders.forEach((name, order) -> {
            DropOrderPermutations.Outcome o = order == null ? permutations.allAtOnce(export) : permutations.oneFilePerRun(export, order);
            WorkspaceSnapshot.Comparison c = baseline.snapshot().compare(o.snapshot());
            if (!c.same() || !o.runProblems().isEmpty()) {
                failures.add(name + (order == null ? "" : " (" + String.join(" → ", order) + ")") + ": " + c.details()
                        + (o.runProblems().isEmpty() ? "" : "\n  runs: " + o.runProblems()));
            }
        });
        assertThat(failures).as("drop orders whose workspace differs from the bundle's").isEmpty();
    }
}
