package fr.gardien.sim.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeapScraperTest {

  /** The heap in use is the sum of the heap series of jvm_memory_used_bytes, non-heap excluded. */
  @Test
  void heapUsedSumsTheHeapSeriesOnly() {
    String exposition = """
        # HELP jvm_memory_used_bytes The amount of used memory
        # TYPE jvm_memory_used_bytes gauge
        jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 2.5165824E7
        jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 5.0E7
        jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 1.048576E7 1763712000000
        jvm_memory_max_bytes{area="heap",id="G1 Old Gen"} 4.0E9
        """;

    assertThat(HeapScraper.heapUsed(exposition)).hasValue(2.5165824E7 + 1.048576E7);
    assertThat(HeapScraper.heapUsed("process_cpu_usage 0.5\n")).isEmpty();
  }
}
