package io.intercommigrator.report.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.intercommigrator.ledger.JdbcLedger;
import io.intercommigrator.core.RunAccounting;
import io.intercommigrator.core.RunAccounting.QueueEntry;

class HandoffWriterTest {
    private static int ledgers;

    @TempDir
    Path tmp;

    private final JdbcLedger ledger = JdbcLedger.inMemory("handoff-" + (ledgers++));
    private final RunAccounting accounting = new RunAccounting();
    private final HandoffWriter.Directory directory = new MapDirectory(
            Map.of("anna@example.com", "101", "liisa@example.fi", "201"),
            Map.of("Sales", "7", "Helsinki", "8"));

    @AfterEach
    void close() {
        ledger.close();
    }

    private record MapDirectory(Map<String, String> admins, Map<String, String> teams) implements HandoffWriter.Directory {
        @Override
        public Optional<String> adminId(String email) {
            return Optional.ofNullable(admins.get(email));
        }

        @Override
        public Optional<String> teamId(String name) {
            return Optional.ofNullable(teams.get(name));
        }
    }

    private void clickDesk() {
        accounting.system("clickdesk");
        ledger.putCatalog("clickdesk", "agent", "a1",
                "{\"agent_id\":\"a1\",\"name\":\"Anna Aho\",\"email\":\"Anna@Example.com\",\"role\":\"agent\",\"departments\":\"Sales\"}");
        ledger.putCatalog("clickdesk", "agent", "a2",
                "{\"agent_id\":\"a2\",\"name\":\"Bob Berg\",\"email\":\"bob@example.com\",\"role\":\"admin\",\"departments\":\"Support\"}");
        ledger.putCatalog("clickdesk", "department", "d1", "{\"department_id\":\"d1\",\"name\":\"Sales\"}");
        ledger.putCatalog("clickdesk", "department", "d2", "{\"department_id\":\"d2\",\"name\":\"Support\"}");
        ledger.putCatalog("clickdesk", "canned_response", "1",
                "{\"response_id\":\"1\",\"title\":\"Total\",\"shortcut\":\"/sum\",\"category\":\"Billing\",\"message\":\"=SUM(A1)\"}");
        ledger.putCatalog("clickdesk", "canned_response", "2",
                "{\"response_id\":\"2\",\"title\":\"Minus\",\"shortcut\":\"/m\",\"category\":\"Billing\",\"message\":\"-1\"}");
        ledger.putCatalog("clickdesk", "canned_response", "10",
                "{\"response_id\":\"10\",\"title\":\"Hello\",\"shortcut\":\"/hi\",\"category\":\"Sales\",\"message\":\"Hi, \\\"friend\\\"\"}");
        for (int i = 0; i < 3; i++) {
            accounting.source("conversation");
            accounting.outcome("conversation", RunAccounting.Outcome.CREATED);
        }
    }

    private void leadDesk() {
        accounting.system("leaddesk");
        ledger.putCatalog("leaddesk", "agent", "7",
                "{\"agent_id\":\"7\",\"username\":\"liisa\",\"name\":\"Liisa Laine\",\"email\":\"liisa@example.fi\",\"role\":\"agent\",\"office\":\"Helsinki\",\"project_ids\":\"P1\",\"employment\":\"active\"}");
        ledger.putCatalog("leaddesk", "agent", "8",
                "{\"agent_id\":\"8\",\"username\":\"matti\",\"name\":\"Matti Mäki\",\"email\":\"matti@example.fi\",\"role\":\"teamleader\",\"office\":\"Tampere\",\"project_ids\":\"P1\",\"employment\":\"inactive\"}");
        ledger.putCatalog("leaddesk", "office", "O1",
                "{\"office_id\":\"O1\",\"name\":\"Helsinki\",\"timezone\":\"Europe/Helsinki\",\"voip_routing\":\"queue-1\"}");
        ledger.putCatalog("leaddesk", "office", "O2",
                "{\"office_id\":\"O2\",\"name\":\"Tampere\",\"timezone\":\"Europe/Helsinki\",\"voip_routing\":\"queue-2\"}");
        ledger.putCatalog("leaddesk", "project", "P1",
                "{\"project_id\":\"P1\",\"name\":\"Energy\",\"status\":\"active\",\"sponsor\":\"Acme\",\"timezone\":\"Europe/Helsinki\",\"agent_emails\":\"liisa@example.fi\"}");
        ledger.putCatalog("leaddesk", "campaign", "12",
                "{\"id\":\"12\",\"name\":\"Kevät 2026\",\"copy_of\":\"\",\"project_id\":\"P1\",\"sponsor\":\"Acme\",\"status\":\"active\","
                        + "\"agent_ids\":[\"7\",\"8\"],\"dialer\":{\"mode\":\"predictive\",\"dial_ratio\":2.5,\"retry_rules\":\"3x every 2h\",\"wrap_up_seconds\":30,\"rounds\":3}}");
        ledger.putCatalog("leaddesk", "result", "r1", "{\"id\":\"r1\",\"name\":\"Sale made\",\"campaign_id\":\"12\",\"is_finalizing\":true}");
        ledger.putCatalog("leaddesk", "outcome", "o1", "{\"id\":\"o1\",\"name\":\"Positive\"}");
        ledger.putCatalog("intercom", "conversation_attribute", "ld_disposition", "{\"name\":\"ld_disposition\","
                + "\"data_type\":\"list\",\"options\":[\"Sale made\",\"No answer\"],\"origin\":\"created by run run-2\"}");
        ledger.putCatalog("leaddesk", "leadapps", "file",
                "[{\"name\":\"Order form\",\"purpose\":\"Records orders during calls\",\"description\":\"Form app\"}]");
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    private static List<String> names(Path folder, List<Path> written) {
        return written.stream().map(p -> folder.relativize(p).toString().replace('\\', '/')).toList();
    }

    @Test
    void onlyClickDeskDocumentsWhenOnlyClickDeskDataExists() {
        clickDesk();
        Path folder = tmp.resolve("handoff");
        List<Path> written = new HandoffWriter(ledger, accounting, directory, "run-1").write(folder);
        assertThat(names(folder, written)).containsExactly("provisioning-checklist.md", "saved-replies.csv",
                "widget-recreation-checklist.md", "fin-ai-agent-brief.md", "reporting-gap-disclosure.md", "README.md");
        assertThat(folder.resolve("inventory")).doesNotExist();
    }

    @Test
    void unmatchedAgentAndTeamAreListedAndQueued() throws IOException {
        clickDesk();
        Path folder = tmp.resolve("handoff");
        new HandoffWriter(ledger, accounting, directory, "run-1").write(folder);
        String checklist = read(folder.resolve("provisioning-checklist.md"));
        assertThat(checklist).contains("| Bob Berg | bob@example.com | admin | Support | Admin (full seat) |");
        assertThat(checklist).contains("| Support | 1 |");
        assertThat(checklist).contains("3 canned responses.").contains("`saved-replies.csv`");
        assertThat(checklist).doesNotContain("| Sales |");
        // the agent that matches a teammate is recorded with its role and seat, in the table of existing teammates
        String toCreate = checklist.substring(checklist.indexOf("### Teammates to create"), checklist.indexOf("### Teammates that exist"));
        assertThat(toCreate).doesNotContain("anna@example.com");
        assertThat(checklist.substring(checklist.indexOf("### Teammates that exist"))).containsPattern(
                "\\| [^|]+ \\| anna@example.com \\| agent \\| admin \\w+ \\| Teammate");
        assertThat(accounting.queue()).extracting(QueueEntry::kind, QueueEntry::subject)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("unmatched agent", "bob@example.com"),
                        org.assertj.core.groups.Tuple.tuple("unmatched team", "Support"));
    }

    @Test
    void savedRepliesAreNeutralisedQuotedAndOwnerOnly() throws IOException {
        clickDesk();
        Path folder = tmp.resolve("handoff");
        new HandoffWriter(ledger, accounting, directory, "run-1").write(folder);
        Path csv = folder.resolve("saved-replies.csv");
        assertThat(read(csv)).isEqualTo("title,shortcut,category,message\r\n"
                + "Total,/sum,Billing,'=SUM(A1)\r\n"
                + "Minus,/m,Billing,'-1\r\n"
                + "Hello,/hi,Sales,\"Hi, \"\"friend\"\"\"\r\n");
        if (csv.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(csv))).isEqualTo("rw-------");
        }
    }

    @Test
    void widgetChecklistNamesTheRealDepartments() throws IOException {
        clickDesk();
        Path folder = tmp.resolve("handoff");
        new HandoffWriter(ledger, accounting, directory, "run-1").write(folder);
        String widget = read(folder.resolve("widget-recreation-checklist.md"));
        assertThat(widget).contains("| Sales | 1 | team 7 |").contains("| Support | 1 | not created yet |");
        assertThat(widget).contains("one rule per department (Sales, Support)");
        assertThat(widget).contains("| Agents | 2 (1 admin, 1 agent) |");
        String fin = read(folder.resolve("fin-ai-agent-brief.md"));
        assertThat(fin).contains("| Billing | 2 | default inbox |").contains("| Sales | 1 | Sales (team 7) |");
        assertThat(read(folder.resolve("reporting-gap-disclosure.md"))).contains("| Conversations | 3 |");
    }

    @Test
    void leadDeskInventoriesHoldDialerModeAndCampaignName() throws IOException {
        leadDesk();
        Path folder = tmp.resolve("handoff");
        List<Path> written = new HandoffWriter(ledger, accounting, directory, "run-2").write(folder);
        assertThat(names(folder, written)).containsExactly("provisioning-checklist.md", "inventory/campaigns.json",
                "inventory/dialer.json", "inventory/leadapps.json", "inventory/dispositions.json", "inventory/offices.json",
                "inventory/projects.json", "README.md");
        String campaigns = read(folder.resolve("inventory/campaigns.json"));
        assertThat(campaigns).contains("\"name\" : \"Kevät 2026\"").contains("\"mode\" : \"predictive\"")
                .contains("\"summary\" : \"Campaign \\\"Kevät 2026\\\" (id 12, active) for project Energy (P1), sponsor Acme:"
                        + " predictive dialer, dial ratio 2.5, 3 rounds, 30 s wrap-up, retry rules: 3x every 2h, 2 agents.\"");
        String dialer = read(folder.resolve("inventory/dialer.json"));
        assertThat(dialer).contains("\"campaign_name\" : \"Kevät 2026\"").contains("\"mode\" : \"predictive\"")
                .contains("\"dialer_config\" : null").contains("redesign");
        assertThat(read(folder.resolve("inventory/dispositions.json")))
                .contains("\"intercom_tag\" : \"ld_disposition_sale_made\"").contains("\"name\" : \"Positive\"")
                .contains("\"intercom_tag\" : \"ld_outcome_positive\"")
                .contains("\"ld_disposition\" : {\n      \"name\" : \"ld_disposition\",\n      \"data_type\" : \"list\"")
                .contains("\"ld_outcome\" : {\n      \"data_type\" : null,\n      \"note\" : \"not provisioned yet: no call record was migrated\"");
        assertThat(read(folder.resolve("inventory/leadapps.json")))
                .contains("\"Order form: Records orders during calls. Form app\"");
        String offices = read(folder.resolve("inventory/offices.json"));
        assertThat(offices).contains("\"intercom_team\" : \"8\"").contains("\"intercom_team\" : \"unmatched\"")
                .contains("ld_office_timezone");
        String checklist = read(folder.resolve("provisioning-checklist.md"));
        assertThat(checklist).contains("| Matti Mäki | matti | matti@example.fi | teamleader | Tampere | inactive |"
                + " inactive in LeadDesk: create only if needed |");
        assertThat(checklist).containsPattern("\\| Liisa Laine \\| liisa \\| liisa@example.fi \\| agent \\| Helsinki \\| active \\| admin \\w+ \\|");
        assertThat(checklist).contains("| office | Tampere | Europe/Helsinki |").contains("| project | Energy | Europe/Helsinki |");
        assertThat(checklist).doesNotContain("## ClickDesk");
        assertThat(accounting.queue()).extracting(QueueEntry::subject)
                .containsExactlyInAnyOrder("matti@example.fi", "Tampere", "Energy");
    }

    @Test
    void outputIsDeterministic() throws IOException {
        clickDesk();
        leadDesk();
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        List<Path> first = new HandoffWriter(ledger, accounting, directory, "run-3").write(a);
        new HandoffWriter(ledger, accounting, directory, "run-3").write(b);
        assertThat(first).hasSize(12);
        for (Path p : first) {
            assertThat(read(b.resolve(a.relativize(p)))).isEqualTo(read(p));
        }
        assertThat(read(a.resolve("README.md"))).contains("- `inventory/dialer.json`: ").contains("- `saved-replies.csv`: ");
    }
}
