import fr.gardien.storage.db.Database;
import fr.gardien.storage.db.DatabaseConfig;
import fr.gardien.storage.db.RetentionConfig;
import fr.gardien.storage.series.RollupStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Fills the series benchmark's database (bench/series.sh): quarter-hourly meter indexes of every
 * bench point from FROM to TO, written week by week with generate_series into the gateway's own
 * partitions, then the hourly and daily rollups built week by week by the gateway's RollupStore.
 * Run as a single-file program on the gateway jar's class path:
 *   java -cp gardien-gateway.jar bench/SeriesBenchData.java JDBC_URL FROM TO
 */
public class SeriesBenchData {

    // A meter index per point: a daily cycle on a rising trend, never decreasing (its rate is
    // k(1 + 0.4 cos), k from 0.2 to 0.65 kWh per quarter hour depending on the point).
    static final String FILL = """
            INSERT INTO readings (point_id, ts, value)
            SELECT p.id, g.ts, k * (n + 0.4 * 96 / (2 * pi()) * sin(2 * pi() * n / 96))
            FROM (SELECT id, 0.2 + (id % 10) * 0.05 AS k FROM points WHERE key LIKE 'bench-%') p
            CROSS JOIN LATERAL (SELECT ts, extract(epoch FROM ts) / 900 AS n
                                FROM generate_series(?::timestamptz, ?::timestamptz - interval '15 minutes', interval '15 minutes') ts) g
            ORDER BY g.ts, p.id""";
    public static void main(String[] args) throws Exception {
        DatabaseConfig config = new DatabaseConfig(args[0], "postgres", "postgres", 4);
        Instant from = Instant.parse(args[1]);
        Instant to = Instant.parse(args[2]);
        // The bench gateway's settings (bench/series.sh): ten years' retention, weekly partitions.
        try (Database db = Database.open(config, new RetentionConfig(Duration.ofDays(3650), Duration.ofDays(7), 3))) {
            long start = System.nanoTime();
            db.partitions().ensureCovered(micros(from), micros(to) - 1);
            try (Connection c = db.dataSource().getConnection()) {
                for (Instant week = from; week.isBefore(to); week = week.plus(7, ChronoUnit.DAYS)) {
                    Instant end = week.plus(7, ChronoUnit.DAYS).isBefore(to) ? week.plus(7, ChronoUnit.DAYS) : to;
                    try (PreparedStatement s = c.prepareStatement(FILL)) {
                        s.setObject(1, OffsetDateTime.ofInstant(week, ZoneOffset.UTC));
                        s.setObject(2, OffsetDateTime.ofInstant(end, ZoneOffset.UTC));
                        int rows = s.executeUpdate();
                        System.out.printf("  readings %s .. %s: %,d%n", week, end, rows);
                    }
                }
                try (Statement s = c.createStatement()) {
                    s.execute("VACUUM ANALYZE readings");
                }
            }
            System.out.printf("readings written in %.0f s%n", (System.nanoTime() - start) / 1e9);
            start = System.nanoTime();
            RollupStore rollups = new RollupStore(db.dataSource());
            long hours = 0;
            for (Instant week = from; week.isBefore(to); week = week.plus(7, ChronoUnit.DAYS)) {
                Instant end = week.plus(7, ChronoUnit.DAYS).isBefore(to) ? week.plus(7, ChronoUnit.DAYS) : to;
                hours += rollups.rebuild(week, end);
                System.out.printf("  rollups: %,d point-hours%n", hours);
            }
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE readings_1h");
                s.execute("VACUUM ANALYZE readings_1d");
            }
            System.out.printf("rollups built in %.0f s (%,d point-hours)%n", (System.nanoTime() - start) / 1e9, hours);
        }
    }

    static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }
}
