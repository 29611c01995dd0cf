package io.intercommigrator.intercom;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;

import io.intercommigrator.attachments.AttachmentSource.Copyable;

/**
 * A JSON request body with {@code attachment_files}, written straight from the files on disk: each file is read
 * and base64-encoded while the body goes out, so no file (and no whole request) is ever held in memory. Its length
 * is known beforehand (the JSON around the files, plus 4 characters per 3 bytes of each file), so the request
 * carries a Content-Length; it can be sent again (a 429) because it reads the files again.
 */
final class FilesRequestBody extends AbstractHttpEntity {
    private final List<byte[]> segments = new ArrayList<>();
    private final List<Copyable> files;
    private final long length;

    FilesRequestBody(ObjectMapper json, ObjectNode body, List<Copyable> files) {
        super(ContentType.APPLICATION_JSON, null, false);
        this.files = List.copyOf(files);
        String marker = "@@file-" + UUID.randomUUID() + "-";
        ObjectNode copy = body.deepCopy();
        ArrayNode array = copy.putArray("attachment_files");
        for (int i = 0; i < files.size(); i++) {
            Copyable f = files.get(i);
            array.addObject().put("content_type", f.contentType()).put("name", f.name()).put("data", marker + i + "@@");
        }
        String text;
        try {
            text = json.writeValueAsString(copy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise request body", e);
        }
        long total = 0;
        int from = 0;
        for (int i = 0; i < files.size(); i++) {
            String m = marker + i + "@@";
            int at = text.indexOf(m, from);
            byte[] segment = text.substring(from, at).getBytes(StandardCharsets.UTF_8);
            segments.add(segment);
            total += segment.length + encodedLength(files.get(i).size());
            from = at + m.length();
        }
        byte[] last = text.substring(from).getBytes(StandardCharsets.UTF_8);
        segments.add(last);
        this.length = total + last.length;
    }

    /** Base64 characters of {@code bytes} bytes (padded, no line breaks). */
    static long encodedLength(long bytes) {
        return 4 * ((bytes + 2) / 3);
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        for (int i = 0; i < files.size(); i++) {
            out.write(segments.get(i));
            Copyable f = files.get(i);
            OutputStream encoder = Base64.getEncoder().wrap(new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush(); // the request goes on after this file
                }
            });
            try (InputStream in = Files.newInputStream(f.file())) {
                byte[] buffer = new byte[48 * 1024];
                long left = f.size();
                while (left > 0) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) {
                        throw new IOException(f.name() + " became shorter while it was being sent");
                    }
                    encoder.write(buffer, 0, n);
                    left -= n;
                }
            }
            encoder.close();
        }
        out.write(segments.get(files.size()));
        out.flush();
    }

    @Override
    public InputStream getContent() {
        throw new UnsupportedOperationException("a request body with files is written, not read");
    }

    @Override
    public long getContentLength() {
        return length;
    }

    @Override
    public boolean isRepeatable() {
        return true;
    }

    @Override
    public boolean isStreaming() {
        return false;
    }

    @Override
    public void close() {
    }
}
