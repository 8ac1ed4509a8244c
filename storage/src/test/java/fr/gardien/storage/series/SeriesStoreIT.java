package fr.gardien.storage.series;

import static fr.gardien.storage.testing.Fixtures.micros;
import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.model.Reading;
import fr.gardien.storage.testing.Fixtures;
import fr.gardien.storage.testing.FreshDatabase;
import fr.gardien.storage.write.WriteBatch;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class SeriesStoreIT {

    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    private SeriesStore series;

    @BeforeEach
    void open() throws Exception {
        series = new SeriesStore(db.dataSource());
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            readings.add(Reading.numeric(5, micros(t(i)), i));
            readings.add(Reading.numeric(6, micros(t(i)), 100 + i));
        }
        readings.add(Reading.numeric(5, micros(t(3)), 3)); // an MQTT redelivery stored twice
        readings.add(Reading.numeric(5, micros(t(3)), 3));
        readings.add(new Reading(5, micros(t(10)), Double.NaN, "E42"));
        readings.add(Reading.numeric(5, micros(t(4)) + 1, 4.5)); // one microsecond later: a distinct time
        Collections.shuffle(readings, new Random(42));
        db.write(WriteBatch.of(readings.subList(0, 12)), WriteBatch.of(readings.subList(12, readings.size())));
    }

    private Instant t(int minutes) {
        return t0.plus(minutes, ChronoUnit.MINUTES);
    }

    /** Values come back in ascending time, from inclusive and to exclusive, only of the asked point. */
    @Test
    void rawReturnsTheRangeAscendingFromInclusiveToExclusive() {
        List<SeriesValue> values = series.raw(5, t(2), t(6), 100);
        assertThat(values).extracting(SeriesValue::time)
                .containsExactly(t(2), t(3), t(4), t(4).plusNanos(1000), t(5));
        assertThat(values).extracting(SeriesValue::value).containsExactly(2.0, 3.0, 4.0, 4.5, 5.0);
        assertThat(series.raw(6, t(0), t(1), 100)).containsExactly(new SeriesValue(t(0), 100, null));
        assertThat(series.raw(5, t(2), t(2), 100)).isEmpty();
        assertThat(series.raw(7, t(0), t(20), 100)).isEmpty();
    }

    /** A reading stored twice (same point and time) is returned once. */
    @Test
    void duplicatesAreReturnedOnce() {
        assertThat(db.dataSource()).isNotNull();
        assertThat(Fixtures.queryLong(db.dataSource(), "SELECT count(*) FROM readings WHERE point_id = 5")).isEqualTo(14);
        assertThat(series.raw(5, t(0), t(20), 100)).extracting(SeriesValue::time).doesNotHaveDuplicates().hasSize(12);
    }

    /** The limit keeps the oldest values; a string reading comes back with a NaN value and its text. */
    @Test
    void limitAndStringValues() {
        assertThat(series.raw(5, t(0), t(20), 3)).extracting(SeriesValue::time).containsExactly(t(0), t(1), t(2));
        SeriesValue last = series.raw(5, t(10), t(11), 10).get(0);
        assertThat(last.value()).isNaN();
        assertThat(last.text()).isEqualTo("E42");
    }
}
