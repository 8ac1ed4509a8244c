package fr.gardien.storage.testing;

import fr.gardien.model.Reading;
import fr.gardien.storage.db.Database;
import fr.gardien.storage.db.RetentionConfig;
import fr.gardien.storage.testing.TestPostgres;
import fr.gardien.storage.write.WriterMetrics;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/** Shared helpers of the storage integration tests. */
public final class Fixtures {

    public static final RetentionConfig RETENTION = RetentionConfig.of(Duration.ofDays(365));

    private Fixtures() {
    }

    /** A migrated, empty database of its own on the shared test server. */
    public static Database freshDatabase() {
        return Database.open(TestPostgres.shared().newDatabase(), RETENTION);
    }

    public static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    /** {@code count} numeric readings of one point, one second apart from {@code start}. */
    public static List<Reading> readings(int pointId, Instant start, int count) {
        List<Reading> readings = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            readings.add(Reading.numeric(pointId, micros(start) + i * 1_000_000L, i));
        }
        return readings;
    }

    public static long queryLong(DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public static void execute(DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Counts what the writer reports. */
    public static final class CountingMetrics implements WriterMetrics {
        public final AtomicInteger transactions = new AtomicInteger();
        public final AtomicInteger batches = new AtomicInteger();
        public final AtomicLong readings = new AtomicLong();
        public final AtomicInteger failures = new AtomicInteger();
        public final AtomicInteger failedBatches = new AtomicInteger();

        @Override
        public void committed(int batches, int readings, long commitNanos) {
            transactions.incrementAndGet();
            this.batches.addAndGet(batches);
            this.readings.addAndGet(readings);
        }

        @Override
        public void failed(int batches, int readings, Throwable cause) {
            failures.incrementAndGet();
            failedBatches.addAndGet(batches);
        }
    }
}
