package io.intercommigrator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link JdbcLedger#inTransaction}: the ledger calls of one write are kept all or none, with one commit. */
class JdbcLedgerTransactionTest {
    private final String name = "tx-" + System.nanoTime();
    private final JdbcLedger ledger = JdbcLedger.inMemory(name);
    private final RecordKey key = new RecordKey("clickdesk", "contact", "v1");

    @AfterEach
    void close() {
        ledger.close();
    }

    @Test
    void aFailureInsideTheTransactionKeepsNoneOfItsCalls() {
        assertThatThrownBy(() -> ledger.inTransaction(() -> {
            ledger.markInFlight(key, "run-1", "h", null);
            ledger.rememberIdentity("email", "a@example.com", "c1");
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(ledger.find(key)).isEmpty();
        assertThat(ledger.identity("email", "a@example.com")).isEmpty();
    }

    @Test
    void callsInsideSeeEachOtherAndAreKeptOnCommit() {
        long journal = ledger.inTransaction(() -> {
            ledger.markInFlight(key, "run-1", "h", null);
            assertThat(ledger.find(key)).get().extracting(LedgerRecord::status).isEqualTo(LedgerRecord.Status.IN_FLIGHT);
            return ledger.inTransaction(() -> ledger.journalIntent("run-1", key, "CREATE", "contact", null, null)); // joins
        });
        ledger.inTransaction(() -> {
            ledger.journalDone(journal, "c1");
            ledger.markDelivered(key, "run-1", "h", "c1", "created");
            return null;
        });

        assertThat(ledger.find(key)).get().extracting(LedgerRecord::status).isEqualTo(LedgerRecord.Status.DELIVERED);
        assertThat(ledger.journalOf("run-1")).singleElement().extracting(JournalEntry::state).isEqualTo("DONE");
        assertThat(ledger.inFlight()).isEmpty();
    }

    @Test
    void manyThreadsMarkingRecordsInFlightAtOnceAllGetThemKept() {
        // each transaction that marks a record in flight checkpoints after its commit, with its connection given back
        List<CompletableFuture<Void>> writers = IntStream.range(0, 64).mapToObj(i -> CompletableFuture.runAsync(() ->
                ledger.inTransaction(() -> {
                    ledger.markInFlight(new RecordKey("clickdesk", "contact", "v" + i), "run-1", "h", null);
                    return ledger.journalIntent("run-1", null, "CREATE", "contact", null, null);
                }))).toList();
        writers.forEach(CompletableFuture::join);

        assertThat(ledger.inFlight()).hasSize(64);
        assertThat(ledger.journalOf("run-1")).hasSize(64);
    }

    @Test
    void aWriteThatTimesOutOnALockNamesTheThreadHoldingTheRowAndWhereItIs() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> ledger.inTransaction(() -> {
            ledger.markInFlight(key, "run-1", "h", null);
            holding.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }), "row-holder");
        holder.start();
        try {
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();

            assertThatThrownBy(() -> ledger.markDelivered(key, "run-1", "h", "c1", "created"))
                    .isInstanceOf(JdbcLedger.LedgerException.class)
                    .hasMessageContaining("Timeout trying to lock table")
                    .hasMessageContaining("cause: Concurrent update in table \"RECORD\"")
                    .hasMessageContaining("thread row-holder (TIMED_WAITING) at JdbcLedgerTransactionTest.lambda$")
                    .hasMessageContaining("holding uncommitted changes");
        } finally {
            release.countDown();
            holder.join(30_000);
        }
        // the holder's transaction committed in the end: the row is its
        assertThat(ledger.find(key)).get().extracting(LedgerRecord::status).isEqualTo(LedgerRecord.Status.IN_FLIGHT);
    }

    @Test
    void aWriteThatTimesOutOnALockNoLedgerTransactionHoldsSaysSoAndNamesTheSessionThatDoes() throws Exception {
        // the row held by a connection of the same database outside the ledger, as a dead transaction holds it
        try (java.sql.Connection other = java.sql.DriverManager.getConnection("jdbc:h2:mem:" + name, "sa", "")) {
            other.setAutoCommit(false);
            other.createStatement().executeUpdate("INSERT INTO record (system, object_type, source_id, status, run_id, updated_at) "
                    + "VALUES ('clickdesk', 'contact', 'v1', 'IN_FLIGHT', 'run-0', CURRENT_TIMESTAMP)");

            assertThatThrownBy(() -> ledger.markDelivered(key, "run-1", "h", "c1", "created"))
                    .isInstanceOf(JdbcLedger.LedgerException.class)
                    .hasMessageContaining("cause: Concurrent update in table \"RECORD\"")
                    .hasMessageContaining("; no other thread of this process is inside a ledger transaction")
                    .hasMessageContaining("holding uncommitted changes");
            other.rollback();
        }
    }
}
