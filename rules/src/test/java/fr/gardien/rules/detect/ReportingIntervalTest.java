package fr.gardien.rules.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReportingIntervalTest {

    @Test
    void nothingIsAHoleWhileTheIntervalIsUnknown() {
        ReportingInterval r = new ReportingInterval();
        r.add(60);
        r.add(60);
        assertThat(r.median()).isZero();
        assertThat(r.isHole(1_000_000)).isFalse();
    }

    @Test
    void aHoleIsLongerThanThreeMedianIntervalsNotThreeOfTheShortest() {
        ReportingInterval r = new ReportingInterval();
        for (long i : new long[] {10, 60, 60, 60, 60}) {
            r.add(i);
        }
        assertThat(r.median()).isEqualTo(60);
        // Over three of the shortest (30) but within three medians (180): no hole.
        assertThat(r.isHole(100)).isFalse();
        assertThat(r.isHole(180)).isFalse();
        assertThat(r.isHole(181)).isTrue();
    }

    @Test
    void theOldestIntervalsLeaveTheMedian() {
        ReportingInterval r = new ReportingInterval();
        for (int i = 0; i < ReportingInterval.SIZE; i++) {
            r.add(1_000);
        }
        for (int i = 0; i < ReportingInterval.SIZE / 2 + 1; i++) {
            r.add(10);
        }
        assertThat(r.median()).isEqualTo(10);
        assertThat(r.isHole(31)).isTrue();
        assertThat(r.isHole(30)).isFalse();
        assertThat(ReportingInterval.of(r.values()).median()).isEqualTo(10);
    }
}
