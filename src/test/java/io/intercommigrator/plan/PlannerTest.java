package io.intercommigrator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.intercommigrator.intake.ZipLimits;
import io.intercommigrator.mapping.MappingConfig;

class PlannerTest {
    @TempDir
    Path home;
    Path inbox;
    Path work;
    Path mappingFile;

    @BeforeEach
    void fixture() throws Exception {
        inbox = home.resolve("inbox");
        work = home.resolve("work");
        mappingFile = home.resolve("config/mapping.yaml");
        Files.createDirectories(mappingFile.getParent());
        Files.copy(Path.of("config/mapping.yaml"), mappingFile);

        StringBuilder visitors = new StringBuilder("visitor_id,name,email,tags,plan,seats\n");
        for (int i = 1; i <= 25; i++) {
            String email = i == 25 ? "not-an-email" : "v" + i + "@example.com";
            String tags = i == 1 ? "vip|new" : i <= 10 ? "vip" : "";
            String seats = i <= 20 ? String.valueOf(i) : "";
            visitors.append("v").append(i).append(",Visitor ").append(i).append(',').append(email).append(',').append(tags)
                    .append(',').append(i % 2 == 1 ? "gold" : "silver").append(',').append(seats).append('\n');
        }
        write("clickdesk/visitors.csv", visitors.toString());
        write("leaddesk/contacts.csv", """
                contact_id;fname;lname;phone;email;campaign_id;other3;segment
                c1;Anna;Aho;;anna@example.fi;7;x;A
                c2;Nobody;Here;;;;;B
                c3;too;many;fields;a;b;c;d;e;f
                c4;Pekka;Puu;+358401234567;;;;
                """);
        write("notes.txt", "not an export\n");
        Files.write(inbox.resolve("clickdesk/bundle.zip"), zip(Map.of(
                "chats.json", """
                        {"session": [
                          {"chat_id": "ch1", "visitor_id": "v1", "start_time": "1741000000000", "messages": [
                            {"time": "1741000001000", "from": "visitor", "text": "Hello"},
                            {"time": "1741000002000", "from": "agent", "text": "Hi"},
                            {"time": "1741000003000", "from": "visitor", "text": "Thanks"}]},
                          {"chat_id": "ch2", "visitor_id": "v2", "start_time": "1741000100000", "messages": [
                            {"time": "1741000101000", "from": "agent", "text": "Can I help?"},
                            {"time": "1741000102000", "from": "visitor", "text": "No"}]}
                        ]}
                        """,
                "readme.txt", "hello\n")));
    }

    private Planner planner() {
        return new Planner(inbox, work, mappingFile, MappingConfig.load(mappingFile), ZoneOffset.UTC,
                ZoneId.of("Europe/Helsinki"), 1000, 100, ZipLimits.defaults());
    }

    @Test
    void countsProblemsCallsAndProposal() throws Exception {
        Map<String, byte[]> before = snapshot(inbox);

        PlanResult result = planner().plan();

        assertThat(result.objects()).containsExactly(
                Map.entry("contact", new PlanResult.ObjectPlan(29, 1, 2)),
                Map.entry("conversation", new PlanResult.ObjectPlan(2, 0, 0)),
                Map.entry("ticket", new PlanResult.ObjectPlan(0, 0, 0)),
                Map.entry("conversation_part", new PlanResult.ObjectPlan(4, 0, 0)),
                Map.entry("tag", new PlanResult.ObjectPlan(12, 0, 0)),
                Map.entry("note", new PlanResult.ObjectPlan(0, 0, 0)));
        assertThat(result.problems()).containsExactly(
                "clickdesk/bundle.zip!readme.txt: not a known export name",
                "clickdesk/visitors.csv line 26: invalid, invalid email address 'not-an-email'",
                "leaddesk/contacts.csv line 3: will be skipped: LeadDesk contact c2 has neither email nor phone:"
                        + " Intercom needs an identifier",
                result.problems().get(3),
                "notes.txt: not a known export name");
        assertThat(result.problems().get(3)).startsWith("leaddesk/contacts.csv line 4: malformed row, ");
        // 20 provisioning + 24 visitors + 11 visitor tags + c1 (1 + campaign tag) + c4 + 2 chats × (1 + 2 parts + 1)
        assertThat(result.apiCalls()).isEqualTo(66);
        assertThat(result.estimatedDuration()).isEqualTo(Duration.ofMillis(3960));

        String yaml = result.proposedYaml();
        assertThat(yaml).contains("""
                  extra_columns:
                    # visitors.csv: inferred options
                    # fill 1.00, samples: "gold", "silver"
                    # options: "gold", "silver"
                    plan: {attribute: cd_plan, type: string}
                    # visitors.csv: inferred integer
                    # fill 0.80, samples: "1", "2", "3"
                    seats: {attribute: cd_seats, type: integer}
                """);
        assertThat(yaml).contains("""
                  extra_columns:
                    # contacts.csv: inferred string
                    # fill 0.67, samples: "A", "B"
                    segment: {attribute: ld_segment, type: string}
                """);
        assertThat(yaml).startsWith(Files.readString(mappingFile).substring(0, 40)).doesNotContain("other3");
        assertThat(yaml.lines().filter(l -> l.startsWith("confirmed:"))).containsExactly("confirmed: false");

        Path proposed = planner().writeProposal(result);
        assertThat(proposed).isEqualTo(home.resolve("config/mapping.proposed.yaml"));
        MappingConfig loaded = MappingConfig.load(proposed);
        assertThat(loaded.confirmed()).isFalse();
        assertThat(loaded.clickdesk().extraColumns()).containsExactly(
                Map.entry("plan", new MappingConfig.ExtraColumn("cd_plan", "string")),
                Map.entry("seats", new MappingConfig.ExtraColumn("cd_seats", "integer")));
        assertThat(loaded.leaddesk().extraColumns()).containsExactly(
                Map.entry("segment", new MappingConfig.ExtraColumn("ld_segment", "string")));
        assertThat(loaded.clickdesk().contactAttributes()).isEqualTo(MappingConfig.load(mappingFile).clickdesk().contactAttributes());

        assertThat(snapshot(inbox)).containsExactlyEntriesOf(before);
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left).isEmpty(); // the unpacked bundle is gone
        }

        String text = Planner.render(result);
        assertThat(text).contains("contact                      29          1          2")
                .contains("  - notes.txt: not a known export name")
                .endsWith("API calls: 66 (≈ 4 s at 1000/min)\n");
    }

    /** plan counts a ticket as what the routing rule makes it, as the run's report does (chat, closed email: conversation). */
    @Test
    void ticketsCountAsWhatTheRoutingRuleMakesThem() throws Exception {
        write("clickdesk/tickets.csv", """
                ticket_id,subject,body,status,priority,channel,department,agent_email,visitor_id,visitor_name,visitor_email,created_at,updated_at,tags
                t1,A,a,open,high,web,,,v1,,,2025-03-05T10:00:00Z,,
                t2,B,b,Closed,low,Email,,,v1,,,2025-03-05T10:00:00Z,,
                t3,C,c,open,low,chat,,,v1,,,2025-03-05T10:00:00Z,,
                t4,D,d,open,low,email,,,v1,,,2025-03-05T10:00:00Z,,
                """);

        PlanResult result = planner().plan();

        assertThat(result.objects().get("ticket").records()).as("t1 (web), t4 (open email)").isEqualTo(2);
        assertThat(result.objects().get("conversation").records()).as("2 chats + t2 + t3").isEqualTo(4);
    }

    @Test
    void sameInboxSameProposal() {
        PlanResult first = planner().plan();
        PlanResult second = planner().plan();
        assertThat(second.proposedYaml()).isEqualTo(first.proposedYaml());
        assertThat(second).isEqualTo(first);
    }

    @Test
    void mappedColumnsAreNotProposedAgainAndTheProposalMergesIntoExistingEntries() throws Exception {
        String original = Files.readString(mappingFile);
        Files.writeString(mappingFile, original
                .replace("confirmed: false", "confirmed: true\nchecksum: abc")
                .replaceFirst("extra_columns: \\{}", "extra_columns: {seats: {attribute: cd_seat_count, type: integer}}")
                .replaceFirst("  extra_columns: \\{}\\s*$", "  extra_columns:\n    tier: {attribute: ld_tier, type: string}\n"));

        PlanResult result = planner().plan();
        Path proposed = home.resolve("proposed.yaml");
        Files.writeString(proposed, result.proposedYaml());
        MappingConfig loaded = MappingConfig.load(proposed);

        assertThat(loaded.confirmed()).isFalse();
        assertThat(loaded.checksum()).isNull();
        assertThat(loaded.clickdesk().extraColumns()).containsExactly(
                Map.entry("seats", new MappingConfig.ExtraColumn("cd_seat_count", "integer")),
                Map.entry("plan", new MappingConfig.ExtraColumn("cd_plan", "string")));
        assertThat(loaded.leaddesk().extraColumns()).containsExactly(
                Map.entry("tier", new MappingConfig.ExtraColumn("ld_tier", "string")),
                Map.entry("segment", new MappingConfig.ExtraColumn("ld_segment", "string")));
    }

    @Test
    void typesAreInferredFromTheValues() throws Exception {
        Files.delete(inbox.resolve("clickdesk/visitors.csv"));
        StringBuilder csv = new StringBuilder("visitor_id,email,score,active,renewal,last_login,nickname\n");
        for (int i = 1; i <= 30; i++) {
            csv.append("v").append(i).append(",,").append(i).append(".5,").append(i % 2 == 0 ? "yes" : "No")
                    .append(",2026-03-").append(String.format("%02d", i)).append(",2026-03-01 09:").append(i + 10)
                    .append(",nick").append(i).append('\n');
        }
        write("clickdesk/visitors.csv", csv.toString());

        Map<String, MappingConfig.ExtraColumn> proposed = proposedExtraColumns(planner().plan());

        assertThat(proposed).containsExactly(
                Map.entry("active", new MappingConfig.ExtraColumn("cd_active", "boolean")),
                Map.entry("last_login", new MappingConfig.ExtraColumn("cd_last_login", "date")),
                Map.entry("nickname", new MappingConfig.ExtraColumn("cd_nickname", "string")),
                Map.entry("renewal", new MappingConfig.ExtraColumn("cd_renewal", "date")),
                Map.entry("score", new MappingConfig.ExtraColumn("cd_score", "float")));
    }

    @Test
    void finnishDatesAndNumbersAsExportsWriteThemAreTypedAndABadValueIsAProblemLineNotASkip() throws Exception {
        Files.delete(inbox.resolve("clickdesk/visitors.csv"));
        StringBuilder csv = new StringBuilder("visitor_id,email,seats,renewal\n");
        for (int i = 1; i <= 30; i++) {
            csv.append("v").append(i).append(",,\"").append(i).append(" 234,5\",").append(i % 28 + 1).append(".")
                    .append(i % 2 == 0 ? "05" : "5").append(".2027\n");
        }
        write("clickdesk/visitors.csv", csv.toString());

        Map<String, MappingConfig.ExtraColumn> proposed = proposedExtraColumns(planner().plan());

        assertThat(proposed).containsExactly(
                Map.entry("renewal", new MappingConfig.ExtraColumn("cd_renewal", "date")),
                Map.entry("seats", new MappingConfig.ExtraColumn("cd_seats", "float")));

        String original = Files.readString(mappingFile);
        Files.writeString(mappingFile, original.replaceFirst("extra_columns: \\{}",
                "extra_columns: {seats: {attribute: cd_seats, type: float}, renewal: {attribute: cd_renewal, type: date}}"));
        write("clickdesk/visitors.csv", "visitor_id,email,seats,renewal\nv1,,many,31.02.2027\n");
        List<String> problems = planner().plan().problems();
        assertThat(problems).contains(
                "clickdesk/visitors.csv line 2: column seats: 'many' will be left off cd_seats (not a valid float for attribute"
                        + " cd_seats); the contact still moves");
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith(
                "clickdesk/visitors.csv line 2: column renewal: '31.02.2027' will be left off cd_renewal"));
        assertThat(problems).noneSatisfy(p -> assertThat(p).contains("invalid"));
    }

    @Test
    void refusedFilesBecomeProblemLines() throws Exception {
        write("clickdesk/tickets.csv", "subject,body\nhello,world\n");
        Files.write(inbox.resolve("broken.zip"), "not a zip".getBytes(StandardCharsets.UTF_8));

        List<String> problems = planner().plan().problems();

        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("broken.zip: refused, not a readable zip archive"));
        assertThat(problems).anySatisfy(p -> assertThat(p)
                .startsWith("clickdesk/tickets.csv: missing required column(s) [ticket_id, created_at]"));
    }

    @Test
    void leadDeskContactsAndLeadsWithoutAPhoneColumnAreReadByEmail() throws Exception {
        write("leaddesk/contacts.csv", "contact_id;fname;email\nc9;Anna;c9@example.fi\n");
        write("leaddesk/leads.csv", "lead_id;fname;email\nl1;Liisa;liisa@example.fi\nl2;Ei;\n");

        List<String> problems = planner().plan().problems();

        assertThat(problems).noneSatisfy(p -> assertThat(p).contains("missing required column"));
        assertThat(problems).contains("leaddesk/leads.csv line 3: will be skipped: LeadDesk lead l2 has neither email nor phone:"
                + " Intercom needs an identifier");
    }

    private Map<String, MappingConfig.ExtraColumn> proposedExtraColumns(PlanResult result) throws Exception {
        Path proposed = home.resolve("proposed.yaml");
        Files.writeString(proposed, result.proposedYaml());
        return MappingConfig.load(proposed).clickdesk().extraColumns();
    }

    private void write(String relative, String text) throws Exception {
        Path file = inbox.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static byte[] zip(Map<String, String> files) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> f : new TreeMap<>(files).entrySet()) {
                zip.putNextEntry(new ZipEntry(f.getKey()));
                zip.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static Map<String, byte[]> snapshot(Path root) throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted().toList()) {
                files.put(root.relativize(p).toString() + (Files.isDirectory(p) ? "/" : ""),
                        Files.isDirectory(p) ? new byte[0] : Files.readAllBytes(p));
            }
        }
        return files;
    }
}
