package io.intercommigrator.intake;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Streams the entries of a JSON export one at a time: either a top-level array, or the array held by one
 * field of a top-level object (ClickDesk {@code chats.json} is {@code {"session": [...]}}). Only the current
 * entry is in memory. A UTF-8 BOM is tolerated (Jackson detects it).
 */
public final class JsonRecordStream implements Iterator<JsonRecord>, Closeable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String file;
    private final JsonParser parser;
    private JsonRecord nextRecord;
    private boolean finished;
    private int entriesRead;

    private JsonRecordStream(String file, JsonParser parser) {
        this.file = file;
        this.parser = parser;
    }

    /**
     * Positions the stream on the record array.
     *
     * @param arrayField the field of a top-level object that holds the array; null accepts only a top-level array
     * @throws InputRefusedException when the file has another shape or is not JSON
     */
    public static JsonRecordStream open(Path path, String displayName, String arrayField) {
        JsonParser parser = null;
        try {
            parser = MAPPER.createParser(Files.newInputStream(path));
            JsonRecordStream stream = new JsonRecordStream(displayName, parser);
            stream.moveToArray(arrayField);
            return stream;
        } catch (JsonProcessingException e) {
            // syntax errors and Jackson's size limits (e.g. a string over 20M chars)
            closeQuietly(parser);
            throw syntaxError(displayName, e, 0);
        } catch (IOException e) {
            closeQuietly(parser);
            throw new UncheckedIOException(displayName + ": cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(parser);
            throw e;
        }
    }

    /** Number of entries returned so far. */
    public int entriesRead() {
        return entriesRead;
    }

    @Override
    public boolean hasNext() {
        if (nextRecord == null && !finished) {
            try {
                nextRecord = readEntry();
            } catch (JsonProcessingException e) {
                throw syntaxError(file, e, entriesRead);
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": read failed after " + entriesRead + " entries: " + e.getMessage(), e);
            }
            finished = nextRecord == null;
        }
        return nextRecord != null;
    }

    @Override
    public JsonRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException(file + ": no more entries");
        }
        JsonRecord record = nextRecord;
        nextRecord = null;
        entriesRead++;
        return record;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }

    private void moveToArray(String arrayField) throws IOException {
        String expected = arrayField == null ? "expected a top-level JSON array"
                : "expected a JSON object with an array field \"" + arrayField + "\" or a top-level array";
        JsonToken first = parser.nextToken();
        if (first == JsonToken.START_ARRAY) {
            return;
        }
        if (first != JsonToken.START_OBJECT || arrayField == null) {
            throw new InputRefusedException(file + ": " + expected + "; found " + describe(first));
        }
        List<String> otherFields = new ArrayList<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (name.equals(arrayField)) {
                if (value == JsonToken.START_ARRAY) {
                    return;
                }
                throw new InputRefusedException(file + ": " + expected + "; found field \"" + arrayField + "\" holding "
                        + describe(value));
            }
            otherFields.add(name);
            parser.skipChildren();
        }
        throw new InputRefusedException(file + ": " + expected + "; found a JSON object without it (fields: "
                + String.join(", ", otherFields.subList(0, Math.min(10, otherFields.size())))
                + (otherFields.size() > 10 ? ", …" : "") + ")");
    }

    private JsonRecord readEntry() throws IOException {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.END_ARRAY) {
            return null;
        }
        long line = parser.currentTokenLocation().getLineNr();
        // an entry that is not an object is read whole (a string, a number, a nested array) and handed on: the
        // reader turns it into one dead letter naming the entry, and the entries after it still move
        JsonNode node = MAPPER.readTree(parser);
        return new JsonRecord(file, entriesRead, line, node);
    }

    private static InputRefusedException syntaxError(String file, JsonProcessingException e, int entriesRead) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return new InputRefusedException(file + ": JSON syntax error" + where + " after " + entriesRead
                + " entries were read: " + e.getOriginalMessage(), e);
    }

    /** What an entry is, for messages: "a JSON string", "a JSON array", … */
    public static String describe(JsonNode node) {
        return node.isMissingNode() ? "missing" : describe(node.asToken());
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "an empty file";
        }
        return switch (token) {
            case START_OBJECT -> "a JSON object";
            case START_ARRAY -> "a JSON array";
            case VALUE_STRING -> "a JSON string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a JSON number";
            case VALUE_TRUE, VALUE_FALSE -> "a JSON boolean";
            case VALUE_NULL -> "JSON null";
            default -> "JSON token " + token;
        };
    }

    private static void closeQuietly(JsonParser parser) {
        try {
            if (parser != null) {
                parser.close();
            }
        } catch (IOException ignored) {
            // already failing with a clearer error
        }
    }
}
