package io.intercommigrator.intercom;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.intercommigrator.core.OwnerOnly;

/**
 * Dry-run stand-in for the HTTP call: every planned request becomes one line of
 * {@code work/outbox/<run-id>/requests.jsonl} and gets a made-up answer, so the whole pipeline runs unchanged.
 */
public final class DryRunOutbox implements AutoCloseable {
    private final ObjectMapper json;
    private final Path file;
    private final AtomicLong seq = new AtomicLong();
    private BufferedOutputStream writer;

    public DryRunOutbox(ObjectMapper json, Path runFolder) {
        this.json = json;
        this.file = runFolder.resolve("requests.jsonl");
    }

    public IntercomResponse record(String method, String path, JsonNode body) {
        return record(method, path, body, null);
    }

    /** {@code bodyJson}: the body as the caller already serialised it (UTF-8 JSON), written as it is; else null. */
    public IntercomResponse record(String method, String path, JsonNode body, byte[] bodyJson) {
        long n = seq.incrementAndGet();
        // {"seq":…,"method":…,"path":…,"body":…} as UTF-8 bytes: the body is serialised outside the lock, so
        // delivery threads only queue for copying the pieces into the file's buffer
        byte[] bodyBytes;
        try {
            bodyBytes = bodyJson != null ? bodyJson : json.writeValueAsBytes(body == null ? json.nullNode() : body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] head = ("{\"seq\":" + n + ",\"method\":" + quoted(method) + ",\"path\":" + quoted(path) + ",\"body\":")
                .getBytes(StandardCharsets.UTF_8);
        append(head, bodyBytes);
        ObjectNode answer = json.createObjectNode();
        if (method.equals("GET")) {
            answer.put("type", "list").putArray("data");
            answer.putArray("admins");
            answer.putArray("teams");
        } else {
            answer.put("id", "dry-run-" + n); // callers read only the id of what they created
        }
        return new IntercomResponse(200, answer);
    }

    private static String quoted(String text) {
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + '"';
    }

    private synchronized void append(byte[] head, byte[] body) {
        try {
            if (writer == null) {
                OwnerOnly.createDirectories(file.getParent());
                writer = new BufferedOutputStream(Files.newOutputStream(OwnerOnly.createFile(file), StandardOpenOption.APPEND), 1 << 20);
            }
            writer.write(head);
            writer.write(body);
            writer.write('}');
            writer.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
