package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import io.intercommigrator.testing.AgainstFakeIntercom;
import io.intercommigrator.testing.MigratorHarness.Result;

/**
 * Hostile and broken input through the real CLI and routes, live against the local Intercom-like server, with the
 * default limits: every case ends with a message naming the file (and the line or entry), exit code 0, nothing half
 * made in Intercom, and the good rows of the same drop delivered. Zip slip, a small-limit bomb, a missing column,
 * unbalanced quotes and invalid emails are in {@link BackboneEndToEndTest}; this class holds the rest.
 */
class HostileInputEndToEndTest extends AgainstFakeIntercom {
    private static final String TOKEN = "tok_hostile_9f8e7d6c5b4a";
    private static final String HEADER = "visitor_id,name,email\n";

    @Override
    protected String token() {
        return TOKEN;
    }

    private List<String> externalIds() {
        return intercom.contacts().stream().map(c -> c.path("external_id").asText()).toList();
    }

    private String refusal(String relative) throws IOException {
        return Files.readString(migrator.inbox().resolve(".failed").resolve(relative + ".error.txt"));
    }

    @Test
    void aRealZipBombOverOneGibibyteIsRefusedWithoutFillingTheDisk() throws Exception {
        // 1.1 GiB of zeros deflates to about 1 MiB: the default guards (2 GiB total, ratio 200) must stop it early
        Path bomb = migrator.inbox().resolve("clickdesk/clickdesk-export.zip");
        Files.createDirectories(bomb.getParent());
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bomb))) {
            zip.setLevel(Deflater.BEST_COMPRESSION);
            zip.putNextEntry(new ZipEntry("visitors.csv"));
            zip.write(HEADER.getBytes(StandardCharsets.UTF_8));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 1126; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
        }
        assertThat(Files.size(bomb)).isLessThan(16L << 20);
        migrator.drop("clickdesk/good/visitors.csv", HEADER + "v1,Anna,anna@example.de\n");

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(refusal("clickdesk/clickdesk-export.zip")).contains("clickdesk-export.zip", "visitors.csv", "intake.zip.max-");
        assertThat(externalIds()).containsExactly("v1");
        try (var files = Files.walk(home)) {
            long biggest = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).max().orElse(0);
            assertThat(biggest).as("no file anywhere near the expanded size was written").isLessThan(64L << 20);
        }
    }

    @Test
    void aTruncatedZipIsRefusedAndTheOtherFilesStillMove() throws Exception {
        byte[] whole = zip("visitors.csv", (HEADER + "v1,Anna,anna@example.de\nv2,Bob,bob@example.com\n").getBytes(StandardCharsets.UTF_8));
        migrator.drop("clickdesk/clickdesk-export.zip", Arrays.copyOf(whole, whole.length / 2));
        migrator.drop("leaddesk/contacts.csv", "contact_id;fname;lname;email;phone\n7;Matti;Meikäläinen;matti@example.fi;\n");

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(refusal("clickdesk/clickdesk-export.zip")).contains("clickdesk-export.zip").containsIgnoringCase("zip");
        assertThat(externalIds()).containsExactly("ld-contact-7");
        assertThat(run.report().path("reconciliation_queue").toString()).contains("clickdesk-export.zip");
    }

    @Test
    void anEmptyFileIsReportedNotCrashedOn() throws Exception {
        migrator.drop("clickdesk/visitors.csv", "");
        migrator.drop("clickdesk/chats.json", "");
        migrator.drop("leaddesk/contacts.csv", "contact_id;fname;lname;email;phone\n7;Matti;Meikäläinen;matti@example.fi;\n");

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(refusal("clickdesk/visitors.csv")).contains("visitors.csv", "empty");
        assertThat(refusal("clickdesk/chats.json")).contains("chats.json", "empty");
        assertThat(externalIds()).containsExactly("ld-contact-7");
    }

    @Test
    void aWindows1252FileArrivesWithItsAccents() {
        String csv = HEADER + "v1,Jürgen Weiß,juergen@example.de\nv2,Françoise Lefèvre,francoise@example.fr\n";
        migrator.drop("clickdesk/visitors.csv", csv.getBytes(Charset.forName("windows-1252")));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(intercom.contacts()).extracting(c -> c.path("name").asText())
                .containsExactlyInAnyOrder("Jürgen Weiß", "Françoise Lefèvre");
        run.assertAddsUp();
    }

    @Test
    void aTenMegabyteFieldIsDeadLetteredWithItsLineAndTheRestMoves() {
        String huge = "x".repeat(10 << 20);
        String csv = HEADER + "v1,Anna,anna@example.de\nv2," + huge + ",bob@example.com\nv3,Carla,carla@example.com\n";
        migrator.drop("clickdesk/visitors.csv", csv);

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(externalIds()).containsExactlyInAnyOrder("v1", "v3");
        List<JsonNode> dead = migrator.deadLetters();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).path("line").asLong()).isEqualTo(3);
        assertThat(dead.get(0).path("error").path("message").asText()).contains("clickdesk/visitors.csv line 3");
        assertThat(dead.get(0).toString().length()).as("the dead letter does not carry 10 MB").isLessThan(1 << 20);
        assertThat(run.counts("contact").path("source").asLong()).isEqualTo(3);
        run.assertAddsUp();
    }

    @Test
    void jsonThatIsNotAnArrayOfSessionsIsRefusedNamingTheFile() throws Exception {
        migrator.drop("clickdesk/visitors.csv", HEADER + "v1,Anna,anna@example.de\n");
        migrator.drop("clickdesk/chats.json", "{\"session\": {\"chat_id\": \"c1\", \"visitor_id\": \"v1\"}}");

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(refusal("clickdesk/chats.json")).contains("chats.json", "array");
        assertThat(externalIds()).containsExactly("v1");
        assertThat(intercom.conversations()).isEmpty();
    }

    @Test
    void aSessionThatIsNotAnObjectIsDeadLetteredWithItsEntryAndTheOthersMove() {
        migrator.drop("clickdesk/visitors.csv", HEADER + "v1,Anna,anna@example.de\n");
        migrator.drop("clickdesk/chats.json", """
                {"session": [
                  "not a session",
                  {"chat_id": "c2", "visitor_id": "v1", "start_time": "1741000000000",
                   "messages": [{"time": "1741000000000", "from": "visitor", "text": "Hei!"}]}
                ]}
                """);

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(intercom.conversations()).hasSize(1);
        List<JsonNode> dead = migrator.deadLetters();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).path("error").path("message").asText()).contains("chats.json");
        run.assertAddsUp();
    }

    @Test
    void invalidAndDuplicateEmailsEndAsOneContactAndOneDeadLetter() {
        migrator.drop("clickdesk/visitors.csv", HEADER
                + "v1,Anna,anna@example.de\nv2,Anna Again,ANNA@example.de\nv3,Broken,anna@@example\nv4,Dan,dan@example.com\n");

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(intercom.contacts()).extracting(c -> c.path("email").asText().toLowerCase())
                .containsExactlyInAnyOrder("anna@example.de", "dan@example.com");
        List<JsonNode> dead = migrator.deadLetters();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).path("error").path("message").asText()).contains("line 4", "anna@@example");
        run.assertAddsUp();
    }

    private static byte[] zip(String entry, byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(content);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
