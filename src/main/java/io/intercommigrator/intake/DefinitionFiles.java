package io.intercommigrator.intake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.intercommigrator.ledger.Ledger;
import io.intercommigrator.core.RunAccounting;

/**
 * Files that describe rather than hold records (agents, departments, canned responses, projects, offices, dialer
 * configuration, LeadApps): each row is remembered in the ledger's catalog, where people matching and the handoff
 * documents read it. Nothing is sent to Intercom for them (admins, teams and saved replies cannot be created).
 */
public final class DefinitionFiles {
    private static final Logger LOG = LoggerFactory.getLogger(DefinitionFiles.class);

    /** How a kind of definition file is kept: catalog kind, id column (null = the whole file as one JSON), required columns. */
    public record Spec(String kind, String idColumn, List<String> requiredColumns) {
    }

    private final Ledger ledger;
    private final RunAccounting accounting;
    private final ObjectMapper json;
    private final Map<DropKind, Spec> specs;

    private final CsvReading csv;

    public DefinitionFiles(Ledger ledger, RunAccounting accounting, ObjectMapper json, Map<DropKind, Spec> specs, CsvReading csv) {
        this.csv = csv;
        this.ledger = ledger;
        this.accounting = accounting;
        this.json = json;
        this.specs = specs;
    }

    /** Where the rows of a definition CSV go: by id, and the rows that have none or do not parse. */
    public interface Rows {
        void put(String id, ObjectNode row);

        void problem(String reason, String where, String detail);
    }

    /** Reads a definition CSV (a spec with an id column) row by row into {@code rows}; returns how many had an id. */
    public static int readRows(Path file, String name, Spec spec, CsvOptions options, ObjectMapper json, Rows rows) {
        int n = 0;
        try (CsvSource source = CsvSource.open(file, name, options)) {
            source.requireColumns(spec.requiredColumns());
            while (source.hasNext()) {
                Object next = source.next();
                if (next instanceof SourceRow row) {
                    String id = row.get(spec.idColumn()).trim();
                    if (id.isEmpty()) {
                        rows.problem("definition row without id", name + ":" + row.line(), spec.idColumn() + " is empty");
                        continue;
                    }
                    ObjectNode node = json.createObjectNode();
                    row.fields().forEach(node::put);
                    rows.put(id, node);
                    n++;
                } else if (next instanceof MalformedRow bad) {
                    rows.problem("malformed definition row", bad.file() + ":" + bad.line(), bad.reason());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }

    public void store(Exchange exchange) {
        Path file = exchange.getMessage().getBody(Path.class);
        DropKind kind = exchange.getProperty(Intake.KIND, DropKind.class);
        String name = exchange.getProperty(Intake.NAME, String.class);
        Spec spec = specs.get(kind);
        accounting.system(kind.system());
        if (spec.idColumn() == null) {
            try {
                JsonNode whole = json.readTree(file.toFile());
                ledger.putCatalog(kind.system(), spec.kind(), "file", whole == null ? "null" : whole.toString());
            } catch (IOException e) {
                throw new InputRefusedException(name + ": not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
            }
            LOG.info("{}: kept for the handoff inventory", name);
            return;
        }
        int rows = readRows(file, name, spec, csv.forFile(kind.baseName()), json, new Rows() {
            @Override
            public void put(String id, ObjectNode row) {
                ledger.putCatalog(kind.system(), spec.kind(), id, row.toString());
            }

            @Override
            public void problem(String reason, String where, String detail) {
                accounting.queue(reason, where, detail);
            }
        });
        LOG.info("{}: {} {} definitions", name, rows, spec.kind());
    }
}
