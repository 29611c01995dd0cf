package io.intercommigrator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ledger file as a {@code bench/crash.sh} run left it after its third {@code kill -9} (trimmed to three rows of
 * {@code conversation_span}): thread 530340243's span is an entry of the killed process's unfinished transaction that
 * no read sees, yet every write of that key used to wait for it until H2's lock timeout, 9 times, and the chat was
 * dead-lettered. Opening the ledger clears it.
 */
class JdbcLedgerKilledTransactionTest {
    private static final String GHOST = "530340243";

    @TempDir
    Path dir;

    private String url() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/ledger/span-of-a-killed-transaction.mv.db")) {
            Files.copy(in, dir.resolve("ledger.mv.db"));
        }
        return "jdbc:h2:file:" + dir.resolve("ledger") + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    @Test
    void theFileAsTheKillLeftItCountsARowNoReadFindsAndAWriteOfItsKeyTimesOut() throws Exception {
        String url = url();
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            assertThat(longOf(c, "SELECT COUNT(*) FROM conversation_span")).isEqualTo(3);
            assertThat(threads(c)).containsExactly("101387645", "107582800");
            c.createStatement().execute("SET LOCK_TIMEOUT 500");
            SQLException failed = null;
            try {
                c.createStatement().executeUpdate("INSERT INTO conversation_span VALUES ('" + GHOST + "', 'c', 1, 2, 'r')");
            } catch (SQLException e) {
                failed = e;
            }
            assertThat((Object) failed).as("the write the dead transaction blocks").isNotNull();
            assertThat(failed.getErrorCode()).isEqualTo(org.h2.api.ErrorCode.LOCK_TIMEOUT_1);
        }
    }

    @Test
    void openingTheLedgerClearsTheDeadTransactionsEntryAndKeepsEveryRowReadsSee() throws Exception {
        String url = url();
        JdbcLedger ledger = JdbcLedger.open(url, 4);
        try {
            ledger.widenSpan("6570a1b2c3d4e5f600000001", GHOST, 1_700_000_000L, 1_700_000_100L, "run-2");

            assertThat(ledger.spanContact(GHOST)).contains("6570a1b2c3d4e5f600000001");
            assertThat(ledger.spanContact("107582800")).contains("a90468dffcc5143ce2b5b323");
            assertThat(ledger.spanContact("101387645")).contains("30fccaa91f5da2547ee92038");
        } finally {
            ledger.close();
        }
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            assertThat(longOf(c, "SELECT COUNT(*) FROM conversation_span")).isEqualTo(3);
            assertThat(threads(c)).containsExactly("101387645", "107582800", GHOST);
            assertThat(longOf(c, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME LIKE '%_COPY%'"))
                    .as("no copy left behind").isZero();
        }
    }

    @Test
    void aRepairKilledAfterItsCopyWasWholeIsFinishedOnTheNextOpen() throws Exception {
        String url = url();
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            // the state a kill between the copy's rename and the refill leaves
            c.createStatement().execute("CREATE TABLE CONVERSATION_SPAN_COPYING AS SELECT * FROM conversation_span");
            c.createStatement().execute("ALTER TABLE CONVERSATION_SPAN_COPYING RENAME TO CONVERSATION_SPAN_COPY");
            c.createStatement().execute("TRUNCATE TABLE conversation_span");
        }
        JdbcLedger ledger = JdbcLedger.open(url, 4);
        try {
            assertThat(ledger.spanContact("107582800")).contains("a90468dffcc5143ce2b5b323");
            ledger.widenSpan("6570a1b2c3d4e5f600000001", GHOST, 1_700_000_000L, 1_700_000_100L, "run-2");
            assertThat(ledger.spanContact(GHOST)).contains("6570a1b2c3d4e5f600000001");
        } finally {
            ledger.close();
        }
    }

    private static long longOf(Connection c, String sql) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> threads(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = c.createStatement().executeQuery("SELECT thread_id FROM conversation_span ORDER BY thread_id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
