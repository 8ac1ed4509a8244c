package fr.gardien.storage.db;

import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.storage.db.PartitionManager.Partition;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionGapsTest {

    /** Only the parts of an interval that no existing partition covers are created, so partitions of another width never overlap. */
    @Test
    void gapsAreThePartsNoPartitionCovers() {
        List<Partition> existing = List.of(new Partition("a", 0, 10), new Partition("b", 20, 25), new Partition("c", 30, 40));
        assertThat(PartitionManager.gaps(existing, 0, 10)).isEmpty();
        assertThat(PartitionManager.gaps(existing, 5, 35))
                .containsExactly(new Partition(null, 10, 20), new Partition(null, 25, 30));
        assertThat(PartitionManager.gaps(existing, 40, 50)).containsExactly(new Partition(null, 40, 50));
        assertThat(PartitionManager.gaps(List.of(), -10, 0)).containsExactly(new Partition(null, -10, 0));
    }

    /** TimescaleDB versions choose the hypertable API. */
    @Test
    void timescaleVersionsAreCompared() {
        assertThat(ReadingsLayout.atLeast("2.17.2", 2, 13)).isTrue();
        assertThat(ReadingsLayout.atLeast("2.13.0", 2, 13)).isTrue();
        assertThat(ReadingsLayout.atLeast("2.9.3", 2, 13)).isFalse();
        assertThat(ReadingsLayout.atLeast("3.0.0-dev", 2, 13)).isTrue();
    }
}
