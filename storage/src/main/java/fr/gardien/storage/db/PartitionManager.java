package fr.gardien.storage.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the native range partitions of {@code readings} (PostgreSQL without TimescaleDB):
 * partitions are {@code partitionInterval} wide, aligned on multiples of it since the Unix
 * epoch, named {@code readings_pYYYYMMDD_HHMMSS} after their lower bound (UTC). There is no
 * default partition: a row outside every partition would fail its whole COPY, which is why the
 * writer calls {@link #ensureCovered} first. On TimescaleDB every method is a no-op: its chunks
 * and policies do the same job.
 *
 * <p>Creation and removal run in their own short steps, under an advisory lock (so several
 * gateways on one database do not race) and a lock timeout (so a long query holding the table
 * never blocks maintenance forever). Neither takes a lock on {@code readings} that the writers'
 * COPY or the queries conflict with: partitions are attached, and detached concurrently. Partitions already known to exist
 * are cached, so the writer's hot path is a few hash look-ups.
 */
public final class PartitionManager {

    private static final Logger log = LoggerFactory.getLogger(PartitionManager.class);
    /** pg_advisory_xact_lock key of readings partition DDL ("GARDPART"). */
    private static final long DDL_LOCK = 0x4741524450415254L;
    /** A wider range is a wrong timestamp, not history: refuse rather than create thousands of tables. */
    static final int MAX_PARTITIONS_PER_CALL = 1000;
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("uuuuMMdd_HHmmss").withZone(ZoneOffset.UTC);

    private final DataSource dataSource;
    private final boolean timescale;
    private final long intervalMicros;
    private final long retentionMicros;
    private final int partitionsAhead;
    /** Indices (epoch micros / interval) of the intervals known to be covered by partitions. */
    private final Set<Long> covered = ConcurrentHashMap.newKeySet();
    private final Object ddl = new Object();

    /** Usually made by {@link Database#open}; {@code timescale}: whether readings is a hypertable. */
    public PartitionManager(DataSource dataSource, RetentionConfig retention, boolean timescale) {
        this.dataSource = dataSource;
        this.timescale = timescale;
        this.intervalMicros = retention.partitionIntervalMicros();
        this.retentionMicros = Math.multiplyExact(retention.retention().toSeconds(), 1_000_000L);
        this.partitionsAhead = retention.partitionsAhead();
    }

    /**
     * Native partitions: creates the partitions covering [now, now + partitionsAhead intervals]
     * and drops the partitions entirely older than now - retention. TimescaleDB: nothing (its
     * policies do it). Blocking; call it at start and then periodically on a worker thread.
     *
     * @return how many partitions were created and dropped
     * @throws StorageException when the database refused (the next call retries)
     */
    public PartitionMaintenance maintain(Instant now) {
        if (timescale) {
            return PartitionMaintenance.NOTHING;
        }
        long nowMicros = Instant.EPOCH.until(now, java.time.temporal.ChronoUnit.MICROS);
        long first = Math.floorDiv(nowMicros, intervalMicros);
        long last = first + partitionsAhead;
        long cutoff = nowMicros - retentionMicros;
        synchronized (ddl) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    lock(c);
                    List<Partition> existing = load(c);
                    int created = createMissing(c, existing, first, last);
                    c.commit();
                    markCovered(first, last);
                    int dropped = dropExpired(c, existing, cutoff);
                    PartitionMaintenance done = new PartitionMaintenance(created, dropped);
                    if (created + dropped > 0) {
                        log.info("readings partitions maintained [{}, retention cutoff: {}]", done, instant(cutoff));
                    }
                    return done;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    covered.clear();
                    throw e;
                }
            } catch (SQLException e) {
                throw new StorageException("readings partition maintenance failed: " + Failures.describe(e), e);
            }
        }
    }

    /**
     * Ensures partitions exist for every interval touched by [minEpochMicros, maxEpochMicros]
     * (native only; no-op on TimescaleDB), so that backfilled history finds its partition. Costs a
     * few hash look-ups when they exist; safe to call concurrently. Blocking when it must create.
     *
     * @throws IllegalArgumentException when min > max or the range spans more than
     *     {@value #MAX_PARTITIONS_PER_CALL} intervals
     * @throws StorageException when the database refused
     */
    public void ensureCovered(long minEpochMicros, long maxEpochMicros) {
        if (timescale) {
            return;
        }
        if (minEpochMicros > maxEpochMicros) {
            throw new IllegalArgumentException("min " + minEpochMicros + " > max " + maxEpochMicros);
        }
        long first = Math.floorDiv(minEpochMicros, intervalMicros);
        long last = Math.floorDiv(maxEpochMicros, intervalMicros);
        if (last - first >= MAX_PARTITIONS_PER_CALL) {
            throw new IllegalArgumentException("range " + instant(minEpochMicros) + " .. " + instant(maxEpochMicros)
                    + " spans more than " + MAX_PARTITIONS_PER_CALL + " partitions");
        }
        if (allCovered(first, last)) {
            return;
        }
        synchronized (ddl) {
            if (allCovered(first, last)) {
                return;
            }
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    lock(c);
                    createMissing(c, load(c), first, last);
                    c.commit();
                    markCovered(first, last);
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    covered.clear();
                    throw e;
                }
            } catch (SQLException e) {
                throw new StorageException("cannot create readings partitions for " + instant(minEpochMicros) + " .. "
                        + instant(maxEpochMicros) + ": " + Failures.describe(e), e);
            }
        }
    }

    /** The width of a partition in microseconds. */
    public long intervalMicros() {
        return intervalMicros;
    }

    /** Whether readings is a TimescaleDB hypertable (chunks are then TimescaleDB's, not ours). */
    public boolean timescale() {
        return timescale;
    }

    /** Forgets what is cached, so the next call checks the catalog (after a failed write: maybe a partition vanished). */
    public void forget() {
        covered.clear();
    }

    /** The native partitions as the catalog has them, ordered by lower bound. */
    List<Partition> list() {
        try (Connection c = dataSource.getConnection()) {
            return load(c);
        } catch (SQLException e) {
            throw new StorageException("cannot list readings partitions: " + Failures.describe(e), e);
        }
    }

    private boolean allCovered(long first, long last) {
        for (long i = first; i <= last; i++) {
            if (!covered.contains(i)) {
                return false;
            }
        }
        return true;
    }

    private static void lock(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL lock_timeout = '10s'");
            s.execute("SELECT pg_advisory_xact_lock(" + DDL_LOCK + ")");
        }
    }

    /** Creates what is missing of intervals first..last, filling only the gaps between existing partitions. */
    private int createMissing(Connection c, List<Partition> existing, long first, long last) throws SQLException {
        int created = 0;
        for (long i = first; i <= last; i++) {
            if (covered.contains(i)) {
                continue;
            }
            long from = i * intervalMicros;
            long to = from + intervalMicros;
            for (Partition gap : gaps(existing, from, to)) {
                String name = "readings_p" + NAME.format(instant(gap.fromMicros()));
                try (Statement s = c.createStatement()) {
                    // Created apart, then attached: ATTACH takes SHARE UPDATE EXCLUSIVE on readings, which
                    // the writers' COPY and the queries do not conflict with, where CREATE TABLE ...
                    // PARTITION OF takes ACCESS EXCLUSIVE, and writers would queue behind it while any
                    // long query held the table. The attach builds the partition's index (empty).
                    s.execute("CREATE TABLE " + name + " (LIKE readings INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
                    s.execute("ALTER TABLE readings ATTACH PARTITION " + name + " FOR VALUES FROM ('"
                            + instant(gap.fromMicros()) + "') TO ('" + instant(gap.toMicros()) + "')");
                }
                existing.add(new Partition(name, gap.fromMicros(), gap.toMicros()));
                existing.sort(Comparator.comparingLong(Partition::fromMicros));
                created++;
                log.debug("readings partition created [name: {}]", name);
            }
        }
        return created;
    }

    /**
     * After the commit of the partitions' creation, not before: a writer that finds an interval
     * covered goes straight to its COPY, which must then see the partition (marked before the
     * commit, a second writer's COPY failed with "no partition of relation readings found").
     */
    private void markCovered(long first, long last) {
        for (long i = first; i <= last; i++) {
            covered.add(i);
        }
    }

    /**
     * Drops the partitions wholly older than the cutoff, after the creation's transaction: each is
     * first detached CONCURRENTLY (PostgreSQL 14+; SHARE UPDATE EXCLUSIVE on readings, so writers
     * never queue behind it), outside any transaction as PostgreSQL requires, then dropped on its
     * own. A detach interrupted earlier is finalized. On older servers, a plain DROP.
     */
    private int dropExpired(Connection c, List<Partition> existing, long cutoffMicros) throws SQLException {
        List<Partition> expired = new ArrayList<>();
        for (Partition p : existing) {
            // Yes, <= : the upper bound is exclusive, so such a partition holds nothing newer than the cutoff.
            if (p.toMicros() <= cutoffMicros) {
                expired.add(p);
            }
        }
        if (expired.isEmpty()) {
            return 0;
        }
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("SET lock_timeout = '10s'");
            s.execute("SELECT pg_advisory_lock(" + DDL_LOCK + ")");
            try {
                boolean concurrent = c.getMetaData().getDatabaseMajorVersion() >= 14;
                java.util.Set<String> pending = concurrent ? detachPending(c) : java.util.Set.of();
                for (Partition p : expired) {
                    if (concurrent) {
                        s.execute("ALTER TABLE readings DETACH PARTITION " + quote(p.name())
                                + (pending.contains(p.name()) ? " FINALIZE" : " CONCURRENTLY"));
                    }
                    s.execute("DROP TABLE " + quote(p.name()));
                    existing.remove(p);
                    covered.removeIf(i -> i * intervalMicros < p.toMicros());
                    log.debug("readings partition dropped [name: {}]", p.name());
                }
            } finally {
                s.execute("SELECT pg_advisory_unlock(" + DDL_LOCK + ")");
                s.execute("RESET lock_timeout");
            }
        }
        return expired.size();
    }

    private static java.util.Set<String> detachPending(Connection c) throws SQLException {
        java.util.Set<String> names = new java.util.HashSet<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("""
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'readings'::regclass AND i.inhdetachpending""")) {
            while (r.next()) {
                names.add(r.getString(1));
            }
        }
        return names;
    }

    /** The parts of [from, to) that no existing partition covers. */
    static List<Partition> gaps(List<Partition> existing, long from, long to) {
        List<Partition> gaps = new ArrayList<>();
        long cursor = from;
        for (Partition p : existing) {
            if (p.toMicros() <= cursor || p.fromMicros() >= to) {
                continue;
            }
            if (p.fromMicros() > cursor) {
                gaps.add(new Partition(null, cursor, p.fromMicros()));
            }
            cursor = Math.max(cursor, p.toMicros());
            if (cursor >= to) {
                break;
            }
        }
        if (cursor < to) {
            gaps.add(new Partition(null, cursor, to));
        }
        return gaps;
    }

    private static List<Partition> load(Connection c) throws SQLException {
        // The bound literals carry their offset, so their cast does not depend on the session time zone.
        String sql = """
                SELECT c.relname,
                       (extract(epoch FROM (regexp_match(b.bound, $$FROM \\('([^']+)'\\)$$))[1]::timestamptz) * 1000000)::bigint,
                       (extract(epoch FROM (regexp_match(b.bound, $$TO \\('([^']+)'\\)$$))[1]::timestamptz) * 1000000)::bigint
                FROM pg_inherits i
                JOIN pg_class c ON c.oid = i.inhrelid
                CROSS JOIN LATERAL (SELECT pg_get_expr(c.relpartbound, c.oid) AS bound) b
                WHERE i.inhparent = 'readings'::regclass
                """;
        List<Partition> partitions = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
            while (r.next()) {
                long from = r.getLong(2);
                boolean bounded = !r.wasNull();
                long to = r.getLong(3);
                bounded &= !r.wasNull();
                if (bounded) {
                    partitions.add(new Partition(r.getString(1), from, to));
                } else {
                    log.warn("readings partition without time bounds left alone [name: {}]", r.getString(1));
                }
            }
        }
        partitions.sort(Comparator.comparingLong(Partition::fromMicros));
        return partitions;
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    static Instant instant(long epochMicros) {
        return Instant.EPOCH.plus(epochMicros, java.time.temporal.ChronoUnit.MICROS);
    }

    /** A native partition: [fromMicros, toMicros) in epoch microseconds. */
    record Partition(String name, long fromMicros, long toMicros) {
    }
}
