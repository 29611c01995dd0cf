package io.intercommigrator.intercom;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.intercommigrator.report.OwnerOnly;

/**
 * Dry-run stand-in for the HTTP call: every planned request becomes one line of
 * {@code work/outbox/<run-id>/requests.jsonl} and gets a made-up answer, so the whole pipeline runs unchanged.
 */
public final class DryRunOutbox implements AutoCloseable {
    private final ObjectMapper json;
    private final Path file;
    private final AtomicLong seq = new AtomicLong();
    private BufferedWriter writer;

    public DryRunOutbox(ObjectMapper json, Path runFolder) {
        this.json = json;
        this.file = runFolder.resolve("requests.jsonl");
    }

    public synchronized IntercomResponse record(String method, String path, JsonNode body) {
        long n = seq.incrementAndGet();
        ObjectNode line = json.createObjectNode();
        line.put("seq", n).put("method", method).put("path", path);
        line.set("body", body);
        try {
            if (writer == null) {
                OwnerOnly.createDirectories(file.getParent());
                writer = Files.newBufferedWriter(OwnerOnly.createFile(file), StandardCharsets.UTF_8);
            }
            writer.write(json.writeValueAsString(line));
            writer.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode answer = json.createObjectNode();
        if (method.equals("GET")) {
            answer.put("type", "list").putArray("data");
            answer.putArray("admins");
            answer.putArray("teams");
        } else {
            if (body instanceof ObjectNode o) {
                answer.setAll(o);
            }
            answer.put("id", "dry-run-" + n);
        }
        return new IntercomResponse(200, answer);
    }

    public long planned() {
        return seq.get();
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
