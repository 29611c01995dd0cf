package io.intercommigrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.intercommigrator.attachments.LocalFileServer;
import io.intercommigrator.fake.FakeIntercom;
import io.intercommigrator.testing.AgainstFakeIntercom;
import io.intercommigrator.testing.MigratorHarness;
import io.intercommigrator.testing.MigratorHarness.Result;

/**
 * Files move with the record (mapping.md, export-formats.md Attachments), end to end against the fake Intercom: shipped
 * in a bundle's or the drop's attachments/ folder, downloaded from a file server on 127.0.0.1 (with
 * attachments.allow-private-hosts=true) or refused there with the default settings, missing, oversized, slow, more than
 * 10 on a message, on the opening message, a re-run, and a retry after a write whose outcome was lost.
 */
@Timeout(120)
class AttachmentsEndToEndTest extends AgainstFakeIntercom {
    private static final String AGENT = "agent1@acme.test";
    private static final long T0 = 1_741_000_000L;
    private LocalFileServer files;

    @Override
    protected String token() {
        return "tok-files";
    }

    @Override
    protected FakeIntercom.Builder configure(FakeIntercom.Builder server) {
        return server.admin(AGENT, "Agent One");
    }

    @BeforeEach
    void startFileServer() throws Exception {
        files = new LocalFileServer();
    }

    @AfterEach
    void stopFileServer() {
        files.close();
    }

    // ---- fixtures

    /** One chat c1: an opening visitor message, an agent message and a closing visitor message, with these URLs each. */
    private static String chat(List<String> opening, List<String> agent, List<String> visitor) {
        return """
                {"session": [{"chat_id": "c1", "visitor_id": "v1", "name": "Anna", "email": "anna@example.com",
                  "agent_email": "%s", "start_time": "%d000",
                  "messages": [
                    {"time": "%d000", "from": "visitor", "text": "Here is my invoice", "attachments": %s},
                    {"time": "%d000", "from": "agent", "sender_email": "%s", "text": "Thanks, looking", "attachments": %s},
                    {"time": "%d000", "from": "visitor", "text": "And the screenshot", "attachments": %s}]}]}
                """.formatted(AGENT, T0, T0, json(opening), T0 + 60, AGENT, json(agent), T0 + 120, json(visitor));
    }

    private static String json(List<String> urls) {
        return urls.stream().map(u -> "\"" + u + "\"").collect(Collectors.joining(", ", "[", "]"));
    }

    private static byte[] bytes(String text, int size) {
        byte[] out = new byte[size];
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < size; i++) {
            out[i] = (byte) (t[i % t.length] + i / t.length);
        }
        return out;
    }

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private String conversationId() {
        assertThat(intercom.conversations()).hasSize(1);
        return intercom.conversations().get(0).path("id").asText();
    }

    private List<String> queueReasons(Result run) {
        List<String> out = new ArrayList<>();
        run.report().path("reconciliation_queue").forEach(q -> {
            if (q.path("kind").asText().equals("attachment kept as URL")) {
                out.add(q.path("subject").asText() + " => " + q.path("reason").asText());
            }
        });
        return out;
    }

    // ---- tests

    @Test
    void filesShippedInABundleMoveWithTheirMessagesAndTheOpeningMessagesFollowItInANote() throws Exception {
        byte[] invoice = bytes("invoice", 3_000);
        byte[] photo = bytes("photo", 70_000);
        byte[] receipt = bytes("receipt", 10);
        Map<String, byte[]> bundle = new LinkedHashMap<>();
        bundle.put("clickdesk/chats.json", chat(List.of("https://cdn.clickdesk.example/files/Invoice%2012.pdf",
                "https://cdn.clickdesk.example/u/7/photo.png"), List.of("https://cdn.clickdesk.example/files/receipt.txt"),
                List.of()).getBytes(StandardCharsets.UTF_8));
        bundle.put("clickdesk/attachments/files/Invoice 12.pdf", invoice);
        bundle.put("clickdesk/attachments/deep/er/photo.png", photo);
        bundle.put("clickdesk/attachments/receipt.txt", receipt);
        migrator.drop("clickdesk/export.zip", BundleZips.zipBytes(bundle));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        String conversation = conversationId();
        List<ObjectNode> parts = intercom.partsAsReceived(conversation);
        // right after the opening message, at its second: a note with its two files; then the agent's reply with its own
        assertThat(parts.get(0).path("part_type").asText()).isEqualTo("note");
        assertThat(parts.get(0).path("created_at").asLong()).isEqualTo(T0);
        assertThat(parts.get(1).path("body").asText()).contains("Thanks, looking");
        List<FakeIntercom.Upload> uploads = intercom.uploads();
        assertThat(uploads).extracting(FakeIntercom.Upload::name).containsExactly("Invoice 12.pdf", "photo.png", "receipt.txt");
        assertThat(uploads.get(0).partId()).isEqualTo(parts.get(0).path("id").asText());
        assertThat(uploads.get(0).sha256()).isEqualTo(sha(invoice));
        assertThat(uploads.get(0).contentType()).isEqualTo("application/pdf");
        assertThat(uploads.get(1).sha256()).isEqualTo(sha(photo));
        assertThat(uploads.get(1).size()).isEqualTo(photo.length);
        assertThat(uploads.get(2).partId()).isEqualTo(parts.get(1).path("id").asText());
        assertThat(uploads.get(2).partType()).isEqualTo("comment");
        assertThat(uploads.get(2).sha256()).isEqualTo(sha(receipt));
        assertThat(intercom.conversations().get(0).path("source").path("attachments")).isEmpty();
        JsonNode counts = run.counts("attachment");
        assertThat(counts.path("source").asLong()).isEqualTo(3);
        assertThat(counts.path("created").asLong()).isEqualTo(3);
        run.assertAddsUp();
        assertThat(run.report().path("attachments").path("shipped").asLong()).isEqualTo(3);
        assertThat(run.report().path("attachments").path("shipped_bytes").asLong()).isEqualTo(invoice.length + photo.length + 10);
        assertThat(run.report().path("reconciliation_queue").toString()).doesNotContain("attachments/");
        assertThat(migrator.home().resolve("inbox/.unrecognized")).doesNotExist();
    }

    @Test
    void filesNotShippedAreDownloadedAndATicketContactReplysFilesFollowItInANote() throws Exception {
        migrator.set("attachments.allow-private-hosts", "true");
        byte[] scan = bytes("scan", 20_000);
        byte[] logo = bytes("logo", 500);
        files.put("scan.pdf", scan).put("logo.png", logo);
        migrator.drop("clickdesk/chats.json", chat(List.of(), List.of(), List.of(files.url("/files/scan.pdf"))));
        migrator.drop("clickdesk/tickets.csv", """
                ticket_id,subject,body,status,priority,channel,department,agent_email,visitor_id,visitor_name,visitor_email,created_at,updated_at,tags
                t1,Broken logo,It is broken,open,high,web,,%s,v2,Ben,ben@example.com,2025-03-03T10:00:00Z,,
                """.formatted(AGENT));
        migrator.drop("clickdesk/ticket_messages.csv", """
                ticket_id,message_id,author_type,author_email,body,created_at,attachments
                t1,m1,visitor,ben@example.com,Here is the logo,2025-03-03T10:05:00Z,%s
                """.formatted(files.url("/files/logo.png")));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(migrator.deadLetters()).isEmpty();
        List<FakeIntercom.Upload> uploads = intercom.uploads();
        assertThat(uploads).extracting(FakeIntercom.Upload::name).containsExactlyInAnyOrder("scan.pdf", "logo.png");
        FakeIntercom.Upload s = uploads.stream().filter(u -> u.name().equals("scan.pdf")).findFirst().orElseThrow();
        assertThat(s.sha256()).isEqualTo(sha(scan));
        assertThat(s.partType()).isEqualTo("comment");
        assertThat(s.partCreatedAt()).isEqualTo(T0 + 120);
        FakeIntercom.Upload l = uploads.stream().filter(u -> u.name().equals("logo.png")).findFirst().orElseThrow();
        assertThat(l.sha256()).isEqualTo(sha(logo));
        assertThat(l.partType()).as("a contact's ticket reply takes no files: they follow in a note").isEqualTo("note");
        assertThat(l.threadId()).isEqualTo(intercom.tickets().get(0).path("id").asText());
        assertThat(run.counts("attachment").path("created").asLong()).isEqualTo(2);
        assertThat(run.report().path("attachments").path("downloaded").asLong()).isEqualTo(2);
        assertThat(migrator.home().resolve("work/attachments")).satisfies(dir -> {
            try (var left = java.nio.file.Files.walk(dir)) {
                assertThat(left.filter(java.nio.file.Files::isRegularFile)).as("downloads removed once sent").isEmpty();
            }
        });
        run.assertAddsUp();
    }

    @Test
    void whatCannotBeCopiedKeepsItsUrlIsQueuedWithTheReasonAndTheRunGoesOn() throws Exception {
        migrator.set("attachments.allow-private-hosts", "true").set("attachments.max-bytes", "1000")
                .set("attachments.download-timeout-ms", "700");
        files.put("ok.txt", bytes("ok", 100)).put("big.bin", bytes("big", 5_000)).put("slow.txt", bytes("slow", 10));
        List<String> urls = List.of(files.url("/files/ok.txt"), files.url("/files/missing.pdf"), files.url("/files/big.bin"),
                files.url("/slow/slow.txt"));
        migrator.drop("clickdesk/chats.json", chat(List.of(), urls, List.of()));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(migrator.deadLetters()).isEmpty();
        assertThat(intercom.uploads()).extracting(FakeIntercom.Upload::name).containsExactly("ok.txt");
        List<ObjectNode> parts = intercom.partsAsReceived(conversationId());
        ObjectNode links = parts.stream().filter(p -> p.path("body").asText().contains("not copied")).findFirst().orElseThrow();
        assertThat(links.path("attachments").toString()).contains("missing.pdf", "big.bin", "slow.txt");
        assertThat(links.path("created_at").asLong()).isEqualTo(T0 + 60);
        assertThat(queueReasons(run)).hasSize(3).anySatisfy(r -> assertThat(r).contains("missing.pdf", "HTTP 404"))
                .anySatisfy(r -> assertThat(r).contains("big.bin", "attachments.max-bytes"))
                .anySatisfy(r -> assertThat(r).contains("slow.txt", "timed out"));
        JsonNode counts = run.counts("attachment");
        assertThat(counts.path("created").asLong()).isEqualTo(1);
        assertThat(counts.path("skipped").asLong()).isEqualTo(3);
        run.assertAddsUp();
    }

    @Test
    void withTheDefaultSettingsNothingIsDownloadedFromLoopbackOrPrivateHosts() throws Exception {
        files.put("a.txt", bytes("a", 10));
        String port = String.valueOf(files.port());
        List<String> urls = List.of(files.url("/files/a.txt"), "http://localhost:" + port + "/files/a.txt",
                "http://[::1]:" + port + "/files/a.txt", "http://[::ffff:127.0.0.1]:" + port + "/files/a.txt",
                files.url("/redirect/1/a.txt"), "http://10.0.0.7/files/a.txt", "http://169.254.169.254/latest/meta-data",
                "file:///etc/passwd");
        migrator.drop("clickdesk/chats.json", chat(List.of(), urls, List.of()));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(files.requests()).as("requests the file server got").isZero();
        assertThat(intercom.uploads()).isEmpty();
        List<String> reasons = queueReasons(run);
        assertThat(reasons).hasSize(8);
        assertThat(reasons.subList(0, 7)).allSatisfy(r -> assertThat(r).contains("refused"));
        assertThat(reasons.get(7)).contains("not an http(s) URL");
        assertThat(run.counts("attachment").path("skipped").asLong()).isEqualTo(8);
        // kept on the message itself as links (it carries no files), the rest listed in a note
        List<ObjectNode> parts = intercom.partsAsReceived(conversationId());
        assertThat(parts.get(0).path("attachments")).hasSize(8);
        run.assertAddsUp();
    }

    @Test
    void moreThanTenFilesOnOneMessageGoInFurtherNotesOfTenAtTheSameSecond() throws Exception {
        List<String> urls = new ArrayList<>();
        for (int i = 1; i <= 23; i++) {
            String name = "f%02d.txt".formatted(i);
            urls.add("https://cdn.clickdesk.example/files/" + name);
            migrator.drop("clickdesk/attachments/" + name, bytes(name, 50 + i));
        }
        migrator.drop("clickdesk/chats.json", chat(List.of(), urls, List.of()));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        List<ObjectNode> parts = intercom.partsAsReceived(conversationId());
        List<FakeIntercom.Upload> uploads = intercom.uploads();
        assertThat(uploads).extracting(FakeIntercom.Upload::name)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 23).mapToObj("f%02d.txt"::formatted).toList());
        Map<String, Long> perPart = uploads.stream().collect(Collectors.groupingBy(FakeIntercom.Upload::partId,
                LinkedHashMap::new, Collectors.counting()));
        assertThat(perPart.values()).containsExactly(10L, 10L, 3L);
        assertThat(parts.subList(0, 3)).extracting(p -> p.path("id").asText()).containsExactlyElementsOf(perPart.keySet());
        assertThat(parts.subList(0, 3)).allSatisfy(p -> assertThat(p.path("created_at").asLong()).isEqualTo(T0 + 60));
        assertThat(parts.get(0).path("part_type").asText()).isEqualTo("comment");
        assertThat(parts.get(1).path("part_type").asText()).isEqualTo("note");
        assertThat(run.counts("attachment").path("created").asLong()).isEqualTo(23);
        run.assertAddsUp();
    }

    @Test
    void eachRequestStaysUnderTheConfiguredSizeByUsingMoreNotes() throws Exception {
        migrator.set("attachments.max-request-bytes", "30000");
        List<String> urls = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            urls.add("https://cdn.clickdesk.example/files/p" + i + ".bin");
            migrator.drop("clickdesk/attachments/p" + i + ".bin", bytes("p" + i, 6_000));
        }
        migrator.drop("clickdesk/chats.json", chat(List.of(), urls, List.of()));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(intercom.uploads()).hasSize(6);
        List<FakeIntercom.RecordedRequest> withFiles = intercom.requests().stream()
                .filter(r -> r.body() != null && r.body().contains("attachment_files")).toList();
        assertThat(withFiles).as("3 files of 8,000 base64 characters fit under 30,000 bytes, 4 do not").hasSize(2);
        assertThat(withFiles).allSatisfy(r -> assertThat(r.body().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(30_000));
        run.assertAddsUp();
    }

    @Test
    void aMessageOfFilesOnlyGetsABodyNamingThem() throws Exception {
        migrator.drop("clickdesk/attachments/only.pdf", bytes("only", 300));
        migrator.drop("clickdesk/chats.json", chat(List.of(), List.of(), List.of("https://cdn.clickdesk.example/only.pdf"))
                .replace("\"And the screenshot\"", "\"\""));

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(migrator.deadLetters()).isEmpty();
        FakeIntercom.Upload upload = intercom.uploads().get(0);
        ObjectNode part = intercom.partsAsReceived(conversationId()).stream()
                .filter(p -> p.path("id").asText().equals(upload.partId())).findFirst().orElseThrow();
        assertThat(part.path("body").asText()).isEqualTo("[Attachments: only.pdf]");
        assertThat(part.path("part_type").asText()).isEqualTo("comment");
    }

    @Test
    void aReRunUploadsNothing() throws Exception {
        migrator.drop("clickdesk/attachments/a.pdf", bytes("a", 2_000));
        migrator.drop("clickdesk/attachments/b.png", bytes("b", 3_000));
        String export = chat(List.of("https://cdn.clickdesk.example/a.pdf"), List.of("https://cdn.clickdesk.example/b.png"), List.of());
        migrator.drop("clickdesk/chats.json", export);
        assertThat(migrator.once().exitCode()).isZero();
        assertThat(intercom.uploads()).hasSize(2);
        int requests = intercom.requestCount();

        migrator.drop("clickdesk/chats.json", export + "\n"); // the same export again (not byte-identical: it is read)
        Result again = migrator.once();

        assertThat(again.exitCode()).isZero();
        assertThat(intercom.uploads()).hasSize(2);
        assertThat(intercom.requests().subList(requests, intercom.requestCount()))
                .noneSatisfy(r -> assertThat(r.body()).contains("attachment_files"));
        JsonNode counts = again.counts("attachment");
        assertThat(counts.path("unchanged").asLong()).isEqualTo(2);
        assertThat(counts.path("created").asLong()).isZero();
        again.assertAddsUp();
    }

    @ParameterizedTest(name = "{0} message, {1}")
    @CsvSource({"opening, lost", "opening, ambiguous", "agent, lost", "agent, ambiguous"})
    void aRetryAfterAFailedOrAmbiguousWriteUploadsEachFileOnce(String message, String fault) throws Exception {
        List<String> urls = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            urls.add("https://cdn.clickdesk.example/r" + i + ".txt");
            migrator.drop("clickdesk/attachments/r" + i + ".txt", bytes("r" + i, 40));
        }
        boolean opening = message.equals("opening");
        migrator.drop("clickdesk/chats.json", chat(opening ? urls : List.of(), opening ? List.of() : urls, List.of()));
        // the first reply carries files: the opening message's first note, or the agent's reply itself
        intercom.faultsOnlyFor("POST", "/conversations/[^/]+/reply");
        if (fault.equals("lost")) {
            intercom.failNext(1, 503);
        } else {
            intercom.ambiguousNext(1);
        }

        Result run = migrator.once();

        assertThat(run.exitCode()).isZero();
        assertThat(migrator.deadLetters()).isEmpty();
        assertThat(intercom.requests()).filteredOn(r -> r.path().endsWith("/reply") && r.status() >= 500).hasSize(1);
        assertThat(intercom.uploads()).extracting(FakeIntercom.Upload::name)
                .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 12).mapToObj(i -> "r" + i + ".txt").toList());
        assertThat(run.counts("attachment").path("created").asLong()).isEqualTo(12);
        run.assertAddsUp();
    }

    @Test
    void planAndADryRunTellShippedAndToDownloadWithoutDownloading() throws Exception {
        byte[] a = bytes("a", 1_234);
        files.put("b.txt", bytes("b", 10));
        MigratorHarness dry = new MigratorHarness(home.resolve("dry"));
        dry.drop("clickdesk/attachments/a.pdf", a);
        dry.drop("clickdesk/chats.json", chat(List.of("https://cdn.clickdesk.example/a.pdf"), List.of(files.url("/files/b.txt")),
                List.of("ftp://old.example/c.doc")));

        Result plan = dry.run(List.of("plan"));
        Result run = dry.once();

        assertThat(plan.exitCode()).isZero();
        assertThat(plan.stdout()).contains("Attachments: 3 (1 shipped, 1234 bytes; 1 to download during the run; 1 cannot be copied");
        assertThat(plan.stdout()).doesNotContain("attachments/a.pdf: not a known export name");
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).contains("attachments: 1 shipped (1234 bytes), 0 downloaded (0 bytes), 1 to download, 1 kept as URL");
        assertThat(files.requests()).as("nothing downloaded").isZero();
        assertThat(intercom.requestCount()).isZero();
    }
}
