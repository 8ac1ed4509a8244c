package fr.gardien.sim.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scrapes the gateway's Prometheus endpoint every second and keeps the largest heap in use
 * seen: the sum of the {@code jvm_memory_used_bytes{area="heap",…}} series (one per pool).
 */
final class HeapScraper implements AutoCloseable {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final HttpRequest request;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "heap-scraper");
    t.setDaemon(true);
    return t;
  });
  private final AtomicLong maxHeapBytes = new AtomicLong(-1);
  private final AtomicLong scrapes = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();

  HeapScraper(String url) {
    this.request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build();
  }

  void start() {
    timer.scheduleAtFixedRate(this::scrape, 0, 1, TimeUnit.SECONDS);
  }

  private void scrape() {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      OptionalDouble heap = r.statusCode() == 200 ? heapUsed(r.body()) : OptionalDouble.empty();
      if (heap.isPresent()) {
        scrapes.incrementAndGet();
        maxHeapBytes.accumulateAndGet((long) heap.getAsDouble(), Math::max);
      } else {
        errors.incrementAndGet();
      }
    } catch (Exception e) {
      errors.incrementAndGet();
    }
  }

  /** The sum of the heap series of {@code jvm_memory_used_bytes} in a Prometheus text exposition. */
  static OptionalDouble heapUsed(String exposition) {
    double sum = 0;
    boolean found = false;
    for (String line : exposition.split("\n")) {
      if (!line.startsWith("jvm_memory_used_bytes{") || !line.contains("area=\"heap\"")) {
        continue;
      }
      int close = line.lastIndexOf('}');
      String[] rest = line.substring(close + 1).trim().split("\\s+");
      try {
        sum += Double.parseDouble(rest[0]);
        found = true;
      } catch (NumberFormatException ignored) {
        // A malformed sample is skipped, not guessed.
      }
    }
    return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
  }

  /** The largest heap seen in bytes, or -1 when no scrape succeeded. */
  long maxHeapBytes() {
    return maxHeapBytes.get();
  }

  long scrapes() {
    return scrapes.get();
  }

  long errors() {
    return errors.get();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
