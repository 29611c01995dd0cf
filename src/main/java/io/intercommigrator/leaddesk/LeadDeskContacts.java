package io.intercommigrator.leaddesk;

import java.nio.file.Path;
import java.util.List;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.intercommigrator.intake.CsvOptions;
import io.intercommigrator.intake.CsvSource;
import io.intercommigrator.intake.Intake;
import io.intercommigrator.intake.SourceRow;
import io.intercommigrator.mapping.Timestamps;
import io.intercommigrator.mapping.MappingConfig;
import io.intercommigrator.mapping.WorkItem;
import io.intercommigrator.core.RunAccounting;

/**
 * Route steps of {@code leaddesk-contacts}: before the split, decides how other1…35 are typed for this file (one
 * extra streaming pass over the number fields); then maps each work item with {@link ContactToContact}.
 */
public final class LeadDeskContacts {
    private static final Logger LOG = LoggerFactory.getLogger(LeadDeskContacts.class);
    static final String MAPPER = "leaddesk.contactMapper";

    private final MappingConfig mapping;
    private final LeadDeskCatalog catalog;
    private final Timestamps timestamps;
    private final RunAccounting accounting;
    private final int maxChars;

    private final CsvOptions csv;

    /** @param maxChars most characters of a text attribute value (intercom.attribute-value-max-chars) */
    public LeadDeskContacts(MappingConfig mapping, LeadDeskCatalog catalog, Timestamps timestamps, RunAccounting accounting,
                            io.intercommigrator.intake.CsvReading csv, int maxChars) {
        this.mapping = mapping;
        this.catalog = catalog;
        this.timestamps = timestamps;
        this.accounting = accounting;
        this.csv = csv.forFile(io.intercommigrator.intake.DropKind.LEADDESK_CONTACTS.baseName()); // as RecordReaders reads it
        this.maxChars = maxChars;
    }

    public List<String> requiredColumns() {
        return ContactToContact.REQUIRED_COLUMNS;
    }

    public void prepare(Exchange exchange) {
        List<CustomField> fields = catalog.customFieldDefinitions();
        String name = exchange.getProperty(Intake.NAME, String.class);
        java.util.Set<String> floatColumns = new java.util.HashSet<>(); // one mark per column, not its values
        List<String> numberColumns = fields.stream().filter(f -> "number".equalsIgnoreCase(f.type()))
                .map(f -> f.field().toLowerCase(java.util.Locale.ROOT)).toList();
        Path file = exchange.getMessage().getBody() instanceof Path p ? p : null; // null in a replay: no file to scan
        if (!numberColumns.isEmpty() && file != null) {
            try (CsvSource source = CsvSource.open(file, name, csv)) {
                while (source.hasNext()) {
                    if (source.next() instanceof SourceRow row) {
                        for (String c : numberColumns) {
                            if (!floatColumns.contains(c) && CustomFieldMap.isFloat(row.get(c))) {
                                floatColumns.add(c);
                            }
                        }
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        CustomFieldMap map = CustomFieldMap.resolve(fields, floatColumns, mapping.leaddesk().customFieldPrefix());
        map.unsupported().forEach(reason -> accounting.queue("unsupported custom field", name, reason));
        if (fields.isEmpty()) {
            LOG.warn("{}: no custom_fields.json seen yet, so other1…35 are not migrated from this file", name);
            accounting.queue("custom fields not migrated", name,
                    "no custom_fields.json was dropped before this file; other1…35 need their labels and types");
        }
        exchange.setProperty(MAPPER, new ContactToContact(mapping.leaddesk(), timestamps, map, catalog.campaignNames()::get,
                maxChars));
    }

    public WorkItem plan(WorkItem item, Exchange exchange) {
        if (item.malformed() != null) {
            throw item.malformed();
        }
        ContactToContact mapper = exchange.getProperty(MAPPER, ContactToContact.class);
        return item.plan(mapper.map(item.fields()));
    }
}
