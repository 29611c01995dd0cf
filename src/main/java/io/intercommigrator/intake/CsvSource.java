package io.intercommigrator.intake;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads one CSV export lazily: each item is a {@link SourceRow} or, for a record that cannot be parsed, a
 * {@link MalformedRow}; reading always goes on with the next record. Memory is bounded by one record
 * ({@link CsvOptions#maxRecordBytes()}), never by the file.
 *
 * <p>Physical lines are gathered while a quoted field is open (odd quote count) and the gathered record is
 * parsed with commons-csv (RFC 4180, detected delimiter); a line without any quote is split directly, which
 * gives the same values at about twice the speed. A record that is malformed (unbalanced quote, text
 * after a closing quote, more fields than the header) is reported on its first line and reading restarts at
 * the next physical line, so one stray quote costs one row. A record over the byte cap is counted and
 * discarded up to its end. Quoted line breaks are normalised to {@code \n}.
 */
public final class CsvSource implements Iterator<Object>, Closeable {

    private static final char QUOTE = '"';

    private final String file;
    private final CsvOptions options;
    private final Charset charset;
    private final LineReader lines;
    private final Deque<PhysicalLine> replay = new ArrayDeque<>();
    private final char delimiter;
    private final CSVFormat format;
    private final List<String> headers;
    private Object nextItem;
    private boolean finished;
    private long rowsRead;
    private long malformedCount;

    private CsvSource(String file, CsvOptions options, Charset charset, Reader reader) throws IOException {
        this.file = file;
        this.options = options;
        this.charset = charset;
        this.lines = new LineReader(reader, options.maxRecordBytes());
        PhysicalLine headerLine = nextNonBlankLine();
        if (headerLine == null) {
            throw new InputRefusedException(file + ": empty file, a header row is required");
        }
        if (headerLine.truncated()) {
            throw new InputRefusedException(file + ": the header row exceeds " + options.maxRecordBytes() + " bytes");
        }
        this.delimiter = detectDelimiter(headerLine.text());
        this.format = CSVFormat.RFC4180.builder().setDelimiter(delimiter).get();
        Parsed header = readRecordFrom(headerLine, -1);
        if (header.malformed() != null) {
            throw new InputRefusedException(file + ": the header row cannot be read: " + header.malformed().reason());
        }
        this.headers = canonicalHeaders(header.values());
    }

    /**
     * Opens a CSV file: detects the charset (UTF-8 if the whole file is valid UTF-8, else the fallback), reads
     * the header row and detects the delimiter.
     *
     * @param displayName the name used in rows and messages, e.g. "bundle.zip!visitors.csv"
     * @throws InputRefusedException when the file has no header row or a duplicate column
     */
    public static CsvSource open(Path path, String displayName, CsvOptions options) {
        InputStream in = null;
        try {
            boolean utf8 = isValidUtf8(path);
            Charset charset = utf8 ? StandardCharsets.UTF_8 : options.fallbackCharset();
            in = Files.newInputStream(path);
            if (utf8 && startsWithUtf8Bom(path)) {
                in.skipNBytes(3);
            }
            return new CsvSource(displayName, options, charset, new InputStreamReader(in, charset));
        } catch (IOException e) {
            closeQuietly(in);
            throw new UncheckedIOException(displayName + ": cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(in);
            throw e;
        }
    }

    public Charset charset() {
        return charset;
    }

    public char delimiter() {
        return delimiter;
    }

    /** Canonical column names in file order (trimmed, lower-case, aliases applied). */
    public List<String> headers() {
        return headers;
    }

    /** @throws InputRefusedException naming the missing, expected and found columns */
    public void requireColumns(Collection<String> required) {
        List<String> missing = required.stream().filter(column -> !headers.contains(column)).toList();
        if (!missing.isEmpty()) {
            throw new InputRefusedException(file + ": missing required column(s) " + missing + "; expected "
                    + List.copyOf(required) + "; found " + headers);
        }
    }

    /** Number of {@link SourceRow}s returned so far. */
    public long rowsRead() {
        return rowsRead;
    }

    /** Number of {@link MalformedRow}s returned so far. */
    public long malformedCount() {
        return malformedCount;
    }

    @Override
    public boolean hasNext() {
        if (nextItem == null && !finished) {
            try {
                nextItem = readItem();
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": read failed after line " + lines.lineNumber + ": " + e.getMessage(), e);
            }
            finished = nextItem == null;
        }
        return nextItem != null;
    }

    /** @return a {@link SourceRow} or a {@link MalformedRow} */
    @Override
    public Object next() {
        if (!hasNext()) {
            throw new NoSuchElementException(file + ": no more records");
        }
        Object item = nextItem;
        nextItem = null;
        if (item instanceof SourceRow) {
            rowsRead++;
        } else {
            malformedCount++;
        }
        return item;
    }

    @Override
    public void close() throws IOException {
        lines.in.close();
    }

    private Object readItem() throws IOException {
        PhysicalLine first = nextNonBlankLine();
        if (first == null) {
            return null;
        }
        Parsed record = readRecordFrom(first, headers.size());
        if (record.malformed() != null) {
            return record.malformed();
        }
        List<String> values = record.values();
        Map<String, String> fields = new LinkedHashMap<>(headers.size() * 4 / 3 + 1);
        for (int i = 0; i < headers.size(); i++) {
            fields.put(headers.get(i), i < values.size() ? values.get(i) : "");
        }
        return new SourceRow(file, first.number(), fields);
    }

    /** Gathers the physical lines of one record and parses them; expectedFields < 0 accepts any field count. */
    private Parsed readRecordFrom(PhysicalLine first, int expectedFields) throws IOException {
        List<PhysicalLine> gathered = new ArrayList<>(1);
        gathered.add(first);
        if (first.truncated()) {
            return skipOversized(gathered, first.hasOddQuotes());
        }
        long bytes = first.bytes();
        boolean open = first.hasOddQuotes();
        while (open) {
            if (gathered.size() >= options.maxRecordLines()) {
                return malformedThenReplay(gathered, quotingFaultColumn(first.text()),
                        "quoted field still open after " + options.maxRecordLines() + " lines (unbalanced quote?)");
            }
            PhysicalLine more = lines.next(replay);
            if (more == null) {
                return malformedThenReplay(gathered, quotingFaultColumn(first.text()),
                        "unbalanced quote: a quoted field is never closed");
            }
            gathered.add(more);
            bytes += 1 + more.bytes();
            open ^= more.hasOddQuotes();
            if (more.truncated() || bytes > options.maxRecordBytes()) {
                return skipOversized(gathered, open);
            }
        }
        String text = joinLines(gathered);
        List<String> values = parseRecord(text);
        if (values == null) {
            return malformedThenReplay(gathered, quotingFaultColumn(text),
                    "invalid quoting: a quote inside an unquoted field or text after a closing quote");
        }
        if (expectedFields >= 0 && values.size() > expectedFields) {
            return malformedThenReplay(gathered, expectedFields + 1,
                    "record has " + values.size() + " fields, the header has " + expectedFields);
        }
        return new Parsed(values, null);
    }

    /** The record's values, or null when commons-csv rejects it or reads more than one record from it. */
    private List<String> parseRecord(String text) {
        if (text.indexOf(QUOTE) < 0 && text.indexOf('\n') < 0) {
            return splitUnquoted(text);
        }
        try (CSVParser parser = CSVParser.parse(text, format)) {
            Iterator<CSVRecord> records = parser.iterator();
            CSVRecord record = records.next();
            return records.hasNext() ? null : record.toList();
        } catch (IOException | UncheckedIOException | NoSuchElementException e) {
            return null;
        }
    }

    /** Fast path for the common quote-free line; RFC 4180 gives exactly this split (no trimming, no nulls). */
    private List<String> splitUnquoted(String text) {
        List<String> values = new ArrayList<>(headers == null ? 8 : headers.size());
        int start = 0;
        for (int end = text.indexOf(delimiter); end >= 0; end = text.indexOf(delimiter, start)) {
            values.add(text.substring(start, end));
            start = end + 1;
        }
        values.add(text.substring(start));
        return values;
    }

    /** Reports the first gathered line as malformed and puts the lines after it back to be read again. */
    private Parsed malformedThenReplay(List<PhysicalLine> gathered, int column, String reason) {
        for (int i = gathered.size() - 1; i >= 1; i--) {
            replay.addFirst(gathered.get(i));
        }
        PhysicalLine first = gathered.get(0);
        return new Parsed(null, new MalformedRow(file, first.number(), column, reason,
                MalformedRow.truncateRaw(first.text(), first.charsNotKept())));
    }

    /** Reports an over-long record and discards lines up to its end (or the line cap), keeping only a raw prefix. */
    private Parsed skipOversized(List<PhysicalLine> gathered, boolean open) throws IOException {
        PhysicalLine first = gathered.get(0);
        RawPrefix raw = new RawPrefix();
        gathered.forEach(raw::add);
        long lastLine = gathered.get(gathered.size() - 1).number();
        int lineCount = gathered.size();
        gathered.clear();
        while (open && lineCount < options.maxRecordLines()) {
            PhysicalLine more = lines.next(replay);
            if (more == null) {
                break;
            }
            raw.add(more);
            lastLine = more.number();
            lineCount++;
            open ^= more.hasOddQuotes();
        }
        String reason = "record exceeds " + options.maxRecordBytes() + " bytes"
                + (lastLine > first.number() ? "; skipped lines " + first.number() + "-" + lastLine : "")
                + (open ? "; its quoted field was still open, reading resumes at the next line" : "");
        return new Parsed(null, new MalformedRow(file, first.number(), 0, reason, raw.text()));
    }

    private PhysicalLine nextNonBlankLine() throws IOException {
        PhysicalLine line;
        do {
            line = lines.next(replay);
        } while (line != null && !line.truncated() && line.text().isBlank());
        return line;
    }

    private List<String> canonicalHeaders(List<String> cells) {
        List<String> names = new ArrayList<>(cells.size());
        for (int i = 0; i < cells.size(); i++) {
            String name = options.canonicalColumn(cells.get(i));
            // an unnamed column (e.g. a trailing delimiter) is kept under a visible placeholder, not dropped
            name = name.isEmpty() ? "column_" + (i + 1) : name;
            int earlier = names.indexOf(name);
            if (earlier >= 0) {
                throw new InputRefusedException(file + ": duplicate column '" + name + "' in the header row (columns "
                        + (earlier + 1) + " and " + (i + 1) + ", after aliases)");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    /** ';' when the header has more semicolons than commas outside quotes, else ','. */
    private static char detectDelimiter(String headerLine) {
        int semicolons = 0;
        int commas = 0;
        boolean quoted = false;
        for (int i = 0; i < headerLine.length(); i++) {
            char c = headerLine.charAt(i);
            if (c == QUOTE) {
                quoted = !quoted;
            } else if (!quoted && c == ';') {
                semicolons++;
            } else if (!quoted && c == ',') {
                commas++;
            }
        }
        return semicolons > commas ? ';' : ',';
    }

    /** 1-based field of the first quoting fault (stray quote, text after a closing quote, unclosed quote); 0 if none. */
    private int quotingFaultColumn(String text) {
        int field = 1;
        boolean quoted = false;
        boolean fieldStart = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == QUOTE && i + 1 < text.length() && text.charAt(i + 1) == QUOTE) {
                    i++;
                } else if (c == QUOTE) {
                    quoted = false;
                    if (i + 1 < text.length() && text.charAt(i + 1) != delimiter && text.charAt(i + 1) != '\n') {
                        return field;
                    }
                }
            } else if (c == delimiter || c == '\n') {
                field = c == '\n' ? 1 : field + 1;
                fieldStart = true;
            } else if (c == QUOTE && !fieldStart) {
                return field;
            } else {
                quoted = c == QUOTE;
                fieldStart = false;
            }
        }
        return quoted ? field : 0;
    }

    private static String joinLines(List<PhysicalLine> gathered) {
        if (gathered.size() == 1) {
            return gathered.get(0).text();
        }
        StringBuilder text = new StringBuilder();
        for (PhysicalLine line : gathered) {
            text.append(text.isEmpty() ? "" : "\n").append(line.text());
        }
        return text.toString();
    }

    /** Reads the whole file once without holding it: whether it is well-formed UTF-8. */
    private static boolean isValidUtf8(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return isWellFormedUtf8(in, 64 * 1024);
        }
    }

    /**
     * Whether the stream is well-formed UTF-8 as a reporting decoder reads it (Unicode table 3-7: no overlong form, no
     * surrogate, nothing over U+10FFFF, no sequence cut off at the end), read {@code chunk} bytes at a time. Checked on
     * the bytes instead of decoding the file into characters: a large export is read through
     * once more for this before its first record, on the one thread that reads it.
     */
    static boolean isWellFormedUtf8(InputStream in, int chunk) throws IOException {
        byte[] buffer = new byte[chunk + 3];
        int carried = 0; // the start of a sequence the previous chunk cut off
        while (true) {
            int read = in.readNBytes(buffer, carried, chunk);
            int limit = carried + read;
            int unfinished = wellFormedUpTo(buffer, limit);
            if (unfinished < 0) {
                return false;
            }
            carried = limit - unfinished;
            if (read < chunk) {
                return carried == 0;
            }
            System.arraycopy(buffer, unfinished, buffer, 0, carried);
        }
    }

    /** -1 when the bytes are malformed; else where a sequence cut off by {@code limit} starts ({@code limit} if none). */
    private static int wellFormedUpTo(byte[] bytes, int limit) {
        int i = 0;
        while (i < limit) {
            while (i < limit && bytes[i] >= 0) {
                i++; // ASCII
            }
            if (i >= limit) {
                break;
            }
            int b = bytes[i] & 0xFF;
            int continuations;
            int low = 0x80;
            int high = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                continuations = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                continuations = 2;
                low = b == 0xE0 ? 0xA0 : 0x80; // E0 80-9F: overlong
                high = b == 0xED ? 0x9F : 0xBF; // ED A0-BF: a surrogate
            } else if (b >= 0xF0 && b <= 0xF4) {
                continuations = 3;
                low = b == 0xF0 ? 0x90 : 0x80; // F0 80-8F: overlong
                high = b == 0xF4 ? 0x8F : 0xBF; // F4 90 and up: over U+10FFFF
            } else {
                return -1; // a continuation byte first, C0/C1 (overlong) or F5-FF
            }
            int end = i + 1 + continuations;
            for (int k = i + 1; k < Math.min(end, limit); k++) {
                int c = bytes[k] & 0xFF;
                if (k == i + 1 ? c < low || c > high : c < 0x80 || c > 0xBF) {
                    return -1;
                }
            }
            if (end > limit) {
                return i;
            }
            i = end;
        }
        return limit;
    }

    private static boolean startsWithUtf8Bom(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(3);
            return head.length == 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF;
        }
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (IOException ignored) {
            // already failing with a clearer error
        }
    }

    /** One logical record: its values, or why it could not be parsed. */
    private record Parsed(List<String> values, MalformedRow malformed) {
    }

    /**
     * One physical line. {@code text} is the whole line unless {@code truncated} (the line alone exceeds the
     * record cap), in which case it is only a prefix kept for the MalformedRow's raw text.
     */
    private record PhysicalLine(long number, String text, long chars, long bytes, int quotes, boolean truncated) {

        boolean hasOddQuotes() {
            return (quotes & 1) == 1;
        }

        long charsNotKept() {
            return chars - text.length();
        }
    }

    /** The first 4096 chars of the skipped lines, counting what is left out. */
    private static final class RawPrefix {
        private final StringBuilder kept = new StringBuilder();
        private long notKept;
        private boolean empty = true;

        void add(PhysicalLine line) {
            String text = (empty ? "" : "\n") + line.text();
            empty = false;
            int room = Math.max(0, MalformedRow.MAX_RAW_CHARS - kept.length());
            kept.append(text, 0, Math.min(room, text.length()));
            notKept += line.charsNotKept() + Math.max(0, text.length() - room);
        }

        String text() {
            return MalformedRow.truncateRaw(kept.toString(), notKept);
        }
    }

    /** Splits a Reader into physical lines (LF, CRLF or CR), counting quotes and UTF-8 bytes, keeping at most the cap. */
    private static final class LineReader {
        private final Reader in;
        private final int maxBytes;
        private final char[] buffer = new char[16 * 1024];
        private final StringBuilder text = new StringBuilder();
        private int pos;
        private int limit;
        private boolean skipLineFeed;
        private long lineNumber;

        LineReader(Reader in, int maxBytes) {
            this.in = in;
            this.maxBytes = maxBytes;
        }

        /** The next line, taking lines put back for re-reading first; null at end of file. */
        PhysicalLine next(Deque<PhysicalLine> replay) throws IOException {
            return replay.isEmpty() ? read() : replay.pollFirst();
        }

        private PhysicalLine read() throws IOException {
            text.setLength(0);
            long chars = 0;
            long bytes = 0;
            int quotes = 0;
            boolean any = false;
            while (true) {
                if (pos == limit && !fill()) {
                    if (!any) {
                        return null;
                    }
                    break;
                }
                if (skipLineFeed) {
                    skipLineFeed = false;
                    if (buffer[pos] == '\n') {
                        pos++;
                        continue;
                    }
                }
                any = true;
                int start = pos;
                char c = 0;
                while (pos < limit && (c = buffer[pos]) != '\n' && c != '\r') {
                    quotes += c == QUOTE ? 1 : 0;
                    bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
                    pos++;
                }
                chars += pos - start;
                // keep at most the cap (chars <= UTF-8 bytes); the rest is only counted
                int room = Math.max(0, maxBytes - text.length());
                text.append(buffer, start, Math.min(room, pos - start));
                if (pos < limit) {
                    pos++;
                    skipLineFeed = c == '\r';
                    break;
                }
            }
            lineNumber++;
            boolean truncated = bytes > maxBytes;
            String kept = truncated ? text.substring(0, Math.min(text.length(), MalformedRow.MAX_RAW_CHARS)) : text.toString();
            if (text.capacity() > 64 * 1024) {
                text.setLength(0);
                text.trimToSize();
            }
            return new PhysicalLine(lineNumber, kept, chars, bytes, quotes, truncated);
        }

        private boolean fill() throws IOException {
            int read = in.read(buffer, 0, buffer.length);
            pos = 0;
            limit = Math.max(read, 0);
            return read > 0;
        }
    }
}
