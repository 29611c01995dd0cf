package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import io.intercommigrator.testing.AgainstFakeIntercom;
import io.intercommigrator.testing.MigratorHarness;
import io.intercommigrator.testing.MigratorHarness.Result;
import io.intercommigrator.testing.TestLog;

import io.intercommigrator.core.ExitCode;
/** The backbone end to end: real CLI, real Camel Main and YAML routes, a local Intercom-like server. */
class BackboneEndToEndTest extends AgainstFakeIntercom {
    private static final String TOKEN = "tok_live_5ecr3t_abcdef123456";
    static final String VISITORS = """
            visitor_id,name,email,phone,tags,social_source,city,country,country_code,browser,os,first_seen,last_seen
            v1,Anna Müller,Anna.Mueller@Example.DE,+49 30 1,vip|newsletter,,Berlin,Germany,DE,Firefox,Linux,1741000000000,1741086400000
            v2,José Álvarez,jose@example.es,,newsletter,facebook,Madrid,Spain,ES,Chrome,Windows,1741100000000,
            v3,Visitor 3,,,,twitter,Austin,United States,US,Safari,macOS,,
            """;

    @Override
    protected String token() {
        return TOKEN;
    }

    private ObjectNode contactByExternalId(String externalId) {
        return intercom.contacts().stream().filter(c -> externalId.equals(c.path("external_id").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no contact with external_id " + externalId + " in " + intercom.contacts()));
    }

    private static List<String> tagNames(JsonNode contact) {
        return contact.path("tags").path("data").findValuesAsText("name");
    }

    @Test
    void dropOfBothSystemsBecomesContactsWithTheRightFields() {
        migrator.drop("clickdesk/visitors.csv", VISITORS);
        migrator.drop("leaddesk/custom_fields.json", """
                [{"field":"other1","label":"Contract end","type":"date"},{"field":"other2","label":"Seats","type":"number"}]""");
        migrator.drop("leaddesk/contacts.csv", """
                contact_id;fname;lname;phone;email;company;campaign_id;other1;other2
                5001;Matti;Meikäläinen;+358 40 1;matti@example.fi;Meikäläinen Oy;c1;2026-10-25 03:30:00;12
                5004;Ei;Tunnistetta;;;;;;
                """);

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        ObjectNode anna = contactByExternalId("v1");
        assertThat(anna.path("role").asText()).isEqualTo("user");
        assertThat(anna.path("email").asText()).isEqualTo("anna.mueller@example.de");
        assertThat(anna.path("name").asText()).isEqualTo("Anna Müller");
        assertThat(anna.path("signed_up_at").asLong()).isEqualTo(1741000000L);
        assertThat(anna.path("custom_attributes").path("cd_original_visitor_id").asText()).isEqualTo("v1");
        assertThat(anna.path("custom_attributes").path("cd_city").asText()).isEqualTo("Berlin");
        assertThat(tagNames(anna)).containsExactlyInAnyOrder("vip", "newsletter");
        ObjectNode jose = contactByExternalId("v2");
        assertThat(jose.path("custom_attributes").path("social_source").asText()).isEqualTo("facebook");
        ObjectNode lead = contactByExternalId("v3");
        assertThat(lead.path("role").asText()).isEqualTo("lead");
        assertThat(lead.path("email").isNull() || lead.path("email").asText().isEmpty()).isTrue();

        ObjectNode matti = contactByExternalId("ld-contact-5001");
        assertThat(matti.path("name").asText()).isEqualTo("Matti Meikäläinen");
        // 03:30 on 2026-10-25 happens twice in Helsinki: the earlier (summer time, +03:00) is taken → 00:30 UTC
        assertThat(matti.path("custom_attributes").path("ld_contract_end").asLong()).isEqualTo(1792888200L);
        assertThat(matti.path("custom_attributes").path("ld_seats").asLong()).isEqualTo(12L);
        assertThat(tagNames(matti)).containsExactly("ld_campaign_c1");
        assertThat(intercom.dataAttributes()).extracting(a -> a.path("name").asText() + ":" + a.path("data_type").asText())
                .contains("ld_contract_end:date", "ld_seats:integer", "cd_original_visitor_id:string");

        assertThat(intercom.contacts()).hasSize(4);
        JsonNode contacts = run.counts("contact");
        assertThat(contacts.path("source").asLong()).isEqualTo(5);
        assertThat(contacts.path("created").asLong()).isEqualTo(4);
        assertThat(contacts.path("skipped").asLong()).isEqualTo(1);
        assertThat(run.report().path("reconciliation_queue").toString()).contains("neither email nor phone");
        run.assertAddsUp();
        assertThat(intercom.requests()).allSatisfy(r -> {
            assertThat(r.headers().get("authorization")).isEqualTo("Bearer " + TOKEN);
            assertThat(r.headers().get("intercom-version")).isEqualTo("2.16");
        });
        assertThat(Files.exists(migrator.inbox().resolve(".done"))).isTrue();
        assertThat(migrator.inbox().resolve("clickdesk/visitors.csv")).doesNotExist();
    }

    @Test
    void duplicateEmailsInsideTheExportMergeIntoOneContact() {
        migrator.drop("clickdesk/visitors.csv", """
                visitor_id,name,email,phone
                v1,Anna Müller,anna@example.de,
                v2,Anna M.,  ANNA@example.de ,+49 1
                v3,Anna,anna@example.de,
                """);

        Result run = migrator.once();

        assertThat(intercom.contacts()).hasSize(1);
        assertThat(intercom.duplicateEmails()).isEmpty();
        ObjectNode anna = intercom.contacts().get(0);
        assertThat(anna.path("phone").asText()).isEqualTo("+49 1");
        assertThat(run.counts("contact").path("created").asLong()).isEqualTo(1);
        assertThat(run.counts("contact").path("updated").asLong()).isEqualTo(2);
        run.assertAddsUp();
    }

    @Test
    void preExistingContactIsUpdatedNotDuplicated() {
        ObjectNode existing = JsonNodeFactory.instance.objectNode().put("email", "jose@example.es").put("name", "Jose A")
                .put("external_id", "crm-77").put("role", "user");
        String id = intercom.seedContact(existing);
        migrator.drop("clickdesk/visitors.csv", VISITORS);

        Result run = migrator.once();

        assertThat(intercom.contacts()).hasSize(3);
        ObjectNode jose = intercom.contact(id);
        assertThat(jose.path("name").asText()).isEqualTo("José Álvarez");
        assertThat(jose.path("external_id").asText()).as("the workspace's own external_id is kept").isEqualTo("crm-77");
        assertThat(run.counts("contact").path("updated").asLong()).isEqualTo(1);
        assertThat(intercom.requests()).anySatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.status()).isEqualTo(409);
        });
        run.assertAddsUp();
    }

    @Test
    void identicalReDropSendsNothingAndAChangedOneOnlyTheChange() {
        migrator.drop("clickdesk/visitors.csv", VISITORS);
        migrator.once();
        int before = intercom.requests().size();

        migrator.drop("clickdesk/visitors.csv", VISITORS);
        Result again = migrator.once();

        assertThat(again.exitCode()).isZero();
        assertThat(intercom.requests().size()).as("identical re-drop: zero new requests").isEqualTo(before);
        assertThat(again.counts("contact").path("source").asLong()).as("an identical re-drop reads no record").isZero();
        assertThat(migrator.inbox().resolve("clickdesk/visitors.csv")).as("the re-drop left the inbox").doesNotExist();

        migrator.drop("clickdesk/visitors.csv", VISITORS.replace("Visitor 3", "Visitor Three"));
        Result delta = migrator.once();
        assertThat(delta.counts("contact").path("unchanged").asLong()).isEqualTo(2);
        assertThat(delta.counts("contact").path("updated").asLong()).isEqualTo(1);
        assertThat(intercom.contacts()).hasSize(3);
        delta.assertAddsUp();
    }

    @Test
    void serverErrorsAndDroppedConnectionsAreRetriedThenDelivered() {
        intercom.faultsOnlyFor("POST", "/contacts").failNext(2, 503);
        migrator.drop("clickdesk/visitors.csv", VISITORS);

        Result run = migrator.once();

        assertThat(intercom.contacts()).hasSize(3);
        assertThat(intercom.duplicateEmails()).isEmpty();
        assertThat(run.counts("contact").path("created").asLong()).isEqualTo(3);
        assertThat(run.counts("contact").path("dead_lettered").asLong()).isZero();
        assertThat(migrator.deadLetters()).isEmpty();
        run.assertAddsUp();
    }

    @Test
    void ambiguousWritesAreLookedUpNotBlindlyRetried() {
        intercom.faultsOnlyFor("POST", "/contacts").ambiguousNext(3); // applied, then 502 or a dropped connection
        migrator.drop("clickdesk/visitors.csv", VISITORS);

        Result run = migrator.once();

        assertThat(intercom.contacts()).hasSize(3);
        assertThat(intercom.requests()).filteredOn(r -> r.path().equals("/contacts/search")).isNotEmpty();
        assertThat(intercom.requests()).filteredOn(r -> r.method().equals("POST") && r.path().equals("/contacts"))
                .as("each contact is created once; the 3 ambiguous creates are found by search")
                .hasSize(3);
        assertThat(run.counts("contact").path("created").asLong()).isEqualTo(3);
        run.assertAddsUp();
    }

    @Test
    void badRequestIsDeadLetteredWithIntercomsCodeAndTheRestDelivered() {
        intercom.faultsOnlyFor("POST", "/contacts").failNext(1, 400);
        migrator.drop("clickdesk/visitors.csv", VISITORS);

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(intercom.contacts()).hasSize(2);
        List<JsonNode> dead = migrator.deadLetters();
        assertThat(dead).hasSize(1);
        JsonNode letter = dead.get(0);
        assertThat(letter.path("source_file").asText()).isEqualTo("clickdesk/visitors.csv");
        assertThat(letter.path("line").asLong()).isBetween(2L, 4L);
        assertThat(letter.path("error").path("stage").asText()).isEqualTo("deliver");
        assertThat(letter.path("error").path("status").asInt()).isEqualTo(400);
        assertThat(letter.path("error").path("code").asText()).isNotBlank().isNotEqualTo("unknown");
        assertThat(letter.path("attempts").asInt()).isEqualTo(1);
        assertThat(letter.path("payload").path("external_id").asText()).startsWith("v");
        assertThat(letter.path("source_record").path("visitor_id").asText()).startsWith("v");
        assertThat(run.counts("contact").path("dead_lettered").asLong()).isEqualTo(1);
        JsonNode byCode = run.report().path("dead_letters").path("by_code");
        assertThat(byCode).hasSize(1);
        assertThat(byCode.get(0).path("status").asInt()).isEqualTo(400);
        assertThat(byCode.get(0).path("code").asText()).isEqualTo(letter.path("error").path("code").asText());
        assertThat(byCode.get(0).path("count").asLong()).isEqualTo(1);
        assertThat(byCode.get(0).path("examples").get(0).path("line").asLong()).isEqualTo(letter.path("line").asLong());
        run.assertAddsUp();
    }

    @Test
    void malformedRowIsDeadLetteredWithLineAndTheRestDelivered() throws Exception {
        migrator.drop("clickdesk/visitors.csv", """
                visitor_id,name,email
                v1,Anna,anna@example.de
                v2,"Bob,bob@example.com
                v3,Carla,carla@example.com
                v4,Dan,not-an-email
                """);

        Result run = migrator.once();

        assertThat(intercom.contacts()).extracting(c -> c.path("external_id").asText()).containsExactlyInAnyOrder("v1", "v3");
        List<JsonNode> dead = migrator.deadLetters();
        assertThat(dead).extracting(d -> d.path("line").asLong()).containsExactlyInAnyOrder(3L, 5L);
        JsonNode unbalanced = dead.stream().filter(d -> d.path("line").asLong() == 3).findFirst().orElseThrow();
        assertThat(unbalanced.path("error").path("stage").asText()).isEqualTo("parse");
        assertThat(unbalanced.path("error").path("code").asText()).isEqualTo("malformed_row");
        assertThat(unbalanced.path("error").path("message").asText()).contains("clickdesk/visitors.csv line 3", "quote");
        JsonNode badEmail = dead.stream().filter(d -> d.path("line").asLong() == 5).findFirst().orElseThrow();
        assertThat(badEmail.path("error").path("message").asText()).contains("line 5", "email", "not-an-email");
        Path folder = home.resolve("deadletter").resolve(run.report().path("run_id").asText());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve("contact.jsonl")))).isEqualTo("rw-------");
        assertThat(run.counts("contact").path("source").asLong()).isEqualTo(4);
        run.assertAddsUp();
    }

    private static String mode(Path path) throws java.io.IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void theLedgerAndTheReportAreTheOwnersOnlyAlsoInAWorkFolderAnEarlierVersionLeftOpen() throws Exception {
        // before, H2 made work/ and the ledger file with the default mode: anyone on the machine could read the
        // emails and before-images in it; the report quotes source values too
        Path work = Files.createDirectories(home.resolve("work"));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        migrator.drop("clickdesk/visitors.csv", VISITORS);

        Result first = migrator.once();

        assertThat(first.exitCode()).isZero();
        assertThat(intercom.contacts()).hasSize(3);
        Path ledger = work.resolve("ledger.mv.db");
        assertThat(mode(work)).isEqualTo("rwx------");
        assertThat(mode(ledger)).isEqualTo("rw-------");
        Path report = home.resolve("reports").resolve(first.report().path("run_id").asText());
        assertThat(mode(report)).isEqualTo("rwx------");
        assertThat(mode(report.resolve("reconciliation.json"))).isEqualTo("rw-------");
        assertThat(mode(report.resolve("reconciliation.html"))).isEqualTo("rw-------");

        // a ledger an earlier version left readable is tightened by the next run, which still knows every contact
        Files.setPosixFilePermissions(ledger, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        migrator.drop("clickdesk/visitors.csv", VISITORS + "v4,Dana,dana@example.com,,,,,,,,,,\n");
        Result second = migrator.once();

        assertThat(second.exitCode()).isZero();
        assertThat(mode(work)).isEqualTo("rwx------");
        assertThat(mode(ledger)).isEqualTo("rw-------");
        assertThat(intercom.contacts()).hasSize(4);
        assertThat(second.counts("contact").path("unchanged").asLong()).isEqualTo(3);
        second.assertAddsUp();
    }

    @Test
    void deadLettersNeverStopTheRestOfTheFile() {
        StringBuilder csv = new StringBuilder("visitor_id,name,email\n");
        for (int i = 1; i <= 200; i++) {
            csv.append("v").append(i).append(",Visitor ").append(i).append(",")
                    .append(i % 10 == 3 ? "broken-" + i : "visitor" + i + "@example.com").append("\n");
        }
        migrator.drop("clickdesk/visitors.csv", csv.toString());

        Result run = migrator.once();

        assertThat(intercom.contacts()).hasSize(180);
        assertThat(migrator.deadLetters()).hasSize(20);
        assertThat(run.counts("contact").path("created").asLong()).isEqualTo(180);
        run.assertAddsUp();
    }

    @Test
    void missingColumnZipSlipAndZipBombAreRefusedWithClearMessages() throws Exception {
        migrator.set("intake.zip.max-total-bytes", String.valueOf(1 << 20));
        migrator.drop("clickdesk/visitors.csv", "visitor_id,name\nv1,Anna\n");
        migrator.drop("clickdesk/slip.zip", zip("../../evil.sh", "echo owned".getBytes(StandardCharsets.UTF_8)));
        migrator.drop("clickdesk/bomb.zip", zip("visitors.csv", new byte[8 << 20]));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(intercom.contacts()).isEmpty();
        Path failed = migrator.inbox().resolve(".failed/clickdesk");
        assertThat(Files.readString(failed.resolve("visitors.csv.error.txt")))
                .contains("missing required column(s) [email]", "found [visitor_id, name]");
        assertThat(Files.readString(failed.resolve("slip.zip.error.txt"))).contains("zip slip", "../../evil.sh");
        assertThat(Files.readString(failed.resolve("bomb.zip.error.txt"))).contains("intake.zip.max-");
        assertThat(failed.resolve("visitors.csv")).exists();
        assertThat(home.resolve("evil.sh")).doesNotExist();
        assertThat(run.report().path("reconciliation_queue").toString()).contains("refused file");
    }

    @Test
    void unknownFileIsMovedAsideNotDeleted() {
        migrator.drop("clickdesk/notes.txt", "hello");
        Result run = migrator.once();
        assertThat(run.exitCode()).isZero();
        assertThat(migrator.inbox().resolve(".unrecognized/clickdesk/notes.txt")).exists();
    }

    @Test
    void dryRunSendsNothingAndLeavesTheInboxAlone() {
        MigratorHarness dry = new MigratorHarness(home.resolve("dry")).set("intercom.base-url", intercom.baseUrl());
        dry.drop("clickdesk/visitors.csv", VISITORS);

        Result run = dry.once();

        assertThat(run.exitCode()).isZero();
        assertThat(intercom.requests()).isEmpty();
        assertThat(dry.inbox().resolve("clickdesk/visitors.csv")).exists();
        assertThat(run.report().path("mode").asText()).isEqualTo("dry-run");
        assertThat(run.counts("contact").path("created").asLong()).isEqualTo(3);
        assertThat(run.stdout()).contains("planned requests", "nothing sent");
    }

    @Test
    void rejectedTokenStopsTheRunWithOneMessage() {
        MigratorHarness wrong = new MigratorHarness(home.resolve("wrong")).live(intercom.baseUrl(), "not-the-token");
        wrong.drop("clickdesk/visitors.csv", VISITORS);

        Result run = wrong.once();

        assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION);
        assertThat(run.stdout()).contains("rejected INTERCOM_ACCESS_TOKEN");
        assertThat(wrong.deadLetters()).isEmpty();
        assertThat(wrong.inbox().resolve("clickdesk/visitors.csv")).as("left for the next run").exists();
        assertThat(intercom.requests()).hasSize(1);
    }

    @Test
    void theTokenNeverReachesALogReportOrDeadLetter() throws Exception {
        intercom.faultsOnlyFor("POST", "/contacts").failNext(1, 400);
        migrator.drop("clickdesk/visitors.csv", VISITORS + "v9,Bad,bad-email,,,,,,,,,,\n");
        migrator.drop("clickdesk/slip.zip", zip("../x.csv", new byte[10]));

        Result run = migrator.once();

        assertThat(migrator.deadLetters()).isNotEmpty();
        assertThat(run.stdout()).doesNotContain(TOKEN);
        assertThat(run.stderr()).doesNotContain(TOKEN);
        for (Path file : migrator.writtenFiles()) {
            if (file.getFileName().toString().startsWith("ledger")) {
                continue; // H2's binary pages; the ledger stores no headers, checked below by what it is given
            }
            assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).as(file.toString()).doesNotContain(TOKEN);
        }
        Path testLog = TestLog.FILE;
        if (Files.exists(testLog)) {
            assertThat(Files.readString(testLog, StandardCharsets.ISO_8859_1)).doesNotContain(TOKEN);
        }
    }

    static byte[] zip(String entry, byte[] content) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(content);
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }
}
