package io.intercommigrator.intake;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Rows of a file gathered by a group key (a social thread, a chatbot session) without holding the file: the rows come
 * back group by group, the groups in the order their key was first seen, the rows of a group in the order they were
 * added. Rows are kept in memory up to a budget; past it each full buffer is sorted and written to a run file
 * (owner-only: it is customer data) in a scratch folder, and the runs are merged when read. Memory is one buffer plus
 * one row per run plus a 64-bit hash and an ordinal per key (about 24 bytes: the keys themselves travel with their
 * rows), never the file. Rows added with a null key come first, each alone. Two keys whose hashes collide share an
 * ordinal and still come back as two groups, next to each other (by key), at the first one's place.
 */
public final class GroupedRows implements Closeable {
    /** Default buffer: rows and characters kept before a run is written. */
    public static final int DEFAULT_MAX_ROWS = 5_000;
    public static final long DEFAULT_MAX_CHARS = 1_000_000;

    /** One row: its line in the source file and its values. */
    public record Row(long line, List<String> values) {
    }

    /** The rows of one key (null: one row added without a key). */
    public record Group(String key, List<Row> rows) {
    }

    private record Entry(int ordinal, String key, long seq, long line, String[] values) {
    }

    private static final Comparator<Entry> ORDER = Comparator.comparingInt(Entry::ordinal)
            .thenComparing(Entry::key, Comparator.nullsFirst(Comparator.naturalOrder())).thenComparingLong(Entry::seq);

    private final Path scratch;
    private final int maxRows;
    private final long maxChars;
    private final java.util.function.ToLongFunction<String> hash;
    private final Ordinals ordinals = new Ordinals();
    private final List<Path> runs = new ArrayList<>();
    private List<Entry> buffer = new ArrayList<>();
    private long bufferedChars;
    private long seq;
    private boolean reading;

    /** @param scratch a folder of its own for the run files (created when the first run is written, deleted by close) */
    public GroupedRows(Path scratch) {
        this(scratch, DEFAULT_MAX_ROWS, DEFAULT_MAX_CHARS);
    }

    public GroupedRows(Path scratch, int maxRows, long maxChars) {
        this(scratch, maxRows, maxChars, GroupedRows::fnv1a64);
    }

    /** With the key hash given (a test forces collisions). */
    GroupedRows(Path scratch, int maxRows, long maxChars, java.util.function.ToLongFunction<String> hash) {
        this.scratch = scratch;
        this.maxRows = maxRows;
        this.maxChars = maxChars;
        this.hash = hash;
    }

    /** Adds a row of the group {@code key} (null: a row of its own, returned before every group). */
    public void add(String key, long line, List<String> values) {
        if (reading) {
            throw new IllegalStateException("rows are being read");
        }
        int ordinal = key == null ? -1 : ordinals.ordinal(hash.applyAsLong(key));
        String[] copy = values.toArray(String[]::new);
        buffer.add(new Entry(ordinal, key, seq++, line, copy));
        for (String v : copy) {
            bufferedChars += v.length();
        }
        if (buffer.size() >= maxRows || bufferedChars >= maxChars) {
            writeRun();
        }
    }

    /** Number of run files written so far (0 while everything fits the buffer). */
    public int runCount() {
        return runs.size();
    }

    /** The groups; no row can be added after the first call, each call reads them all again. */
    public Iterator<Group> groups() {
        Iterator<Entry> entries;
        if (runs.isEmpty()) {
            if (!reading) {
                buffer.sort(ORDER);
            }
            reading = true;
            entries = buffer.iterator();
        } else {
            reading = true;
            writeRun();
            entries = new Merge();
        }
        return new Iterator<>() {
            private Entry pending = entries.hasNext() ? entries.next() : null;

            @Override
            public boolean hasNext() {
                return pending != null;
            }

            @Override
            public Group next() {
                if (pending == null) {
                    throw new NoSuchElementException();
                }
                Entry first = pending;
                List<Row> rows = new ArrayList<>();
                rows.add(new Row(first.line(), List.of(first.values())));
                pending = entries.hasNext() ? entries.next() : null;
                if (first.ordinal() < 0) {
                    return new Group(null, rows);
                }
                while (pending != null && pending.ordinal() == first.ordinal() && pending.key().equals(first.key())) {
                    rows.add(new Row(pending.line(), List.of(pending.values())));
                    pending = entries.hasNext() ? entries.next() : null;
                }
                return new Group(first.key(), rows);
            }
        };
    }

    /** Deletes the run files (and their folder). */
    @Override
    public void close() {
        buffer = new ArrayList<>();
        merges.forEach(Run::closeQuietly);
        try {
            Folders.deleteTree(runs.isEmpty() ? null : scratch);
        } catch (IOException e) {
            throw new UncheckedIOException(scratch + ": cannot delete: " + e.getMessage(), e);
        }
    }

    private void writeRun() {
        if (buffer.isEmpty()) {
            return;
        }
        buffer.sort(ORDER);
        try {
            io.intercommigrator.core.OwnerOnly.createDirectories(scratch);
            Path file = Files.createTempFile(scratch, "run-", ".bin"); // rw------- where the file system has POSIX modes
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
                for (Entry e : buffer) {
                    out.writeInt(e.ordinal());
                    out.writeBoolean(e.key() != null);
                    if (e.key() != null) {
                        writeString(out, e.key());
                    }
                    out.writeLong(e.seq());
                    out.writeLong(e.line());
                    out.writeInt(e.values().length);
                    for (String v : e.values()) {
                        writeString(out, v);
                    }
                }
            }
            runs.add(file);
        } catch (IOException e) {
            throw new UncheckedIOException(scratch + ": cannot write a run of grouped rows: " + e.getMessage(), e);
        }
        buffer = new ArrayList<>();
        bufferedChars = 0;
    }

    private static void writeString(DataOutputStream out, String v) throws IOException {
        byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** FNV-1a over the key's UTF-16 chars: 64 bits, so collisions (harmless, see the class) are rare. */
    static long fnv1a64(String key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h = (h ^ key.charAt(i)) * 0x100000001b3L;
        }
        return h;
    }

    /** Key hash → ordinal (first-seen order), open addressing over two arrays: no object per key. */
    private static final class Ordinals {
        private long[] hashes = new long[1024];
        private int[] values = new int[1024];
        private boolean[] used = new boolean[1024];
        private int size;

        int ordinal(long h) {
            int mask = hashes.length - 1;
            int i = (int) (h ^ (h >>> 32)) & mask;
            while (used[i]) {
                if (hashes[i] == h) {
                    return values[i];
                }
                i = (i + 1) & mask;
            }
            used[i] = true;
            hashes[i] = h;
            values[i] = size++;
            if (size * 2 > hashes.length) {
                grow();
            }
            return size - 1;
        }

        private void grow() {
            long[] oldHashes = hashes;
            int[] oldValues = values;
            boolean[] oldUsed = used;
            hashes = new long[oldHashes.length * 2];
            values = new int[hashes.length];
            used = new boolean[hashes.length];
            int mask = hashes.length - 1;
            for (int j = 0; j < oldHashes.length; j++) {
                if (oldUsed[j]) {
                    int i = (int) (oldHashes[j] ^ (oldHashes[j] >>> 32)) & mask;
                    while (used[i]) {
                        i = (i + 1) & mask;
                    }
                    used[i] = true;
                    hashes[i] = oldHashes[j];
                    values[i] = oldValues[j];
                }
            }
        }
    }

    private final List<Run> merges = new ArrayList<>();

    /** One run file being read: its next entry. */
    private static final class Run {
        private final DataInputStream in;
        private Entry head;

        Run(Path file) throws IOException {
            in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
            advance();
        }

        void advance() throws IOException {
            int ordinal;
            try {
                ordinal = in.readInt();
            } catch (EOFException end) {
                head = null;
                in.close();
                return;
            }
            String key = in.readBoolean() ? readString(in) : null;
            long seq = in.readLong();
            long line = in.readLong();
            String[] values = new String[in.readInt()];
            for (int i = 0; i < values.length; i++) {
                values[i] = readString(in);
            }
            head = new Entry(ordinal, key, seq, line, values);
        }

        void closeQuietly() {
            try {
                in.close();
            } catch (IOException ignored) {
                // a run being deleted
            }
        }
    }

    /** The runs merged in (key ordinal, sequence) order. */
    private final class Merge implements Iterator<Entry> {
        private final PriorityQueue<Run> queue = new PriorityQueue<>(Comparator.comparing(r -> r.head, ORDER));

        Merge() {
            try {
                for (Path file : runs) {
                    Run run = new Run(file);
                    merges.add(run);
                    if (run.head != null) {
                        queue.add(run);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(scratch + ": cannot read a run of grouped rows: " + e.getMessage(), e);
            }
        }

        @Override
        public boolean hasNext() {
            return !queue.isEmpty();
        }

        @Override
        public Entry next() {
            Run run = queue.poll();
            if (run == null) {
                throw new NoSuchElementException();
            }
            Entry e = run.head;
            try {
                run.advance();
            } catch (IOException x) {
                throw new UncheckedIOException(scratch + ": cannot read a run of grouped rows: " + x.getMessage(), x);
            }
            if (run.head != null) {
                queue.add(run);
            }
            return e;
        }
    }
}
