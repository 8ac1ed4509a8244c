package fr.gardien.sim.load;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the benchmark reads of the gateway's database beside the load: how often a writer
 * transaction waits for a lock ({@code pg_stat_activity}, the writers' connections being named
 * {@code gardien-writer}), sampled every {@value #SAMPLE_MILLIS} ms during the load; and, once the
 * load has stopped, how long until the rollup log is empty (the rollups current).
 */
final class DatabaseWatch implements AutoCloseable {
  static final long SAMPLE_MILLIS = 100;
  private static final String WAITING_WRITERS = "SELECT count(*) FILTER (WHERE wait_event_type = 'Lock'), count(*),"
      + " string_agg(wait_event, ',') FILTER (WHERE wait_event_type = 'Lock')"
      + " FROM pg_stat_activity WHERE application_name = 'gardien-writer' AND state = 'active'";

  private final String url;
  private final String user;
  private final String password;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "load-db-watch");
    t.setDaemon(true);
    return t;
  });
  private final AtomicLong samples = new AtomicLong();
  private final AtomicLong waitingSamples = new AtomicLong();
  private final AtomicLong busySamples = new AtomicLong();
  private final java.util.Map<String, AtomicLong> waitedOn = new java.util.concurrent.ConcurrentSkipListMap<>();
  private Connection connection;

  DatabaseWatch(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /** Starts sampling; a database that cannot be reached leaves the figures absent. */
  void start() {
    try {
      connection = DriverManager.getConnection(url, user, password);
    } catch (SQLException e) {
      return;
    }
    timer.scheduleAtFixedRate(this::sample, 0, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void sample() {
    try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(WAITING_WRITERS)) {
      r.next();
      samples.incrementAndGet();
      if (r.getLong(1) > 0) {
        waitingSamples.incrementAndGet();
        for (String event : r.getString(3).split(",")) {
          waitedOn.computeIfAbsent(event, e -> new AtomicLong()).incrementAndGet();
        }
      }
      if (r.getLong(2) > 0) {
        busySamples.incrementAndGet();
      }
    } catch (SQLException e) {
      // a lost sample; the count says how many were taken
    }
  }

  /** Samples taken, samples with a writer busy, samples with a writer waiting for a lock. */
  long[] writerSamples() {
    return new long[] {samples.get(), busySamples.get(), waitingSamples.get()};
  }

  /** The lock waits seen, by PostgreSQL wait event (e.g. transactionid, extend), in samples. */
  java.util.Map<String, Long> waitedOn() {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    waitedOn.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** Stops sampling. */
  void stopSampling() {
    timer.shutdownNow();
  }

  /**
   * Seconds from now until the rollup log is empty, checked every 100 ms, at most
   * {@code maxSeconds}; null when the database cannot be read (or holds no rollup log).
   */
  Double secondsUntilRollupsCurrent(double maxSeconds) {
    if (connection == null) {
      return null;
    }
    long start = System.nanoTime();
    try (Statement s = connection.createStatement()) {
      while (true) {
        try (ResultSet r = s.executeQuery("SELECT count(*) FROM rollup_log")) {
          r.next();
          double elapsed = (System.nanoTime() - start) / 1e9;
          if (r.getLong(1) == 0 || elapsed >= maxSeconds) {
            return r.getLong(1) == 0 ? elapsed : Double.POSITIVE_INFINITY;
          }
        }
        Thread.sleep(100);
      }
    } catch (SQLException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        // closing anyway
      }
    }
  }
}
