package fr.gardien.storage.series;

import static fr.gardien.storage.testing.Fixtures.micros;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.gardien.model.Reading;
import fr.gardien.storage.testing.FreshDatabase;
import fr.gardien.storage.write.WriteBatch;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class ReadingsScanIT {

    /** Three days back, so the readings cross day partitions and the scan's windows. */
    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(3, ChronoUnit.DAYS);
    private final List<Reading> stored = new ArrayList<>();
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    @BeforeEach
    void open() throws Exception {
        Random random = new Random(3);
        // Three points, a reading every 17 minutes over 60 hours, each point at its own offset,
        // and points 1 and 2 sometimes at the very same instant.
        for (int i = 0; i < 60 * 60 / 17; i++) {
            long t = micros(t0) + i * 17 * 60_000_000L;
            stored.add(Reading.numeric(1, t, random.nextGaussian()));
            stored.add(Reading.numeric(2, i % 3 == 0 ? t : t + 1, random.nextGaussian()));
            stored.add(Reading.numeric(3, t + 5 * 60_000_000L, random.nextGaussian()));
        }
        List<Reading> rows = new ArrayList<>(stored);
        rows.add(stored.get(10)); // redeliveries stored twice
        rows.add(stored.get(11));
        rows.add(new Reading(3, micros(t0) + 343 * 60_000_000L, Double.NaN, "E42"));
        stored.add(rows.get(rows.size() - 1));
        Collections.shuffle(rows, new Random(42));
        db.write(WriteBatch.of(rows.subList(0, rows.size() / 2)), WriteBatch.of(rows.subList(rows.size() / 2, rows.size())));
    }

    private List<Reading> expected(Instant from, Instant to, Set<Integer> points) {
        return stored.stream()
                .filter(r -> r.epochMicros() >= micros(from) && r.epochMicros() < micros(to))
                .filter(r -> points == null || points.contains(r.pointId()))
                .sorted(Comparator.comparingLong(Reading::epochMicros).thenComparingInt(Reading::pointId))
                .toList();
    }

    /**
     * Every reading of [from, to) comes once, in (time, point) order, across windows and cursor
     * batches much smaller than the result; from is inclusive and to exclusive.
     */
    @Test
    void scanDeliversTheRangeInTimeOrderEachReadingOnce() {
        ReadingsScan scan = new ReadingsScan(db.dataSource(), Duration.ofHours(5), 7);
        Instant from = t0.plus(17 * 10, ChronoUnit.MINUTES); // exactly the time of readings of 1 and 2
        Instant to = t0.plus(17 * 150, ChronoUnit.MINUTES); // likewise, and excluded
        List<Reading> seen = new ArrayList<>();

        long count = scan.scan(from, to, null, seen::add);

        List<Reading> expected = expected(from, to, null);
        assertThat(seen).hasSize(expected.size())
                .containsExactlyElementsOf(expected);
        assertThat(count).isEqualTo(seen.size());
        assertThat(seen.get(0).epochMicros()).isEqualTo(micros(from));
        assertThat(seen).noneMatch(r -> r.epochMicros() == micros(to));
        assertThat(seen).anyMatch(r -> "E42".equals(r.text()) && Double.isNaN(r.value()));
    }

    /** Only the asked points come back, in the same order; an empty set or an empty period reads nothing. */
    @Test
    void scanFiltersByPoint() {
        ReadingsScan scan = new ReadingsScan(db.dataSource());
        Instant to = t0.plus(3, ChronoUnit.DAYS);
        List<Reading> seen = new ArrayList<>();

        scan.scan(t0, to, Set.of(2, 3), seen::add);

        assertThat(seen)
                .containsExactlyElementsOf(expected(t0, to, Set.of(2, 3)));
        assertThat(scan.scan(t0, to, Set.of(), r -> { throw new AssertionError(r); })).isZero();
        assertThat(scan.scan(to, t0, null, r -> { throw new AssertionError(r); })).isZero();
    }

    /** An exception of the consumer stops the scan and reaches the caller. */
    @Test
    void consumerExceptionStopsTheScan() {
        ReadingsScan scan = new ReadingsScan(db.dataSource(), Duration.ofHours(1), 2);
        List<Reading> seen = new ArrayList<>();
        assertThatThrownBy(() -> scan.scan(t0, t0.plus(3, ChronoUnit.DAYS), null, r -> {
            seen.add(r);
            if (seen.size() == 5) {
                throw new IllegalStateException("enough");
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("enough");
        assertThat(seen).hasSize(5);
    }
}
