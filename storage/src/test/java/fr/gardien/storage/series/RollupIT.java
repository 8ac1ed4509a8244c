package fr.gardien.storage.series;

import static fr.gardien.storage.testing.Fixtures.micros;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import fr.gardien.model.Reading;
import fr.gardien.storage.db.Database;
import fr.gardien.storage.testing.Fixtures;
import fr.gardien.storage.write.BatchWriter;
import fr.gardien.storage.write.WriteBatch;
import fr.gardien.storage.write.WriterConfig;
import fr.gardien.storage.write.WriterMetrics;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The rollups against the raw readings: same answers, DST days, meter resets, late data. */
@Timeout(120)
class RollupIT {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    /** The spring day of 23 hours and the autumn day of 25 hours, in Europe/Paris. */
    static final LocalDate SPRING = LocalDate.of(2026, 3, 29);
    static final LocalDate AUTUMN = LocalDate.of(2026, 10, 25);
    private static final long STEP_SECONDS = 900;

    Database db;
    SeriesStore series;
    RollupStore rollups;
    int temperature;
    int meter;
    /** Consumption injected per local day (the meter's true increments, the reset step excluded). */
    private final Map<LocalDate, Double> consumed = new HashMap<>();

    @BeforeEach
    void open() throws Exception {
        db = Fixtures.freshDatabase();
        series = new SeriesStore(db.dataSource());
        rollups = new RollupStore(db.dataSource());
        Fixtures.execute(db.dataSource(), "INSERT INTO sites (id, name, timezone, position) VALUES ('paris', 'Paris', 'Europe/Paris', 0)");
        Fixtures.execute(db.dataSource(), """
                INSERT INTO points (key, site_id, equipment_id, name, equipment_type, unit, category, position) VALUES
                ('paris/boiler/supply_temp', 'paris', 'boiler', 'supply_temp', 'boiler', 'Cel', 'heat', 0),
                ('paris/meter/energy', 'paris', 'meter', 'energy', 'electricity-meter', 'kWh', 'energy', 1)""");
        temperature = (int) Fixtures.queryLong(db.dataSource(), "SELECT id FROM points WHERE name = 'supply_temp'");
        meter = (int) Fixtures.queryLong(db.dataSource(), "SELECT id FROM points WHERE name = 'energy'");
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** Hourly and daily rollups give the raw readings' answer for every bucket and aggregate, over both DST changes. */
    @Test
    void rollupsAnswerAsTheRawReadingsOverDstDays() throws Exception {
        write(generate(SPRING.minusDays(3), 7, 11, Instant.parse("2026-03-30T10:07:00Z")));
        write(generate(AUTUMN.minusDays(3), 7, 12, Instant.parse("2026-10-25T09:52:00Z")));
        refreshAll();
        assertSameAnswers(SPRING.minusDays(3), 7);
        assertSameAnswers(AUTUMN.minusDays(3), 7);
    }

    /** A local day has the readings of its 23 or 25 hours; the 1h buckets of the autumn day are 25. */
    @Test
    void dstDaysHaveTwentyThreeAndTwentyFiveHours() throws Exception {
        write(generate(SPRING.minusDays(1), 3, 21, null));
        write(generate(AUTUMN.minusDays(1), 3, 22, null));
        refreshAll();
        for (SeriesSource source : List.of(SeriesSource.RAW, SeriesSource.DAILY)) {
            assertThat(day(SPRING, source).count()).as("spring readings, " + source).isEqualTo(23 * 4);
            assertThat(day(AUTUMN, source).count()).as("autumn readings, " + source).isEqualTo(25 * 4);
            assertThat(day(AUTUMN.plusDays(1), source).count()).isEqualTo(24 * 4);
        }
        Instant start = AUTUMN.atStartOfDay(PARIS).toInstant();
        Instant end = AUTUMN.plusDays(1).atStartOfDay(PARIS).toInstant();
        assertThat(series.bucketed(List.of(new PointRange(temperature, PARIS, start, end)), Bucket.HOUR, SeriesSource.HOURLY)
                .get(0)).hasSize(25);
    }

    /** Delta counts the meter's consumption through a reset (the new index counts from its first value). */
    @Test
    void deltaIsTheConsumptionAcrossAMeterReset() throws Exception {
        Instant reset = Instant.parse("2026-10-24T13:22:00Z");
        write(generate(AUTUMN.minusDays(2), 4, 31, reset));
        refreshAll();
        Instant from = AUTUMN.minusDays(2).atStartOfDay(PARIS).toInstant();
        Instant to = AUTUMN.plusDays(2).atStartOfDay(PARIS).toInstant();
        for (SeriesSource source : List.of(SeriesSource.RAW, SeriesSource.DAILY)) {
            List<BucketStats> days = series.bucketed(List.of(new PointRange(meter, PARIS, from, to)), Bucket.DAY, source).get(0);
            assertThat(days).hasSize(4);
            for (BucketStats d : days) {
                LocalDate date = d.start().atZone(PARIS).toLocalDate();
                // The first day's first reading has no predecessor: its step is not consumption known to us.
                double expected = consumed.get(date);
                assertThat(d.value(Aggregate.DELTA)).as(date + " " + source).isCloseTo(expected, within(1e-6));
            }
        }
        // The reset day's index fell, yet its consumption is positive and its naive last - first is not.
        BucketStats resetDay = series.bucketed(List.of(new PointRange(meter, PARIS,
                AUTUMN.minusDays(1).atStartOfDay(PARIS).toInstant(), AUTUMN.atStartOfDay(PARIS).toInstant())),
                Bucket.DAY, SeriesSource.DAILY).get(0).get(0);
        assertThat(resetDay.last() - resetDay.first()).isNegative();
        assertThat(resetDay.increase()).isPositive();
    }

    /**
     * The streamed deltas are the bucketed answers' deltas, exactly: days, weeks and months across a
     * reset and the autumn DST day, a range without data, a range starting mid-data, and a zone with a
     * half-hour offset (served from the raw readings).
     */
    @Test
    void streamedDeltasAreTheBucketedDeltas() throws Exception {
        write(generate(AUTUMN.minusDays(3), 7, 51, Instant.parse("2026-10-24T13:22:00Z")));
        refreshAll();
        ZoneId kolkata = ZoneId.of("Asia/Kolkata");
        for (Bucket bucket : List.of(Bucket.DAY, Bucket.WEEK, Bucket.MONTH)) {
            for (ZoneId zone : List.of(PARIS, kolkata)) {
                Instant from = bucket.floor(AUTUMN.minusDays(3).atStartOfDay(zone).toInstant(), zone);
                Instant to = bucket.ceil(AUTUMN.plusDays(4).atStartOfDay(zone).toInstant(), zone);
                Instant mid = bucket.floor(AUTUMN.atStartOfDay(zone).toInstant(), zone);
                List<PointRange> ranges = List.of(
                        new PointRange(meter, zone, from, to),
                        new PointRange(meter, zone, from.minus(java.time.Duration.ofDays(400)), from.minus(java.time.Duration.ofDays(300))),
                        new PointRange(temperature, zone, from, to),
                        new PointRange(meter, zone, mid, to),
                        new PointRange(meter, zone, to, to.plus(java.time.Duration.ofDays(40))));
                List<List<BucketStats>> expected = series.bucketed(ranges, bucket, SeriesSource.AUTO);
                List<Integer> indexes = new ArrayList<>();
                List<List<Long>> starts = new ArrayList<>();
                List<List<Double>> deltas = new ArrayList<>();
                series.deltas(ranges, bucket, (index, s, d, n) -> {
                    indexes.add(index);
                    starts.add(java.util.Arrays.stream(s, 0, n).boxed().toList());
                    deltas.add(java.util.Arrays.stream(d, 0, n).boxed().toList());
                });
                assertThat(indexes).as(bucket.text() + " " + zone).containsExactly(0, 1, 2, 3, 4);
                for (int i = 0; i < ranges.size(); i++) {
                    assertThat(starts.get(i)).as(bucket.text() + " " + zone + " range " + i).containsExactlyElementsOf(
                            expected.get(i).stream().map(b -> b.start().getEpochSecond()).toList());
                    assertThat(deltas.get(i)).as(bucket.text() + " " + zone + " range " + i).containsExactlyElementsOf(
                            expected.get(i).stream().map(b -> b.value(Aggregate.DELTA)).toList());
                }
                assertThat(starts.get(0)).isNotEmpty();
                assertThat(starts.get(1)).isEmpty();
            }
        }
        assertThatThrownBy(() -> series.deltas(List.of(), Bucket.HOUR, (index, s, d, n) -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Readings arriving late for hours already rolled up are folded in, and both sources agree again. */
    @Test
    void lateDataIsFoldedIntoTheRollups() throws Exception {
        write(generate(AUTUMN.minusDays(3), 7, 41, null));
        refreshAll();
        BucketStats before = day(AUTUMN, SeriesSource.DAILY);
        List<Reading> late = new ArrayList<>();
        Instant start = AUTUMN.atStartOfDay(PARIS).toInstant();
        for (int i = 0; i < 12; i++) {
            // Between the stored quarter hours of the autumn day, one of them in the repeated hour.
            late.add(Reading.numeric(temperature, micros(start.plusSeconds(7 * 3600 / 3 + 420 + i * 3600L)), 500 + i));
            late.add(Reading.numeric(meter, micros(start.plusSeconds(420 + i * 3600L)), 1e9));
        }
        write(late);
        assertThat(rollups.pending()).isPositive();
        refreshAll();
        BucketStats after = day(AUTUMN, SeriesSource.DAILY);
        assertThat(after.count()).isEqualTo(before.count() + 12);
        assertThat(after.max()).isEqualTo(511);
        assertSameAnswers(AUTUMN.minusDays(3), 7);
    }

    /** A pass folds everything the log holds, then the log is empty and the rows are there. */
    @Test
    void aPassFoldsTheWholeLog() throws Exception {
        write(generate(AUTUMN, 1, 51, null));
        assertThat(rollups.pending()).isPositive();
        RollupStore.Pass pass = rollups.refresh();
        assertThat(pass.ran()).isTrue();
        assertThat(pass.hours()).isEqualTo(2 * 25);
        assertThat(rollups.pending()).isZero();
        assertThat(rollups.backlog().rows()).isZero();
        assertThat(Fixtures.queryLong(db.dataSource(), "SELECT count(*) FROM readings_1h")).isEqualTo(50);
        assertThat(Fixtures.queryLong(db.dataSource(), "SELECT count(*) FROM readings_1d")).isEqualTo(2);
        assertThat(rollups.refresh().hours()).isZero();
    }

    /** A bulk rebuild over a range writes the same rollups as the passes over marked hours, and clears the marks. */
    @Test
    void rebuildOverARangeMatchesThePasses() throws Exception {
        write(generate(AUTUMN.minusDays(2), 4, 71, Instant.parse("2026-10-24T05:00:00Z")));
        Instant from = AUTUMN.minusDays(2).atStartOfDay(PARIS).toInstant();
        Instant to = AUTUMN.plusDays(2).atStartOfDay(PARIS).toInstant();
        List<PointRange> ranges = List.of(new PointRange(temperature, PARIS, from, to), new PointRange(meter, PARIS, from, to));
        // In two pieces, the first ending inside a local day: the second completes that day.
        rollups.rebuild(from, from.plusSeconds(30 * 3600));
        rollups.rebuild(from.plusSeconds(30 * 3600), to);
        assertThat(rollups.pending()).isZero();
        List<List<BucketStats>> rebuilt = series.bucketed(ranges, Bucket.DAY, SeriesSource.DAILY);
        assertClose(series.bucketed(ranges, Bucket.DAY, SeriesSource.RAW), rebuilt);
        assertClose(series.bucketed(ranges, Bucket.HOUR, SeriesSource.RAW), series.bucketed(ranges, Bucket.HOUR, SeriesSource.HOURLY));
    }

    /** When the site's time zone changes, its days are recomputed in the new zone. */
    @Test
    void daysFollowASiteThatChangesTimeZone() throws Exception {
        write(generate(AUTUMN.minusDays(1), 3, 61, null));
        refreshAll();
        Fixtures.execute(db.dataSource(), "UPDATE sites SET timezone = 'America/Cayenne'");
        assertThat(rollups.rebuildStaleDays()).isPositive();
        ZoneId cayenne = ZoneId.of("America/Cayenne");
        Instant from = AUTUMN.minusDays(1).atStartOfDay(cayenne).toInstant();
        Instant to = AUTUMN.plusDays(1).atStartOfDay(cayenne).toInstant();
        List<PointRange> ranges = List.of(new PointRange(temperature, cayenne, from, to), new PointRange(meter, cayenne, from, to));
        assertClose(series.bucketed(ranges, Bucket.DAY, SeriesSource.RAW), series.bucketed(ranges, Bucket.DAY, SeriesSource.DAILY));
    }

    /**
     * Issue 11: a bucketed answer holds every committed reading, whether a pass folded it or not:
     * before any pass, after a pass and more readings, and with a reading stored twice.
     */
    @Test
    void bucketedAnswersHoldReadingsNoPassHasFoldedYet() throws Exception {
        List<Reading> readings = generate(AUTUMN.minusDays(3), 7, 81, Instant.parse("2026-10-24T13:22:00Z"));
        int half = readings.size() / 2;
        write(readings.subList(0, half));
        assertThat(rollups.pending()).isPositive();
        assertSameAnswers(AUTUMN.minusDays(3), 7);
        assertStreamedDeltasMatch(AUTUMN.minusDays(3), 7);
        refreshAll();
        write(readings.subList(half, readings.size()));
        // Half folded, half in the log: the day holding the boundary mixes both.
        assertSameAnswers(AUTUMN.minusDays(3), 7);
        assertStreamedDeltasMatch(AUTUMN.minusDays(3), 7);
        // A resend of readings already folded, and of readings still in the log.
        write(readings.subList(half - 40, half + 40));
        assertSameAnswers(AUTUMN.minusDays(3), 7);
        refreshAll();
        assertSameAnswers(AUTUMN.minusDays(3), 7);
    }

    /**
     * Live data (each batch later than the last) is appended to the stored hours: no hour is read
     * again from the raw readings, whatever it already holds.
     */
    @Test
    void liveReadingsAreAppendedWithoutReadingTheHourAgain() throws Exception {
        List<Reading> readings = generate(AUTUMN.minusDays(1), 3, 91, null);
        readings.sort(java.util.Comparator.comparingLong(Reading::epochMicros));
        int refolded = 0;
        for (int i = 0; i < readings.size(); i += 7) {
            write(readings.subList(i, Math.min(readings.size(), i + 7)));
            if (i % 35 == 0) {
                refolded += rollups.refreshWaiting().refolded();
            }
        }
        refolded += rollups.refreshWaiting().refolded();
        // The generator stores a few readings twice within one batch: counted once without the raw readings.
        assertThat(refolded).isZero();
        assertSameAnswers(AUTUMN.minusDays(1), 3);
    }

    /** A reading stored twice across batches (a resend after a lost PUBACK) counts once: its hour is refolded. */
    @Test
    void aReadingStoredTwiceAcrossBatchesCountsOnce() throws Exception {
        Instant t = AUTUMN.minusDays(1).atStartOfDay(PARIS).toInstant().plusSeconds(3 * 3600);
        List<Reading> batch = List.of(Reading.numeric(temperature, micros(t), 20), Reading.numeric(temperature, micros(t.plusSeconds(60)), 22));
        write(batch);
        rollups.refreshWaiting();
        write(batch);
        BucketStats hour = series.bucketed(List.of(new PointRange(temperature, PARIS, t, t.plusSeconds(3600))), Bucket.HOUR,
                SeriesSource.HOURLY).get(0).get(0);
        assertThat(hour.count()).isEqualTo(2);
        assertThat(hour.value(Aggregate.SUM)).isEqualTo(42);
        RollupStore.Pass pass = rollups.refreshWaiting();
        assertThat(pass.refolded()).isEqualTo(1);
        assertThat(day(AUTUMN.minusDays(1), SeriesSource.DAILY).count()).isEqualTo(2);
    }

    /**
     * A pass holds its transaction open (here, until the test lets it commit): writers of the same
     * hours commit meanwhile, and a query in that time answers exactly. Under V5's marks, a writer
     * re-marking an hour that the pass had claimed waited for the pass to commit.
     */
    @Test
    void writersAndQueriesNeverWaitForAPass() throws Exception {
        List<Reading> readings = generate(AUTUMN.minusDays(1), 3, 101, null);
        readings.sort(java.util.Comparator.comparingLong(Reading::epochMicros));
        int half = readings.size() / 2;
        write(readings.subList(0, half));
        java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CompletableFuture<RollupStore.Pass> pass = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> rollups.refresh(() -> {
                    holding.countDown();
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
        try {
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            long start = System.nanoTime();
            try (BatchWriter writer = new BatchWriter(db.dataSource(), db.partitions(), WriterConfig.DEFAULTS, WriterMetrics.NOOP)) {
                // The same hours the held pass has just folded, and the hours after.
                writer.offer(WriteBatch.of(readings.subList(half - 20, half + 20))).get(5, TimeUnit.SECONDS);
                writer.offer(WriteBatch.of(readings.subList(half + 20, readings.size()))).get(5, TimeUnit.SECONDS);
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5000);
            assertThat(rollups.refresh().ran()).as("a second pass skips its turn").isFalse();
            assertSameAnswers(AUTUMN.minusDays(1), 3);
        } finally {
            release.countDown();
        }
        assertThat(pass.get(30, TimeUnit.SECONDS).ran()).isTrue();
        assertSameAnswers(AUTUMN.minusDays(1), 3);
        refreshAll();
        assertSameAnswers(AUTUMN.minusDays(1), 3);
    }

    /**
     * Writers of shuffled, late and repeated readings and back-to-back passes run at once for a
     * few seconds; every answer, then and at the end, is the raw readings' answer.
     */
    @Test
    void concurrentWritersAndPassesLoseAndDoubleNothing() throws Exception {
        List<Reading> readings = generate(AUTUMN.minusDays(2), 4, 111, Instant.parse("2026-10-24T05:00:00Z"));
        Random random = new Random(7);
        java.util.Collections.shuffle(readings, random);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CompletableFuture<Integer> passes = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            int n = 0;
            while (!done.get()) {
                if (rollups.refresh().ran()) {
                    n++;
                }
            }
            return n;
        });
        try (BatchWriter writer = new BatchWriter(db.dataSource(), db.partitions(), WriterConfig.DEFAULTS, WriterMetrics.NOOP)) {
            List<java.util.concurrent.CompletableFuture<Void>> acks = new ArrayList<>();
            for (int i = 0; i < readings.size(); ) {
                int n = 1 + random.nextInt(60);
                List<Reading> batch = new ArrayList<>(readings.subList(i, Math.min(readings.size(), i + n)));
                if (random.nextInt(5) == 0) {
                    batch.addAll(readings.subList(Math.max(0, i - 30), i)); // a resend
                }
                acks.add(writer.offer(new WriteBatch(batch, List.of(), random.nextInt(4))));
                i += n;
                if (acks.size() % 40 == 0) {
                    java.util.concurrent.CompletableFuture.allOf(acks.toArray(new java.util.concurrent.CompletableFuture[0]))
                            .get(20, TimeUnit.SECONDS);
                    assertSameAnswers(AUTUMN.minusDays(2), 4);
                }
            }
            java.util.concurrent.CompletableFuture.allOf(acks.toArray(new java.util.concurrent.CompletableFuture[0]))
                    .get(20, TimeUnit.SECONDS);
        } finally {
            done.set(true);
        }
        assertThat(passes.get(30, TimeUnit.SECONDS)).isPositive();
        assertSameAnswers(AUTUMN.minusDays(2), 4);
        refreshAll();
        assertSameAnswers(AUTUMN.minusDays(2), 4);
    }

    /** The streamed daily deltas over a period equal the bucketed deltas of the raw readings. */
    private void assertStreamedDeltasMatch(LocalDate first, int days) {
        Instant from = first.atStartOfDay(PARIS).toInstant();
        Instant to = first.plusDays(days).atStartOfDay(PARIS).toInstant();
        List<PointRange> ranges = List.of(new PointRange(meter, PARIS, from, to), new PointRange(temperature, PARIS, from, to));
        List<List<BucketStats>> raw = series.bucketed(ranges, Bucket.DAY, SeriesSource.RAW);
        List<List<Double>> streamed = new ArrayList<>();
        series.deltas(ranges, Bucket.DAY, (index, s, d, n) -> streamed.add(java.util.Arrays.stream(d, 0, n).boxed().toList()));
        for (int i = 0; i < ranges.size(); i++) {
            List<Double> expected = raw.get(i).stream().map(b -> b.value(Aggregate.DELTA)).toList();
            assertThat(streamed.get(i)).hasSameSizeAs(expected);
            for (int b = 0; b < expected.size(); b++) {
                assertThat(streamed.get(i).get(b)).isCloseTo(expected.get(b), within(1e-9 * Math.max(1, Math.abs(expected.get(b)))));
            }
        }
    }

    private BucketStats day(LocalDate date, SeriesSource source) {
        Instant from = date.atStartOfDay(PARIS).toInstant();
        Instant to = date.plusDays(1).atStartOfDay(PARIS).toInstant();
        return series.bucketed(List.of(new PointRange(temperature, PARIS, from, to)), Bucket.DAY, source).get(0).get(0);
    }

    void assertSameAnswers(LocalDate first, int days) {
        Instant from = first.atStartOfDay(PARIS).toInstant();
        Instant to = first.plusDays(days).atStartOfDay(PARIS).toInstant();
        List<PointRange> ranges = List.of(new PointRange(temperature, PARIS, from, to), new PointRange(meter, PARIS, from, to));
        assertClose(series.bucketed(ranges, Bucket.HOUR, SeriesSource.RAW), series.bucketed(ranges, Bucket.HOUR, SeriesSource.HOURLY));
        assertClose(series.bucketed(ranges, Bucket.DAY, SeriesSource.RAW), series.bucketed(ranges, Bucket.DAY, SeriesSource.DAILY));
        assertClose(series.bucketed(ranges, Bucket.DAY, SeriesSource.RAW), series.bucketed(ranges, Bucket.DAY, SeriesSource.AUTO));
        // Whole weeks and months around the data, ranges that start before the first reading.
        Instant weekFrom = Bucket.WEEK.floor(from, PARIS);
        Instant weekTo = Bucket.WEEK.ceil(to, PARIS);
        List<PointRange> weeks = List.of(new PointRange(meter, PARIS, weekFrom, weekTo), new PointRange(temperature, PARIS, weekFrom, weekTo));
        assertClose(series.bucketed(weeks, Bucket.WEEK, SeriesSource.RAW), series.bucketed(weeks, Bucket.WEEK, SeriesSource.DAILY));
        Instant monthFrom = Bucket.MONTH.floor(from, PARIS);
        Instant monthTo = Bucket.MONTH.ceil(to, PARIS);
        List<PointRange> months = List.of(new PointRange(meter, PARIS, monthFrom, monthTo));
        assertClose(series.bucketed(months, Bucket.MONTH, SeriesSource.RAW), series.bucketed(months, Bucket.MONTH, SeriesSource.DAILY));
        // A range starting mid-data: the step into its first reading comes from the reading before it.
        Instant mid = first.plusDays(2).atStartOfDay(PARIS).toInstant();
        List<PointRange> later = List.of(new PointRange(meter, PARIS, mid, to));
        assertClose(series.bucketed(later, Bucket.DAY, SeriesSource.RAW), series.bucketed(later, Bucket.DAY, SeriesSource.DAILY));
        assertClose(series.bucketed(later, Bucket.HOUR, SeriesSource.RAW), series.bucketed(later, Bucket.HOUR, SeriesSource.HOURLY));
    }

    /** Equal buckets; values equal up to the order in which doubles were summed. */
    static void assertClose(List<List<BucketStats>> raw, List<List<BucketStats>> rollup) {
        assertClose(raw, rollup, List.of(Aggregate.values()));
    }

    /** As {@link #assertClose(List, List)}, over the given aggregates only. */
    static void assertClose(List<List<BucketStats>> raw, List<List<BucketStats>> rollup, List<Aggregate> aggregates) {
        assertThat(rollup).hasSameSizeAs(raw);
        for (int i = 0; i < raw.size(); i++) {
            assertThat(raw.get(i)).isNotEmpty();
            assertThat(rollup.get(i)).extracting(BucketStats::start).containsExactlyElementsOf(
                    raw.get(i).stream().map(BucketStats::start).toList());
            for (int b = 0; b < raw.get(i).size(); b++) {
                BucketStats expected = raw.get(i).get(b);
                BucketStats actual = rollup.get(i).get(b);
                for (Aggregate a : aggregates) {
                    double e = expected.value(a);
                    assertThat(actual.value(a)).as(a + " at " + expected.start())
                            .isCloseTo(e, within(1e-9 * Math.max(1, Math.abs(e))));
                }
            }
        }
    }

    /**
     * Quarter-hourly readings of both points over {@code days} local days: a noisy temperature, and a
     * meter index whose increments are recorded in {@link #consumed}, replaced at {@code reset} by a
     * new meter starting at a low index. A few readings are stored twice, as MQTT redeliveries are.
     */
    List<Reading> generate(LocalDate first, int days, long seed, Instant reset) {
        Random random = new Random(seed);
        Instant start = first.atStartOfDay(PARIS).toInstant();
        Instant end = first.plusDays(days).atStartOfDay(PARIS).toInstant();
        List<Reading> readings = new ArrayList<>();
        double index = 10_000 + random.nextInt(1000);
        boolean firstReading = true;
        for (Instant t = start; t.isBefore(end); t = t.plusSeconds(STEP_SECONDS)) {
            readings.add(Reading.numeric(temperature, micros(t), 40 + random.nextGaussian() * 8));
            double increment = random.nextInt(4) == 0 ? 0 : random.nextDouble() * 3;
            if (reset != null && !t.isBefore(reset)) {
                index = 2 + random.nextDouble(); // the new meter's first index: its step is not consumption
                reset = null;
            } else {
                index += increment;
                if (!firstReading) {
                    consumed.merge(ZonedDateTime.ofInstant(t, PARIS).toLocalDate(), increment, Double::sum);
                }
            }
            firstReading = false;
            readings.add(Reading.numeric(meter, micros(t), index));
            if (random.nextInt(50) == 0) {
                readings.add(Reading.numeric(meter, micros(t), index));
            }
        }
        consumed.putIfAbsent(first, 0.0);
        return readings;
    }

    void write(List<Reading> readings) throws Exception {
        try (BatchWriter writer = new BatchWriter(db.dataSource(), db.partitions(), WriterConfig.DEFAULTS, WriterMetrics.NOOP)) {
            for (int i = 0; i < readings.size(); i += 500) {
                writer.offer(WriteBatch.of(readings.subList(i, Math.min(readings.size(), i + 500)))).get(20, TimeUnit.SECONDS);
            }
        }
    }

    void refreshAll() {
        rollups.refreshWaiting();
        assertThat(rollups.pending()).isZero();
    }
}
