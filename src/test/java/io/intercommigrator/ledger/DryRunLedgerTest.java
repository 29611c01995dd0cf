package io.intercommigrator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dry-run ledger keeps its entries compact (ids of the dry-run outbox as numbers, hashes as bytes, one entry per
 * contact): whatever it keeps must read back exactly as the JDBC ledger of a live run reads it, for the same calls.
 */
class DryRunLedgerTest {
    private final JdbcLedger jdbc = JdbcLedger.inMemory("dry-parity-" + System.nanoTime());
    private final DryRunLedger dry = new DryRunLedger();
    private final List<Ledger> both = List.of(jdbc, dry);

    private static final RecordKey VISITOR = new RecordKey("clickdesk", "contact", "v1");
    private static final RecordKey LEAD = new RecordKey("clickdesk", "lead", "v2");
    private static final RecordKey THREAD = new RecordKey("clickdesk", "conversation", "c1");
    private static final String SHA = "ab".repeat(32);

    @AfterEach
    void close() {
        jdbc.close();
    }

    @Test
    void readsBackWhatTheJdbcLedgerReadsBack() {
        for (Ledger l : both) {
            l.startRun("run-1", "dry-run", "m");
            l.markDelivered(VISITOR, "run-1", SHA, "dry-run-17", "created");
            l.markDelivered(LEAD, "run-1", "not-a-sha", "dry-run-0", "created"); // a leading 0 is not a number
            l.markDelivered(THREAD, "run-1", SHA.toUpperCase(), "6578a1f0c3d2e1f0a9b8c7d6", "created"); // an id of Intercom's
            l.rememberIdentity("email", "ann@example.com", "dry-run-17");
            l.rememberIdentity("external_id", "v2", "dry-run-0");
            l.rememberIdentity("email", "bob@example.com", "dry-run-123456789012345678901"); // too long for a long
            l.widenSpan("dry-run-17", "c1", 100, 200, "run-1");
            l.widenSpan("dry-run-17", "c1", 50, 150, "run-1");
            l.widenSpan(null, "c1", 50, 300, "run-1"); // a known span: found by its thread
            l.widenSpan("dry-run-0", "c2", 10, 20, "run-1");
            l.claimContactFields("dry-run-17", List.of("name", "phone"), Ledger.FIELD_OF_THREAD, "run-1");
            l.claimContactFields("dry-run-17", List.of("name"), Ledger.FIELD_OF_RECORD, "run-1");
            l.claimContactFields("dry-run-17", List.of("name", "phone"), Ledger.FIELD_OF_LEAD, "run-1");
            l.claimContactFields("dry-run-0", List.of("phone", "lead_status"), Ledger.FIELD_OF_LEAD, "run-1");
        }
        assertSame(l -> l.find(VISITOR).map(r -> r.contentHash() + " " + r.intercomId() + " " + r.status()));
        assertSame(l -> l.find(LEAD).map(r -> r.contentHash() + " " + r.intercomId()));
        assertSame(l -> l.find(THREAD).map(r -> r.contentHash() + " " + r.intercomId()));
        assertSame(l -> l.identity("email", "bob@example.com"));
        assertSame(l -> l.spansOf("dry-run-17"));
        assertSame(l -> l.spanContact("c2"));
        assertSame(l -> l.contactFields("dry-run-17"));
        assertThat(dry.find(VISITOR)).get().extracting(LedgerRecord::intercomId).isEqualTo("dry-run-17");
        assertThat(dry.spansOf("dry-run-17")).containsExactly(new ConversationSpan("c1", 50, 300));
        assertThat(dry.contactFields("dry-run-17")).containsEntry("name", "record").containsEntry("phone", "lead");

        for (Ledger l : both) {
            l.repointContact("dry-run-0", "dry-run-17"); // the lead merged into the user
        }
        assertSame(l -> l.identity("external_id", "v2"));
        assertSame(l -> l.find(LEAD).map(LedgerRecord::intercomId));
        assertSame(l -> l.spansOf("dry-run-17").stream().sorted(java.util.Comparator.comparing(ConversationSpan::threadId)).toList());
        assertSame(l -> l.spansOf("dry-run-0"));
        assertSame(l -> l.spanContact("c2"));
        assertSame(l -> l.contactFields("dry-run-17"));
        assertSame(l -> l.contactFields("dry-run-0"));
        assertThat(dry.identity("external_id", "v2")).contains("dry-run-17");
        assertThat(dry.contactFields("dry-run-17")).containsEntry("lead_status", "lead").containsEntry("phone", "lead");
    }

    private void assertSame(Function<Ledger, Object> read) {
        assertThat(read.apply(dry)).isEqualTo(read.apply(jdbc));
    }
}
