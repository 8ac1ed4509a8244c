package fr.gardien.sim.mqtt;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Opening many links at once, as the load and latency commands do before they measure. */
public final class Connections {

  private Connections() {}

  /**
   * Connects every link, {@code parallelism} at a time, and waits for all.
   *
   * @return per link, in order, {@code null} when it connected, else the reason it did not
   */
  public static List<String> connectAll(List<MqttLink> links, int parallelism) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallelism, links.size())));
    try {
      List<Future<String>> results = new ArrayList<>();
      for (MqttLink link : links) {
        results.add(pool.submit(() -> {
          try {
            link.connect();
            return null;
          } catch (PublishException e) {
            return e.reason();
          }
        }));
      }
      List<String> failures = new ArrayList<>();
      for (Future<String> result : results) {
        try {
          failures.add(result.get());
        } catch (ExecutionException e) {
          failures.add(String.valueOf(e.getCause()));
        }
      }
      return failures;
    } finally {
      pool.shutdownNow();
    }
  }
}
