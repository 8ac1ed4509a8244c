package fr.gardien.sim.load;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The baseline of the benchmark: a plain COPY of the same number of rows into a scratch table
 * shaped like the gateway's readings table, in transactions of {@value #BATCH_ROWS} rows.
 * The table is dropped afterwards, also on failure.
 */
final class CopyBenchmark {
  static final int BATCH_ROWS = 5000;

  /** Rows copied and the time it took. */
  record Result(long rows, double seconds) {
    double rowsPerSecond() {
      return seconds > 0 ? rows / seconds : 0;
    }
  }

  private CopyBenchmark() {}

  /** COPYs {@code rows} rows over {@code pointIds} point ids; fails with the database's error. */
  static Result run(String url, String user, String password, long rows, int pointIds)
      throws SQLException, IOException {
    String table = "gardien_sim_copy_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    try (Connection c = DriverManager.getConnection(url, user, password)) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE " + table + " (point_id int not null, ts timestamptz not null,"
            + " value double precision, text text)");
        s.execute("CREATE INDEX " + table + "_point_ts ON " + table + " (point_id, ts)");
      }
      try {
        c.setAutoCommit(false);
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        String sql = "COPY " + table + " (point_id, ts, value, text) FROM STDIN";
        long baseMillis = System.currentTimeMillis() - rows;
        long start = System.nanoTime();
        StringBuilder sb = new StringBuilder(BATCH_ROWS * 48);
        for (long done = 0; done < rows; ) {
          int n = (int) Math.min(BATCH_ROWS, rows - done);
          sb.setLength(0);
          for (int i = 0; i < n; i++) {
            long row = done + i;
            sb.append(1 + row % pointIds).append('\t')
                .append(Instant.ofEpochMilli(baseMillis + row)).append('\t')
                .append(20 + (row % 100) / 10.0).append("\t\\N\n");
          }
          copy.copyIn(sql, new ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.UTF_8)));
          c.commit();
          done += n;
        }
        return new Result(rows, (System.nanoTime() - start) / 1e9);
      } finally {
        c.rollback();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
          s.execute("DROP TABLE IF EXISTS " + table);
        }
      }
    }
  }
}
