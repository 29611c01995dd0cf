package io.intercommigrator.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.intercommigrator.core.RunControl;
import io.intercommigrator.intercom.AccessToken;
import io.intercommigrator.intercom.IntercomApiException;
import io.intercommigrator.ledger.Ledger;
import io.intercommigrator.mapping.ContactPlan;
import io.intercommigrator.mapping.InvalidRecordException;
import io.intercommigrator.mapping.PlannedRecord;
import io.intercommigrator.mapping.WorkItem;

import io.intercommigrator.core.RunAccounting;
import io.intercommigrator.core.OwnerOnly;
/**
 * Writes {@code deadletter/<run-id>/<object>.jsonl} (operator-contract.md): one line per record that could not be
 * delivered, with the record as read, the payload that was to be sent and the error. Owner-only files.
 */
public final class DeadLetterWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterWriter.class);
    private static final int MAX_VALUE_CHARS = 65_536;

    private final Path folder;
    private final ObjectMapper json;
    private final Ledger ledger;
    private final RunAccounting accounting;
    private final AccessToken token;
    private final io.intercommigrator.intake.SampleSelection selection;
    private final Map<String, BufferedWriter> writers = new ConcurrentHashMap<>();

    public DeadLetterWriter(Path deadLetterRoot, RunControl run, ObjectMapper json, Ledger ledger, RunAccounting accounting,
                            AccessToken token) {
        this(deadLetterRoot, run, json, ledger, accounting, token, io.intercommigrator.intake.SampleSelection.off());
    }

    /** @param selection a sample run's selection: a record it did not choose is left for the full run, never lettered */
    public DeadLetterWriter(Path deadLetterRoot, RunControl run, ObjectMapper json, Ledger ledger, RunAccounting accounting,
                            AccessToken token, io.intercommigrator.intake.SampleSelection selection) {
        this.folder = deadLetterRoot.resolve(run.runId());
        this.json = json;
        this.ledger = ledger;
        this.accounting = accounting;
        this.token = token;
        this.selection = selection;
    }

    /** Route entry for the dead-letter channel: the failed exchange's body is the work item. */
    public void write(Exchange exchange) {
        WorkItem item = exchange.getMessage().getBody(WorkItem.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        // the retry budget counts a retried record's attempts on the item itself; others failed on their first one
        int judged = item == null ? 0 : item.failures();
        int attempts = judged > 0 ? judged : exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + 1;
        write(item, cause, attempts);
    }

    public void write(WorkItem item, Throwable cause, int attempts) {
        if (!selection.includes(item)) {
            // a sample run did not choose it (e.g. a row that does not parse): the full run letters it, once
            accounting.leftOutOfSample(item.objectType());
            return;
        }
        ObjectNode line = json.createObjectNode();
        line.put("source_file", item.file());
        line.put("line", item.line());
        line.set("source_record", bounded(json.valueToTree(item.sourceRecord())));
        line.set("payload", payloadOf(item));
        line.set("error", error(item, cause));
        line.put("attempts", attempts);
        line.put("at", Instant.now().toString());
        line.put("system", item.system());
        append(item.objectType(), line);
        if (item.plan() instanceof PlannedRecord planned) {
            ledger.markDead(planned.key(), line.path("error").path("message").asText());
        }
        accounting.outcome(item.objectType(), RunAccounting.Outcome.DEAD_LETTERED);
        JsonNode error = line.path("error");
        accounting.deadLetter(item.objectType(), error.path("stage").asText(), error.path("status").asInt(),
                error.path("code").asText(), item.file(), item.line(), error.path("message").asText());
        LOG.warn("Dead letter: {} line {}: {}", item.file(), item.line(), line.path("error").path("message").asText());
    }

    private JsonNode payloadOf(WorkItem item) {
        if (item.plan() instanceof ContactPlan c) {
            return c.payload();
        }
        if (item.plan() instanceof PlannedRecord p) {
            return json.valueToTree(p.payload());
        }
        return json.nullNode();
    }

    private ObjectNode error(WorkItem item, Throwable cause) {
        ObjectNode error = json.createObjectNode();
        if (cause instanceof InvalidRecordException invalid) {
            String code = invalid.column() != null && !invalid.column().isBlank() ? "invalid_" + invalid.column()
                    : invalid.stage().equals("parse") ? "malformed_row" : "invalid_" + invalid.stage();
            error.put("stage", invalid.stage()).put("status", 0).put("code", code);
            error.put("message", item.file() + " line " + item.line() + invalid.locationSuffix() + ": " + invalid.getMessage());
        } else if (cause instanceof IntercomApiException api) {
            error.put("stage", "deliver").put("status", api.status()).put("code", api.code());
            error.put("message", token.redact(api.endpoint() + ": " + api.getMessage()));
        } else {
            error.put("stage", "deliver").put("status", 0).put("code", cause == null ? "unknown" : cause.getClass().getSimpleName());
            error.put("message", cause == null ? "unknown failure" : token.redact(String.valueOf(cause.getMessage())));
        }
        return error;
    }

    /** Keeps a dead letter readable: a 10 MB cell is cut to 64 KiB with a note of its real size. */
    private JsonNode bounded(JsonNode node) {
        if (node instanceof ObjectNode o) {
            o.fields().forEachRemaining(f -> {
                if (f.getValue().isTextual() && f.getValue().asText().length() > MAX_VALUE_CHARS) {
                    String v = f.getValue().asText();
                    f.setValue(json.getNodeFactory().textNode(v.substring(0, MAX_VALUE_CHARS)
                            + "…(truncated, " + v.length() + " chars)"));
                }
            });
        }
        return node;
    }

    private void append(String objectType, ObjectNode line) {
        BufferedWriter w = writers.computeIfAbsent(objectType, this::open);
        synchronized (w) {
            try {
                w.write(token.redact(json.writeValueAsString(line)));
                w.write('\n');
                w.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private BufferedWriter open(String objectType) {
        try {
            OwnerOnly.createDirectories(folder.getParent());
            OwnerOnly.createDirectories(folder);
            Path file = OwnerOnly.createFile(folder.resolve(objectType + ".jsonl"));
            return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path folder() {
        return folder;
    }

    @Override
    public void close() {
        writers.values().forEach(w -> {
            try {
                w.close();
            } catch (IOException e) {
                LOG.warn("closing dead letters: {}", e.getMessage());
            }
        });
    }
}
