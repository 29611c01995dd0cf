package io.intercommigrator.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.intercommigrator.core.OwnerOnly;
import io.intercommigrator.core.RunControl;
import io.intercommigrator.intercom.RequestStats;

import io.intercommigrator.core.RunAccounting;
/**
 * {@code reports/<run-id>/reconciliation.json} in the shape of operator-contract.md, plus the human
 * {@code reconciliation.html} (inline SVG chart, no external assets).
 */
public final class ReconciliationReport {
    private final Path folder;
    private final RunControl run;
    private final RunAccounting accounting;
    private final RequestStats requests;
    private final ObjectMapper json;
    private final io.intercommigrator.intake.SampleSelection selection;
    private final Instant startedAt = Instant.now();
    private volatile ObjectNode verification;
    private volatile java.util.function.Supplier<java.util.Map<String, Long>> attachments;

    private java.util.function.Supplier<java.util.Map<String, Long>> inFlight;

    public ReconciliationReport(Path reportsRoot, RunControl run, RunAccounting accounting, RequestStats requests, ObjectMapper json,
                                io.intercommigrator.intake.SampleSelection selection) {
        this.folder = reportsRoot.resolve(run.runId());
        this.run = run;
        this.accounting = accounting;
        this.requests = requests;
        this.json = json.copy().enable(SerializationFeature.INDENT_OUTPUT);
        this.selection = selection;
    }

    /** What the in-flight limit did in a live run (requests → in_flight). */
    public void inFlight(java.util.function.Supplier<java.util.Map<String, Long>> summary) {
        this.inFlight = summary;
    }

    /** Where the run's attachments came from: reported under {@code attachments} once there were any. */
    public void attachments(java.util.function.Supplier<java.util.Map<String, Long>> summary) {
        this.attachments = summary;
    }

    public void verification(ObjectNode result) {
        this.verification = result;
    }

    /** The read-back verification result, or null when none ran. */
    public ObjectNode verification() {
        return verification;
    }

    public Path folder() {
        return folder;
    }

    /** Writes both files; called after each batch and at the end of the run. */
    public synchronized Path write(boolean finished) {
        ObjectNode root = toJson(finished);
        try {
            // the queue quotes source values (a value left off, a file's name): owner-only, like the dead letters
            OwnerOnly.createDirectories(folder);
            ArrayNode handoff = root.putArray("handoff_documents"); // relative to the report, for the page's links
            Path docs = folder.resolve("handoff");
            if (Files.isDirectory(docs)) {
                try (java.util.stream.Stream<Path> files = Files.walk(docs)) {
                    files.filter(Files::isRegularFile).map(p -> folder.relativize(p).toString().replace('\\', '/')).sorted()
                            .forEach(handoff::add);
                }
            }
            Path file = OwnerOnly.createFile(folder.resolve("reconciliation.json"));
            Files.writeString(file, json.writeValueAsString(root), StandardCharsets.UTF_8);
            Files.writeString(OwnerOnly.createFile(folder.resolve("reconciliation.html")), ReconciliationHtml.render(root),
                    StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ObjectNode toJson(boolean finished) {
        ObjectNode root = json.createObjectNode();
        root.put("run_id", run.runId());
        root.put("mode", run.modeName());
        root.put("source", accounting.systems().isEmpty() ? "none" : String.join("+", accounting.systems()));
        root.put("started_at", startedAt.toString());
        if (finished) {
            root.put("finished_at", Instant.now().toString());
        } else {
            root.putNull("finished_at");
        }
        if (selection.active()) {
            root.set("sample", sample());
        }
        ObjectNode objects = root.putObject("objects");
        for (Map.Entry<String, Map<String, Long>> e : accounting.snapshot().entrySet()) {
            ObjectNode o = objects.putObject(e.getKey());
            e.getValue().forEach(o::put);
        }
        ObjectNode v = verification;
        if (v == null) {
            v = json.createObjectNode().put("sampled", 0).put("matched", 0);
            v.putArray("mismatches");
        }
        root.set("verification", v);
        java.util.Map<String, Long> files = attachments == null ? java.util.Map.of() : attachments.get();
        if (files.values().stream().anyMatch(n -> n > 0)) {
            ObjectNode a = root.putObject("attachments");
            files.forEach(a::put);
        }
        root.putObject("requests").put("sent", requests.sent()).put("rate_limited", requests.rateLimitedCount())
                .put("retried", requests.retriedCount());
        if (inFlight != null) {
            ObjectNode f = ((ObjectNode) root.get("requests")).putObject("in_flight");
            inFlight.get().forEach(f::put);
        }
        ObjectNode dead = root.putObject("dead_letters");
        dead.put("folder", "deadletter/" + run.runId());
        ArrayNode byCode = dead.putArray("by_code");
        for (RunAccounting.DeadLetterGroup g : accounting.deadLetterGroups()) {
            ObjectNode group = byCode.addObject().put("stage", g.stage()).put("status", g.status()).put("code", g.code())
                    .put("count", g.count());
            ArrayNode examples = group.putArray("examples");
            g.examples().forEach(x -> examples.addObject().put("object", x.objectType()).put("source_file", x.file())
                    .put("line", x.line()).put("message", x.message()));
        }
        ArrayNode queue = root.putArray("reconciliation_queue");
        List<RunAccounting.QueueEntry> entries = accounting.queue();
        for (RunAccounting.QueueEntry q : entries) {
            ObjectNode entry = queue.addObject().put("kind", q.kind()).put("subject", q.subject()).put("reason", q.reason());
            q.details().forEach((field, value) -> entry.set(field, json.valueToTree(value)));
        }
        RunControl.RunAbortedException aborted = run.aborted();
        if (aborted != null) {
            root.put("stopped", aborted.getMessage());
        }
        return root;
    }

    /**
     * A sample run's part of the report: N, what was chosen of each kind of source record, and what was left for the
     * full run. In a sample run {@code objects.*.source} counts only the records of the sample, so the objects still
     * add up; {@code left_out} counts the records read and not chosen.
     */
    private ObjectNode sample() {
        ObjectNode s = json.createObjectNode();
        s.put("per_kind", selection.perKind());
        s.put("note", run.live()
                ? "sample run: only the records chosen below (and what belongs to them) were delivered; the inbox was left "
                        + "as it was, and the full run delivers the rest (what the sample delivered counts as unchanged there)"
                : "dry-run sample: only the records chosen below (and what belongs to them) were planned; the inbox was "
                        + "left as it was");
        ObjectNode chosen = s.putObject("chosen");
        selection.chosenPerKind().forEach((kind, n) -> chosen.putObject(kind).put("chosen", n[0]).put("deliverable", n[1]));
        s.put("referenced_contacts", selection.referencedContacts());
        ObjectNode leftOut = s.putObject("left_out");
        accounting.leftOut().forEach(leftOut::put);
        return s;
    }
}
