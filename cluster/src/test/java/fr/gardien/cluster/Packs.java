package fr.gardien.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.model.Reading;
import fr.gardien.storage.db.Database;
import fr.gardien.storage.write.QuarantineRecord;
import fr.gardien.storage.db.RetentionConfig;
import fr.gardien.storage.write.WriteBatch;
import fr.gardien.storage.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/** Packs with readings no other pack has, and what the tests check of the database. */
final class Packs {

    static final int READINGS_PER_PACK = 5;
    private final AtomicLong sequence = new AtomicLong();
    private final long baseMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now().truncatedTo(ChronoUnit.HOURS));

    static Database freshDatabase() {
        return Database.open(TestPostgres.shared().newDatabase(), RetentionConfig.of(Duration.ofDays(365)));
    }

    /** The point ids of site {@code site}: site × 1000 + 0..4. */
    static int site(int pointId) {
        return pointId / 1000;
    }

    static String siteKey(int site) {
        return "site-" + site;
    }

    /** A pack of site {@code site}: five readings at a time no other pack of this generator uses. */
    WriteBatch pack(int site) {
        long t = baseMicros + sequence.incrementAndGet() * 1_000;
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < READINGS_PER_PACK; i++) {
            readings.add(Reading.numeric(site * 1000 + i, t, i + 0.5));
        }
        return new WriteBatch(readings, List.of());
    }

    /** A pack with one valid reading and one quarantined record. */
    WriteBatch partial(int site, String device) {
        long t = baseMicros + sequence.incrementAndGet() * 1_000;
        return new WriteBatch(List.of(Reading.numeric(site * 1000, t, 1.0)), List.of(new QuarantineRecord(Instant.now(), "mqtt",
                device, "unknown-point", siteKey(site) + "/nope/x", "record 1: no point of that key in the portfolio")));
    }

    /** How many times each (point, time) is stored. */
    static Map<String, Integer> stored(DataSource ds) {
        Map<String, Integer> counts = new HashMap<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT point_id, (extract(epoch FROM ts) * 1000000)::bigint FROM readings")) {
            while (rs.next()) {
                counts.merge(key(rs.getInt(1), rs.getLong(2)), 1, Integer::sum);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return counts;
    }

    static String key(Reading r) {
        return key(r.pointId(), r.epochMicros());
    }

    private static String key(int point, long micros) {
        return point + "@" + micros;
    }

    static long count(DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every acknowledged reading is stored, and no reading is stored twice. */
    static void assertStoredExactlyOnce(DataSource ds, List<WriteBatch> acknowledged) {
        Map<String, Integer> stored = stored(ds);
        assertThat(stored.values()).as("readings stored more than once").allMatch(n -> n == 1);
        List<String> missing = new ArrayList<>();
        for (WriteBatch pack : acknowledged) {
            for (Reading r : pack.readings()) {
                if (!stored.containsKey(key(r))) {
                    missing.add(key(r));
                }
            }
        }
        assertThat(missing).as("acknowledged readings not stored").isEmpty();
    }

    static void await(Duration timeout, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }
}
