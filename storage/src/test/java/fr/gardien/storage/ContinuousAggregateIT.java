package fr.gardien.storage;

import static fr.gardien.storage.Fixtures.micros;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import fr.gardien.model.Reading;
import fr.gardien.storage.testing.TestPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RollupIT's proof that every source answers as the raw readings do, run on TimescaleDB with the
 * hourly continuous aggregate as a further source, plus what is particular to it: readings stored
 * twice, late data into a compressed chunk, its refresh policy. The server is the tests' shared
 * one ({@link TestPostgres}): {@code GARDIEN_TEST_DB_URL} when it names a TimescaleDB 2.7+ server
 * (the extension in shared_preload_libraries), else TimescaleDB through Testcontainers when Docker
 * answers; on plain PostgreSQL every test is skipped.
 */
class ContinuousAggregateIT extends RollupIT {

    @BeforeEach
    void onTimescale() {
        assumeTrue(db.continuousAggregate(), "needs TimescaleDB 2.7+ (set GARDIEN_TEST_DB_URL to such a server, or run"
                + " Docker); the test server is " + TestPostgres.shared().kind() + " without it");
    }

    /** The aggregate is refreshed by a policy whose window stops a chunk short of retention, and reopening keeps one policy. */
    @Test
    void aPolicyRefreshesTheAggregateWithinTheRetainedChunks() throws Exception {
        var config = TestPostgres.shared().newDatabase(2);
        Database.open(config, Fixtures.RETENTION).close();
        try (Database again = Database.open(config, Fixtures.RETENTION)) {
            assertThat(again.continuousAggregate()).isTrue();
            assertThat(again.description()).contains("continuous aggregate");
            assertThat(Fixtures.queryLong(again.dataSource(), "SELECT count(*) FROM timescaledb_information.jobs"
                    + " WHERE proc_name = 'policy_refresh_continuous_aggregate'")).isEqualTo(1);
            // 365 days of retention less one day-wide chunk.
            assertThat(Fixtures.queryLong(again.dataSource(), "SELECT count(*) FROM timescaledb_information.jobs"
                    + " WHERE proc_name = 'policy_refresh_continuous_aggregate'"
                    + " AND (config->>'start_offset')::interval = interval '364 days'"
                    + " AND (config->>'end_offset')::interval = interval '1 hour'")).isEqualTo(1);
        }
    }

    /**
     * An hour holding a reading stored twice with two values sums the stored rows in the
     * aggregate, yet is answered with the smallest value once, as the raw readings are.
     */
    @Test
    void anHourWithAReadingStoredTwiceIsAnsweredAsTheRawReadings() throws Exception {
        Instant t = Instant.parse("2026-10-20T08:10:00Z");
        write(List.of(Reading.numeric(temperature, micros(t), 10), Reading.numeric(temperature, micros(t), 30),
                Reading.numeric(temperature, micros(t.plusSeconds(60)), 20)));
        refreshAll();
        assertThat(Fixtures.queryLong(db.dataSource(), "SELECT stored * 1000 + count FROM readings_1h_cagg"))
                .as("stored rows and distinct times").isEqualTo(3002);
        List<PointRange> hour = List.of(new PointRange(temperature, PARIS, Instant.parse("2026-10-20T08:00:00Z"),
                Instant.parse("2026-10-20T09:00:00Z")));
        BucketStats answer = series.bucketed(hour, Bucket.HOUR, Aggregate.SUM, SeriesSource.CONTINUOUS).get(0).get(0);
        assertThat(answer.value(Aggregate.SUM)).isEqualTo(30);
        assertThat(answer.value(Aggregate.MAX)).isEqualTo(20);
        assertThat(answer.value(Aggregate.COUNT)).isEqualTo(2);
        assertClose(series.bucketed(hour, Bucket.HOUR, SeriesSource.RAW),
                series.bucketed(hour, Bucket.HOUR, Aggregate.SUM, SeriesSource.CONTINUOUS), List.of(Aggregate.SUM,
                        Aggregate.AVG, Aggregate.MIN, Aggregate.MAX, Aggregate.COUNT, Aggregate.LAST));
    }

    /** Readings arriving for hours whose chunk is already compressed reach the aggregate at the next rollup pass. */
    @Test
    void lateDataIntoACompressedChunkIsFoldedIn() throws Exception {
        write(generate(AUTUMN.minusDays(3), 7, 91, null));
        refreshAll();
        long compressed = Fixtures.queryLong(db.dataSource(),
                "SELECT count(compress_chunk(c, if_not_compressed => true)) FROM show_chunks('readings') c");
        assertThat(compressed).isPositive();
        Instant hourStart = Instant.parse("2026-10-24T10:00:00Z");
        List<PointRange> hour = List.of(new PointRange(temperature, PARIS, hourStart, hourStart.plusSeconds(3600)));
        BucketStats before = series.bucketed(hour, Bucket.HOUR, Aggregate.COUNT, SeriesSource.CONTINUOUS).get(0).get(0);
        List<Reading> late = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            late.add(Reading.numeric(temperature, micros(hourStart.plusSeconds(100 + i * 60L)), 900 + i));
        }
        write(late);
        assertThat(Fixtures.queryLong(db.dataSource(), "SELECT count(*) FROM timescaledb_information.chunks"
                + " WHERE hypertable_name = 'readings' AND is_compressed")).as("chunks still compressed").isPositive();
        refreshAll();
        BucketStats after = series.bucketed(hour, Bucket.HOUR, Aggregate.COUNT, SeriesSource.CONTINUOUS).get(0).get(0);
        assertThat(after.count()).isEqualTo(before.count() + 3);
        assertThat(after.max()).isEqualTo(902);
        assertSameAnswers(AUTUMN.minusDays(3), 7);
    }

    /** Readings stored before the aggregate existed (a database upgraded to this version) are materialized at the next start. */
    @Test
    void readingsStoredBeforeTheAggregateExistedAreMaterializedAtStart() throws Exception {
        DatabaseConfig config = TestPostgres.shared().newDatabase(2);
        Instant from = Instant.parse("2026-08-30T22:00:00Z");
        Instant to = from.plus(Duration.ofDays(20));
        try (Database before = Database.open(config, Fixtures.RETENTION)) {
            Fixtures.execute(before.dataSource(), "DROP MATERIALIZED VIEW readings_1h_cagg");
            List<Reading> readings = new ArrayList<>();
            for (Instant t = from; t.isBefore(to); t = t.plusSeconds(1800)) {
                readings.add(Reading.numeric(7, micros(t), t.getEpochSecond() % 97));
            }
            try (BatchWriter writer = new BatchWriter(before.dataSource(), before.partitions(), WriterConfig.DEFAULTS,
                    WriterMetrics.NOOP)) {
                writer.offer(WriteBatch.of(readings)).get(20, TimeUnit.SECONDS);
            }
        }
        try (Database after = Database.open(config, Fixtures.RETENTION)) {
            SeriesStore store = new SeriesStore(after.dataSource(), after.continuousAggregate());
            List<PointRange> range = List.of(new PointRange(7, PARIS, from, to));
            List<List<BucketStats>> raw = store.bucketed(range, Bucket.HOUR, SeriesSource.RAW);
            assertThat(raw.get(0)).hasSize(20 * 24);
            assertClose(raw, store.bucketed(range, Bucket.HOUR, Aggregate.AVG, SeriesSource.CONTINUOUS),
                    List.of(Aggregate.SUM, Aggregate.AVG, Aggregate.MIN, Aggregate.MAX, Aggregate.COUNT, Aggregate.LAST));
        }
    }

    /** The aggregate refuses what it does not hold: delta, and local days. */
    @Test
    void theAggregateRefusesDeltaAndDays() {
        List<PointRange> ranges = List.of(new PointRange(meter, PARIS, Instant.parse("2026-10-20T00:00:00Z"),
                Instant.parse("2026-10-21T00:00:00Z")));
        assertThatThrownBy(() -> series.bucketed(ranges, Bucket.HOUR, Aggregate.DELTA, SeriesSource.CONTINUOUS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> series.bucketed(ranges, Bucket.DAY, Aggregate.SUM, SeriesSource.CONTINUOUS))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
