package io.intercommigrator.intake;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import org.apache.camel.Exchange;

import io.intercommigrator.mapping.InvalidRecordException;
import io.intercommigrator.mapping.MappingConfig;
import io.intercommigrator.mapping.WorkItem;
import io.intercommigrator.core.RunAccounting;

import io.intercommigrator.mapping.ThreadOrder;
/**
 * The split expression of every route that reads its file lazily: opens the exchange's file with {@link CsvSource}
 * (column aliases from mapping.yaml, required columns checked before anything moves) or {@link JsonRecordStream}
 * and yields its records as {@link WorkItem}s, counting each as read. A malformed row becomes a work item that
 * carries its parse error to the dead letters.
 * <p>
 * The records come in batches (lists) of up to {@code batchSize}: the file route's split hands each batch to a
 * worker of the delivery pool, which splits it again into one exchange per record for the record route (mapping,
 * delivery, dead-letter channel). A live run uses batches of one, so that the records of a file spread over all the
 * pool's connections; a dry-run, which waits on no network, uses larger ones ({@code intake.dry-run-batch-size}),
 * which spares a pool hand-off per record and lets each record's exchange be copied from a lean batch exchange
 * (see {@link Intake#forRecords}).
 */
public final class RecordReaders {
    /**
     * What a kind of file holds: the object type its records count as, the columns it cannot do without, the array
     * of a JSON file, and for rows that append to a thread the column naming it (rows of one thread keep file order,
     * see {@link ThreadOrder}).
     */
    public record Spec(String objectType, List<String> requiredColumns, String jsonArrayField, String orderColumn) {
        public Spec(String objectType, List<String> requiredColumns) {
            this(objectType, requiredColumns, null, null);
        }

        public Spec(String objectType, List<String> requiredColumns, String jsonArrayField) {
            this(objectType, requiredColumns, jsonArrayField, null);
        }

        public static Spec orderedBy(String orderColumn, String objectType, List<String> requiredColumns) {
            return new Spec(objectType, requiredColumns, null, orderColumn);
        }
    }

    private final MappingConfig mapping;
    private final RunAccounting accounting;
    private final CsvOptions baseOptions;
    private final Map<DropKind, Spec> specs;
    private final int batchSize;

    public RecordReaders(MappingConfig mapping, RunAccounting accounting, CsvOptions baseOptions, Map<DropKind, Spec> specs,
                         int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
        }
        this.mapping = mapping;
        this.accounting = accounting;
        this.baseOptions = baseOptions;
        this.specs = specs;
        this.batchSize = batchSize;
    }

    /** Streams the CSV records of the exchange's file as batches of work items. */
    public Iterator<List<WorkItem>> csv(Exchange exchange) {
        return batches(records(exchange), batchSize);
    }

    /** Streams the elements of the exchange's JSON file as batches of work items. */
    public Iterator<List<WorkItem>> json(Exchange exchange) {
        return batches(elements(exchange), batchSize);
    }

    /** Groups a lazy sequence into lists of up to {@code size}, reading no further ahead than the batch it returns. */
    static <T> Iterator<List<T>> batches(Iterator<T> items, int size) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return items.hasNext();
            }

            @Override
            public List<T> next() {
                if (!items.hasNext()) {
                    throw new NoSuchElementException();
                }
                if (size == 1) {
                    return List.of(items.next());
                }
                List<T> batch = new java.util.ArrayList<>(size);
                while (batch.size() < size && items.hasNext()) {
                    batch.add(items.next());
                }
                return batch;
            }
        };
    }

    Iterator<WorkItem> records(Exchange exchange) {
        Path file = exchange.getMessage().getBody(Path.class);
        DropKind kind = exchange.getProperty(Intake.KIND, DropKind.class);
        Spec spec = specs.get(kind);
        String objectType = spec.objectType();
        List<String> requiredColumns = spec.requiredColumns();
        String name = exchange.getProperty(Intake.NAME, String.class);
        CsvOptions options = new CsvOptions(baseOptions.fallbackCharset(), mapping.aliasesFor(kind.baseName()),
                baseOptions.maxRecordBytes(), baseOptions.maxRecordLines());
        CsvSource source = CsvSource.open(file, name, options);
        try {
            source.requireColumns(requiredColumns);
        } catch (RuntimeException e) {
            closeQuietly(source);
            throw e;
        }
        accounting.system(kind.system());
        return new Items(source, kind, objectType, spec.orderColumn());
    }

    static void closeQuietly(CsvSource source) {
        try {
            source.close();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The elements of the exchange's JSON file (a top-level array, or the spec's array field) as work items. */
    Iterator<WorkItem> elements(Exchange exchange) {
        Path file = exchange.getMessage().getBody(Path.class);
        DropKind kind = exchange.getProperty(Intake.KIND, DropKind.class);
        String name = exchange.getProperty(Intake.NAME, String.class);
        Spec spec = specs.get(kind);
        JsonRecordStream stream = JsonRecordStream.open(file, name, spec.jsonArrayField());
        accounting.system(kind.system());
        String label = label(kind);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                boolean more = stream.hasNext();
                if (!more) {
                    try {
                        stream.close();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                return more;
            }

            @Override
            public WorkItem next() {
                JsonRecord r = stream.next();
                accounting.rowRead();
                accounting.source(spec.objectType());
                if (!r.node().isObject()) {
                    return new WorkItem(kind.system(), spec.objectType(), name, r.line(), r.node(),
                            new InvalidRecordException("parse", "", 0, name + " entry " + r.index() + " (line " + r.line()
                                    + ") is " + JsonRecordStream.describe(r.node()) + ", expected a JSON object")).kind(label);
                }
                return new WorkItem(kind.system(), spec.objectType(), name, r.line(), r.node(), null).kind(label);
            }
        };
    }

    /** The kind of file a record was read from, as the sample selection counts it ("clickdesk visitors.csv"). */
    static String label(DropKind kind) {
        return kind.system() + " " + kind.baseName();
    }

    private final class Items implements Iterator<WorkItem>, Closeable {
        private final CsvSource source;
        private final String system;
        private final String label;
        private final String objectType;
        private final String orderColumn;
        private final boolean contactRows;
        private final ThreadOrder.Lanes lanes; // for files whose rows append to a thread, and for contact files

        Items(CsvSource source, DropKind kind, String objectType, String orderColumn) {
            this.source = source;
            this.system = kind.system();
            this.label = label(kind);
            this.objectType = objectType;
            this.orderColumn = orderColumn;
            this.contactRows = orderColumn == null && "contact".equals(objectType);
            this.lanes = orderColumn == null && !contactRows ? null : new ThreadOrder.Lanes();
        }

        @Override
        public boolean hasNext() {
            boolean more = source.hasNext();
            if (!more) {
                close();
            }
            return more;
        }

        @Override
        public WorkItem next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Object next = source.next();
            accounting.rowRead();
            accounting.source(objectType);
            if (next instanceof SourceRow row) {
                WorkItem item = new WorkItem(system, objectType, row.file(), row.line(), row.fields(), null).kind(label);
                if (orderColumn != null) {
                    item.orderTicket(lanes.next(row.fields().getOrDefault(orderColumn, "").trim()));
                } else if (contactRows) {
                    item.orderTicket(lanes.next(sameContactLane(row.fields())));
                }
                return item;
            }
            MalformedRow bad = (MalformedRow) next;
            return new WorkItem(system, objectType, bad.file(), bad.line(), Map.of("raw", bad.raw()),
                    new InvalidRecordException("parse", "", bad.column(), bad.reason())).kind(label);
        }

        @Override
        public void close() {
            closeQuietly(source);
        }
    }

    /** Lanes for the rows of a contact file: enough that two rows in flight rarely share one, few enough to stay small. */
    static final int CONTACT_LANES = 16_384;

    /**
     * The lane of a contact row: rows that may be the same Intercom contact (the same email, trimmed and in any case,
     * else the same source id) share a lane and so are delivered in file order, whatever retries or faults delay one
     * of them; which of two rows of one contact sets its values is then the file's order, not the network's. Lanes
     * are a fixed number of stripes, so a file of a million contacts keeps no per-contact state; rows of different
     * contacts that share a stripe merely wait for each other.
     */
    static String sameContactLane(Map<String, String> fields) {
        String email = fields.getOrDefault("email", "").trim();
        String key = email.isEmpty() ? "id:" + firstIdValue(fields) : email.toLowerCase(java.util.Locale.ROOT);
        return Integer.toString(Math.floorMod(key.hashCode(), CONTACT_LANES));
    }

    private static String firstIdValue(Map<String, String> fields) {
        for (String column : List.of("visitor_id", "contact_id", "lead_id")) {
            String v = fields.get(column);
            if (v != null && !v.isBlank()) {
                return column + "=" + v.trim();
            }
        }
        return "";
    }
}
