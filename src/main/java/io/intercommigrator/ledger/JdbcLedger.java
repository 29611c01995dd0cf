package io.intercommigrator.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.h2.api.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The migration ledger as an embedded H2 database under {@code work/}. It maps every source record to its
 * Intercom object, remembers known identities, and journals every write before and after it is sent.
 * Schema changes are Flyway migrations under {@code db/ledger}.
 */
public final class JdbcLedger implements Ledger {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcLedger.class);
    private final HikariDataSource pool;
    /** The threads inside an {@link #inTransaction}, with when they entered it: named when a lock times out. */
    private final Map<Thread, Long> openTransactions = new ConcurrentHashMap<>();
    /** The connection of this thread's {@link #inTransaction} (null outside one). */
    private final ThreadLocal<Connection> bound = new ThreadLocal<>();
    /** Whether this thread's transaction must be on disk once committed (it marked a record in flight). */
    private final ThreadLocal<Boolean> durableOnCommit = new ThreadLocal<>();

    private JdbcLedger(HikariDataSource pool) {
        this.pool = pool;
    }

    public static JdbcLedger open(String jdbcUrl, int maxConnections) {
        // the ledger has a few dozen statements: H2's default cache of 8 parsed statements per session re-parsed most
        // of them on every call
        String url = jdbcUrl.toUpperCase(java.util.Locale.ROOT).contains("QUERY_CACHE_SIZE") ? jdbcUrl
                : jdbcUrl + ";QUERY_CACHE_SIZE=64";
        HikariDataSource pool = pool(url, maxConnections);
        Flyway.configure().dataSource(pool).locations("classpath:db/ledger").load().migrate();
        if (!url.toLowerCase(java.util.Locale.ROOT).startsWith("jdbc:h2:mem:")) {
            clearRowsOfDeadTransactions(pool);
        }
        return new JdbcLedger(pool);
    }

    /**
     * The ledger's connections. H2's own {@code JdbcConnectionPool} rolls back every connection given back to it, and a
     * rollback empties the session's cache of parsed statements ({@code SessionLocal.rollbackTo}): every ledger call
     * parsed its SQL again (19 % of a live run's ledger time, JFR; a two-statement transaction 30 us instead of 12).
     * HikariCP rolls back only a connection given back inside a transaction, so a session keeps its parsed statements.
     * The database is embedded: connections are opened when a burst needs them and never retired for their age.
     */
    private static HikariDataSource pool(String url, int maxConnections) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("ledger");
        config.setJdbcUrl(url);
        config.setUsername("sa");
        config.setPassword("");
        config.setMaximumPoolSize(maxConnections);
        config.setMinimumIdle(Math.min(maxConnections, 8));
        config.setMaxLifetime(0);
        return new HikariDataSource(config);
    }

    /**
     * After a {@code kill -9}, H2 2.3.232 can reopen a table with an entry that no read sees but that its key index still
     * holds, as if a transaction of the killed process were still writing it: {@code COUNT(*)} counts one row more than
     * a scan finds, and every later write of that key waits for the dead writer until its lock timeout (a ClickDesk chat
     * dead-lettered in a crash test; bench/crash.sh met it in 3 of about 50 runs, in {@code record} and in
     * {@code conversation_span}). Such a table is copied, emptied ({@code TRUNCATE} clears the entry) and filled again
     * from its copy, which holds exactly what every read saw. The copy is named {@code <table>_COPY} only once it is
     * whole, so a crash during the repair leaves either the table as it was or a whole copy to finish from.
     */
    static void clearRowsOfDeadTransactions(DataSource pool) {
        try (Connection c = pool.getConnection(); java.sql.Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC' "
                    + "AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                if (table.endsWith("_COPYING")) {
                    st.execute("DROP TABLE \"" + table + "\""); // a repair killed while copying: its table is untouched
                } else if (table.endsWith("_COPY") && tables.contains(table.substring(0, table.length() - 5))) {
                    refill(st, table.substring(0, table.length() - 5)); // a repair killed after copying: finish it
                }
            }
            for (String table : tables) {
                if (table.endsWith("_COPY") || table.endsWith("_COPYING")) {
                    continue;
                }
                long counted = longOf(st, "SELECT COUNT(*) FROM \"" + table + "\"");
                long read = longOf(st, "SELECT COALESCE(SUM(1), 0) FROM \"" + table + "\""); // a scan, not the row count
                if (counted != read) {
                    LOG.warn("ledger: table {} holds {} rows but reads show {}: rows of a killed process's unfinished "
                            + "transaction are left in it; copying the {} rows every read sees into it again", table, counted, read, read);
                    st.execute("CREATE TABLE \"" + table + "_COPYING\" AS SELECT * FROM \"" + table + "\"");
                    st.execute("ALTER TABLE \"" + table + "_COPYING\" RENAME TO \"" + table + "_COPY\"");
                    refill(st, table);
                }
            }
        } catch (SQLException e) {
            throw new LedgerException(e, "");
        }
    }

    private static void refill(java.sql.Statement st, String table) throws SQLException {
        st.execute("TRUNCATE TABLE \"" + table + "\" CONTINUE IDENTITY");
        st.execute("INSERT INTO \"" + table + "\" SELECT * FROM \"" + table + "_COPY\"");
        st.execute("DROP TABLE \"" + table + "_COPY\"");
        LOG.info("ledger: table {} refilled from its copy", table);
    }

    private static long longOf(java.sql.Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** An empty ledger that lives only as long as this process (tests, plans). */
    public static JdbcLedger inMemory(String name) {
        return open("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", 8);
    }

    /** Answers whether the database can be queried (readiness). */
    @Override
    public boolean reachable() {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT 1")) {
            ps.executeQuery().close();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    // ---- runs ---------------------------------------------------------------------------------

    @Override
    public void startRun(String runId, String mode, String mappingChecksum) {
        update("INSERT INTO run (run_id, mode, started_at, mapping_checksum, status) VALUES (?, ?, ?, ?, 'RUNNING')",
                runId, mode, now(), mappingChecksum);
    }

    @Override
    public void finishRun(String runId, String status) {
        update("UPDATE run SET finished_at = ?, status = ? WHERE run_id = ?", now(), status, runId);
    }

    @Override
    public Optional<String> newestRunToUndo(String mode) {
        // a run that wrote something and was not rolled back to the end: after a sample and a full run that sent
        // nothing new, the sample; after one rollback, the run before it; after a rollback that was killed, the same
        return queryOne("""
                SELECT r.run_id FROM run r WHERE r.mode = ? AND COALESCE(r.status, '') <> 'rolled back'
                  AND EXISTS (SELECT 1 FROM journal j WHERE j.run_id = r.run_id AND j.state IN ('DONE', 'CONFLICT', 'INTENT'))
                ORDER BY r.started_at DESC, r.run_id DESC LIMIT 1""", rs -> rs.getString(1), mode);
    }

    @Override
    public void markRolledBack(String runId) {
        update("UPDATE run SET status = 'rolled back' WHERE run_id = ?", runId);
    }

    @Override
    public Optional<String> runMappingChecksum(String runId) {
        return queryOne("SELECT mapping_checksum FROM run WHERE run_id = ?", rs -> rs.getString(1), runId);
    }

    @Override
    public Optional<String> runMode(String runId) {
        return queryOne("SELECT mode FROM run WHERE run_id = ?", rs -> rs.getString(1), runId);
    }

    // ---- dropped files ------------------------------------------------------------------------

    @Override
    public Optional<String> fileSeen(String sha256) {
        return queryOne("SELECT name || ' (run ' || run_id || ')' FROM source_file WHERE sha256 = ?",
                rs -> rs.getString(1), sha256);
    }

    /** Remembers a file; false when the same content was already known. */
    @Override
    public boolean rememberFile(String sha256, String name, String runId) {
        return update("MERGE INTO source_file t USING (VALUES (CAST(? AS VARCHAR(64)))) s(sha256) ON t.sha256 = s.sha256 "
                + "WHEN NOT MATCHED THEN INSERT (sha256, name, run_id, received_at) VALUES (s.sha256, ?, ?, ?)",
                sha256, name, runId, now()) > 0;
    }

    @Override
    public void forgetFile(String sha256) {
        update("DELETE FROM source_file WHERE sha256 = ?", sha256);
    }

    @Override
    public void forgetAllFiles() {
        update("DELETE FROM source_file");
    }

    // ---- records ------------------------------------------------------------------------------

    @Override
    public Optional<LedgerRecord> find(RecordKey key) {
        return queryOne("SELECT content_hash, intercom_id, status, run_id, detail FROM record "
                        + "WHERE system = ? AND object_type = ? AND source_id = ?",
                rs -> new LedgerRecord(key, rs.getString(1), rs.getString(2), LedgerRecord.Status.valueOf(rs.getString(3)),
                        rs.getString(4), rs.getString(5)),
                key.system(), key.objectType(), key.sourceId());
    }

    /** Before a write: the record is in flight; after a crash its outcome is looked up, not assumed. */
    @Override
    public void markInFlight(RecordKey key, String runId, String contentHash, String knownIntercomId) {
        upsertRecord(key, contentHash, knownIntercomId, LedgerRecord.Status.IN_FLIGHT, runId, null);
        // H2 writes a commit to its file only up to WRITE_DELAY (500 ms) later: without this a kill -9 right after the
        // request would forget the record was in flight, and the restart would send it again instead of looking it up
        if (bound.get() != null) {
            durableOnCommit.set(Boolean.TRUE); // once the transaction is committed
        } else {
            checkpoint();
        }
    }

    /**
     * Returns once everything committed so far is in the file: a CHECKPOINT per durable commit, as before the group
     * commit of session 7 (one checkpoint shared by the threads waiting for it). That version was taken back after a
     * ledger file was found corrupted ("Double mark", H2 issue 2752) in a permutation run; the cause is not known.
     */
    private void checkpoint() {
        update("CHECKPOINT");
    }

    /**
     * Runs the ledger calls of {@code work} in one transaction on one connection: all of them or none are kept, with
     * one commit (and, when it marks a record in flight, one checkpoint after that commit) instead of one per call.
     * Nested calls join the outer transaction.
     */
    @Override
    public <T> T inTransaction(Supplier<T> work) {
        if (bound.get() != null) {
            return work.get();
        }
        T out;
        boolean durable;
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            bound.set(c);
            openTransactions.put(Thread.currentThread(), System.nanoTime());
            try {
                out = work.get();
                c.commit();
            } catch (RuntimeException | Error e) {
                c.rollback();
                throw e;
            } finally {
                openTransactions.remove(Thread.currentThread());
                bound.remove();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(e);
        } finally {
            durable = Boolean.TRUE.equals(durableOnCommit.get());
            durableOnCommit.remove();
        }
        if (durable) {
            // with the connection given back: threads waiting for the checkpoint must not hold the pool's connections
            checkpoint();
        }
        return out;
    }

    /** After a write: delivered, with what the run did ("created" / "updated"), so a retry in the same run counts it right. */
    @Override
    public void markDelivered(RecordKey key, String runId, String contentHash, String intercomId, String outcome) {
        upsertRecord(key, contentHash, intercomId, LedgerRecord.Status.DELIVERED, runId, outcome);
    }

    @Override
    public void markSkipped(RecordKey key, String runId, String reason) {
        upsertRecord(key, null, null, LedgerRecord.Status.SKIPPED, runId, truncate(reason));
    }

    /** Dead-lettered: keeps what is known of the Intercom object so a replay updates instead of duplicating. */
    @Override
    public void markDead(RecordKey key, String error) {
        update("UPDATE record SET status = 'DEAD', detail = ?, updated_at = ? WHERE system = ? AND object_type = ? AND source_id = ?",
                truncate(error), now(), key.system(), key.objectType(), key.sourceId());
    }

    private void upsertRecord(RecordKey key, String hash, String intercomId, LedgerRecord.Status status, String runId,
                              String detail) {
        update("MERGE INTO record (system, object_type, source_id, content_hash, intercom_id, status, run_id, detail, updated_at) "
                        + "KEY (system, object_type, source_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                key.system(), key.objectType(), key.sourceId(), hash, intercomId, status.name(), runId, detail, now());
    }

    @Override
    public List<LedgerRecord> inFlight() {
        return query("SELECT system, object_type, source_id, content_hash, intercom_id, status, run_id, detail FROM record "
                + "WHERE status = 'IN_FLIGHT'", JdbcLedger::recordFrom);
    }

    @Override
    public List<LedgerRecord> deliveredIn(String runId) {
        return query("SELECT system, object_type, source_id, content_hash, intercom_id, status, run_id, detail FROM record "
                + "WHERE run_id = ? AND status = 'DELIVERED'", JdbcLedger::recordFrom, runId);
    }

    @Override
    public long count(String objectType, LedgerRecord.Status status) {
        return queryOne("SELECT COUNT(*) FROM record WHERE object_type = ? AND status = ?", rs -> rs.getLong(1),
                objectType, status.name()).orElse(0L);
    }

    private static LedgerRecord recordFrom(ResultSet rs) throws SQLException {
        return new LedgerRecord(new RecordKey(rs.getString(1), rs.getString(2), rs.getString(3)), rs.getString(4),
                rs.getString(5), LedgerRecord.Status.valueOf(rs.getString(6)), rs.getString(7), rs.getString(8));
    }

    // ---- identities ---------------------------------------------------------------------------

    @Override
    public Optional<String> identity(String kind, String naturalKey) {
        return queryOne("SELECT intercom_id FROM identity WHERE kind = ? AND natural_key = ?", rs -> rs.getString(1),
                kind, naturalKey);
    }

    @Override
    public void rememberIdentity(String kind, String naturalKey, String intercomId) {
        update("MERGE INTO identity (kind, natural_key, intercom_id) KEY (kind, natural_key) VALUES (?, ?, ?)",
                kind, naturalKey, intercomId);
    }

    @Override
    public void forgetIdentitiesOf(String intercomId) {
        update("DELETE FROM identity WHERE intercom_id = ?", intercomId);
    }

    @Override
    public void repointContact(String fromLeadId, String intoUserId) {
        inTransaction(() -> {
            update("DELETE FROM identity WHERE natural_key = ? AND kind IN ('contact-made-by', 'contact-identity-held-by')", fromLeadId);
            update("UPDATE identity SET intercom_id = ? WHERE intercom_id = ?", intoUserId, fromLeadId);
            update("UPDATE record SET intercom_id = ? WHERE intercom_id = ?", intoUserId, fromLeadId);
            update("UPDATE conversation_span SET contact_id = ? WHERE contact_id = ?", intoUserId, fromLeadId);
            update("INSERT INTO contact_field (contact_id, field, owner, run_id) SELECT ?, l.field, l.owner, l.run_id "
                    + "FROM contact_field l WHERE l.contact_id = ? AND NOT EXISTS (SELECT 1 FROM contact_field u "
                    + "WHERE u.contact_id = ? AND u.field = l.field)", intoUserId, fromLeadId, intoUserId);
            update("DELETE FROM contact_field WHERE contact_id = ?", fromLeadId);
            return null;
        });
    }

    // ---- catalog ------------------------------------------------------------------------------

    @Override
    public void putCatalog(String system, String kind, String naturalKey, String value) {
        update("MERGE INTO catalog (system, kind, natural_key, item_value) KEY (system, kind, natural_key) VALUES (?, ?, ?, ?)",
                system, kind, naturalKey, value);
    }

    @Override
    public List<String[]> catalog(String system, String kind) {
        return query("SELECT natural_key, item_value FROM catalog WHERE system = ? AND kind = ? ORDER BY natural_key",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, system, kind);
    }

    // ---- conversation spans and contact fields ------------------------------------------------

    @Override
    public void widenSpan(String contactId, String threadId, long firstAt, long lastAt, String runId) {
        update("MERGE INTO conversation_span t USING (VALUES (CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(64)), "
                        + "CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS VARCHAR(64)))) s(thread_id, contact_id, first_at, last_at, run_id) "
                        + "ON t.thread_id = s.thread_id "
                        + "WHEN MATCHED THEN UPDATE SET first_at = LEAST(t.first_at, s.first_at), last_at = GREATEST(t.last_at, s.last_at), "
                        + "contact_id = COALESCE(s.contact_id, t.contact_id) "
                        // a message appended to a thread without its contact at hand widens a known span only
                        + "WHEN NOT MATCHED AND s.contact_id IS NOT NULL THEN INSERT (thread_id, contact_id, first_at, last_at, run_id) "
                        + "VALUES (s.thread_id, s.contact_id, s.first_at, s.last_at, s.run_id)",
                threadId, contactId, firstAt, lastAt, runId);
    }

    @Override
    public List<ConversationSpan> spansOf(String contactId) {
        return query("SELECT thread_id, first_at, last_at FROM conversation_span WHERE contact_id = ? ORDER BY first_at, thread_id",
                rs -> new ConversationSpan(rs.getString(1), rs.getLong(2), rs.getLong(3)), contactId);
    }

    @Override
    public Optional<String> spanContact(String threadId) {
        return queryOne("SELECT contact_id FROM conversation_span WHERE thread_id = ?", rs -> rs.getString(1), threadId);
    }

    @Override
    public java.util.Map<String, String> contactFields(String contactId) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        query("SELECT field, owner FROM contact_field WHERE contact_id = ?", rs -> out.put(rs.getString(1), rs.getString(2)),
                contactId);
        return out;
    }

    @Override
    public void claimContactFields(String contactId, java.util.Collection<String> fields, String owner, String runId) {
        String merge = "MERGE INTO contact_field t USING (VALUES (CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(300)), "
                + "CAST(? AS VARCHAR(8)), CAST(? AS VARCHAR(64)))) s(contact_id, field, owner, run_id) "
                + "ON t.contact_id = s.contact_id AND t.field = s.field ";
        String insert = "WHEN NOT MATCHED THEN INSERT (contact_id, field, owner, run_id) VALUES (s.contact_id, s.field, s.owner, s.run_id)";
        String sql = switch (owner) {
            case FIELD_OF_THREAD -> merge + insert;
            case FIELD_OF_LEAD -> merge + "WHEN MATCHED AND t.owner <> '" + FIELD_OF_RECORD + "' THEN UPDATE SET owner = s.owner, "
                    + "run_id = s.run_id " + insert;
            default -> "MERGE INTO contact_field (contact_id, field, owner, run_id) KEY (contact_id, field) VALUES (?, ?, ?, ?)";
        };
        try (Borrowed b = borrow(); PreparedStatement ps = b.connection().prepareStatement(sql)) {
            for (String field : fields) {
                bind(ps, contactId, field, owner, runId);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    // ---- journal ------------------------------------------------------------------------------

    @Override
    public long journalIntent(String runId, RecordKey key, String action, String target, String intercomId, String beforeImage) {
        try (Borrowed b = borrow();
             PreparedStatement ps = b.connection().prepareStatement("INSERT INTO journal (run_id, system, object_type, source_id, action, "
                     + "target, intercom_id, before_image, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'INTENT', ?)",
                     new String[] {"ID"})) {
            bind(ps, runId, key == null ? null : key.system(), key == null ? null : key.objectType(),
                    key == null ? null : key.sourceId(), action, target, intercomId, beforeImage, now());
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public void journalDone(long id, String intercomId) {
        update("UPDATE journal SET state = 'DONE', intercom_id = COALESCE(?, intercom_id), completed_at = ? WHERE id = ?",
                intercomId, now(), id);
    }

    @Override
    public void journalState(long id, String state) {
        update("UPDATE journal SET state = ?, completed_at = ? WHERE id = ?", state, now(), id);
    }

    /** The run's journal, newest first: the order a rollback undoes it in. */
    @Override
    public List<JournalEntry> journalOf(String runId) {
        return query("SELECT id, run_id, system, object_type, source_id, action, target, intercom_id, before_image, state "
                        + "FROM journal WHERE run_id = ? ORDER BY id DESC",
                rs -> new JournalEntry(rs.getLong(1), rs.getString(2),
                        rs.getString(3) == null ? null : new RecordKey(rs.getString(3), rs.getString(4), rs.getString(5)),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10)),
                runId);
    }

    @Override
    public void forgetRun(String runId) {
        update("DELETE FROM identity WHERE intercom_id IN (SELECT intercom_id FROM journal WHERE run_id = ? AND action = 'CREATE')", runId);
        update("DELETE FROM record WHERE run_id = ?", runId);
        update("DELETE FROM conversation_span WHERE run_id = ?", runId);
        update("DELETE FROM contact_field WHERE run_id = ?", runId);
        update("DELETE FROM source_file WHERE run_id = ?", runId);
    }

    @Override
    public boolean undone(long journalId) {
        return queryOne("SELECT COUNT(*) FROM journal WHERE action = 'UNDO' AND target = ? AND state = 'DONE'",
                rs -> rs.getLong(1), "journal:" + journalId).orElse(0L) > 0;
    }

    // ---- plumbing -----------------------------------------------------------------------------

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** This thread's transaction's connection (left open), or one from the pool (given back on close). */
    private record Borrowed(Connection connection, boolean own) implements AutoCloseable {
        @Override
        public void close() throws SQLException {
            if (own) {
                connection.close();
            }
        }
    }

    private Borrowed borrow() throws SQLException {
        Connection c = bound.get();
        return c != null ? new Borrowed(c, false) : new Borrowed(pool.getConnection(), true);
    }

    private int update(String sql, Object... args) {
        try (Borrowed b = borrow(); PreparedStatement ps = b.connection().prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
        try (Borrowed b = borrow(); PreparedStatement ps = b.connection().prepareStatement(sql)) {
            bind(ps, args);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... args) {
        List<T> rows = query(sql, mapper, args);
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 3990) + "…";
    }

    @Override
    public void close() {
        pool.close();
    }

    /**
     * The exception for a failed ledger call. A lock timeout (another transaction held the row for longer than H2's lock
     * timeout) also names the other threads inside a transaction of this ledger, how long each has been in it and where
     * it is, and the database's sessions holding uncommitted changes: the holder is otherwise invisible.
     */
    private LedgerException failure(SQLException e) {
        if (e.getErrorCode() != ErrorCode.LOCK_TIMEOUT_1) {
            return new LedgerException(e, "");
        }
        StringBuilder detail = new StringBuilder();
        // H2 retries a statement that meets a concurrent change until its lock timeout: the cause is the last of those
        String said = e.getMessage();
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            String first = String.valueOf(cause.getMessage()).lines().findFirst().orElse("");
            if (!said.contains(first)) { // H2 wraps its own exception with the same message
                detail.append("; cause: ").append(first);
                said = said + first;
            }
        }
        StringBuilder threads = new StringBuilder();
        long now = System.nanoTime();
        openTransactions.forEach((thread, since) -> {
            if (thread != Thread.currentThread()) {
                threads.append("; in a transaction for ").append((now - since) / 1_000_000).append(" ms: thread ")
                        .append(thread.getName()).append(" (").append(thread.getState()).append(") at ")
                        .append(ownFrames(thread.getStackTrace()));
            }
        });
        detail.append(threads.isEmpty() ? "; no other thread of this process is inside a ledger transaction" : threads);
        detail.append(uncommittedSessions());
        LOG.warn("ledger lock timeout ({}){}", e.getMessage(), detail);
        return new LedgerException(e, detail.toString());
    }

    /** This project's frames of a stack, the ledger's own and lambdas left out: where a transaction's caller is. */
    static String ownFrames(StackTraceElement[] stack) {
        List<String> frames = new ArrayList<>();
        for (StackTraceElement f : stack) {
            String type = f.getClassName();
            if (type.startsWith("io.intercommigrator.") && !type.equals(JdbcLedger.class.getName())
                    && !type.startsWith(JdbcLedger.class.getName() + "$") && !type.contains("$$Lambda")) {
                frames.add(type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethodName() + ":" + f.getLineNumber());
            }
        }
        return frames.isEmpty() ? "(no frame of ours)" : String.join(" < ", frames.subList(0, Math.min(6, frames.size())));
    }

    private String uncommittedSessions() {
        String sql = "SELECT SESSION_ID, SESSION_STATE, BLOCKER_ID, EXECUTING_STATEMENT FROM INFORMATION_SCHEMA.SESSIONS "
                + "WHERE CONTAINS_UNCOMMITTED OR BLOCKER_ID IS NOT NULL";
        StringBuilder out = new StringBuilder();
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.append("; session ").append(rs.getInt(1)).append(' ').append(rs.getString(2))
                        .append(rs.getObject(3) == null ? " holding uncommitted changes" : " waiting for session " + rs.getInt(3))
                        .append(rs.getString(4) == null ? "" : ", running " + rs.getString(4));
            }
        } catch (SQLException | RuntimeException e) {
            out.append("; sessions unknown (").append(e.getMessage()).append(')');
        }
        return out.toString();
    }

    /** A ledger failure: the run cannot keep its promises without the ledger, so this is never swallowed. */
    public static final class LedgerException extends RuntimeException {
        LedgerException(SQLException cause, String detail) {
            super("ledger: " + cause.getMessage() + detail, cause);
        }
    }
}
