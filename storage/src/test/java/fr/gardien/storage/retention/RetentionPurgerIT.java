package fr.gardien.storage.retention;

import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.model.Reading;
import fr.gardien.storage.write.BatchWriter;
import fr.gardien.storage.db.Database;
import fr.gardien.storage.db.RetentionConfig;
import fr.gardien.storage.write.WriteBatch;
import fr.gardien.storage.write.WriterConfig;
import fr.gardien.storage.write.WriterMetrics;
import fr.gardien.storage.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14: raw readings and rollups go at their category's retention, resolved alerts with their
 * transitions, outbox rows and delivery audit at the alerts' retention, and people's names and
 * notes are replaced at theirs; nothing newer, and no alert with a delivery still pending.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RetentionPurgerIT {

    static final RetentionPolicy POLICY = new RetentionPolicy(Map.of(
            "occupancy", new RetentionPolicy.CategoryRetention(Duration.ofDays(90), Duration.ofDays(730)),
            "heat", new RetentionPolicy.CategoryRetention(Duration.ofDays(400), Duration.ofDays(3650))),
            Duration.ofDays(400), Duration.ofDays(90));

    @Test
    void everythingPastItsRetentionGoesAndNothingElse() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.HOURS);
        try (Database database = Database.open(TestPostgres.shared().newDatabase(), RetentionConfig.of(Duration.ofDays(400)));
                BatchWriter writer = new BatchWriter(database.dataSource(), database.partitions(), WriterConfig.DEFAULTS,
                        WriterMetrics.NOOP)) {
            DataSource ds = database.dataSource();
            int people = point(ds, "tilleuls/hall/count", "occupancy");
            int supply = point(ds, "tilleuls/boiler-1/supply_temp", "heat");
            List<Reading> readings = new ArrayList<>();
            for (int days : new int[] {100, 10}) {
                readings.add(Reading.numeric(people, micros(now.minus(Duration.ofDays(days))), 3));
                readings.add(Reading.numeric(supply, micros(now.minus(Duration.ofDays(days))), 60));
            }
            writer.offer(new WriteBatch(readings, List.of())).get(10, TimeUnit.SECONDS);
            for (String table : new String[] {"readings_1h", "readings_1d"}) {
                for (int days : new int[] {800, 100}) {
                    rollup(ds, table, people, now.minus(Duration.ofDays(days)));
                    rollup(ds, table, supply, now.minus(Duration.ofDays(days)));
                }
            }
            long gone = alert(ds, "gone", now.minus(Duration.ofDays(500)), "alice", "delivered");
            long pending = alert(ds, "pending", now.minus(Duration.ofDays(500)), "alice", "pending");
            long named = alert(ds, "named", now.minus(Duration.ofDays(100)), "bob", "delivered");
            long recent = alert(ds, "recent", now.minus(Duration.ofDays(10)), "carol", "delivered");
            exec(ds, "INSERT INTO silences (site, starts_at, ends_at, created_by, reason) VALUES"
                    + " ('tilleuls', now() - interval '101 days', now() - interval '100 days', 'dave', 'works by Dave'),"
                    + " ('tilleuls', now() - interval '1 day', now() + interval '1 day', 'erin', 'works by Erin')");

            Map<String, Integer> counts = new RetentionPurger(ds).purge(POLICY, now);

            assertThat(count(ds, "SELECT count(*) FROM readings WHERE point_id = " + people)).isEqualTo(1);
            assertThat(count(ds, "SELECT count(*) FROM readings WHERE point_id = " + supply)).isEqualTo(2);
            for (String table : new String[] {"readings_1h", "readings_1d"}) {
                assertThat(count(ds, "SELECT count(*) FROM " + table + " WHERE point_id = " + people)).as(table).isEqualTo(1);
                assertThat(count(ds, "SELECT count(*) FROM " + table + " WHERE point_id = " + supply)).as(table).isEqualTo(2);
            }
            assertThat(count(ds, "SELECT count(*) FROM alerts WHERE id = " + gone)).isZero();
            for (String table : new String[] {"alert_transitions", "outbox", "deliveries"}) {
                assertThat(count(ds, "SELECT count(*) FROM " + table + " WHERE alert_id = " + gone)).as(table).isZero();
                assertThat(count(ds, "SELECT count(*) FROM " + table + " WHERE alert_id = " + named)).as(table).isPositive();
            }
            assertThat(text(ds, "SELECT resolved_by FROM alerts WHERE id = " + pending)).isEqualTo(RetentionPurger.PSEUDONYM);
            assertThat(text(ds, "SELECT acknowledged_by || '/' || resolved_by || '/' || coalesce(resolution_note, '-')"
                    + " FROM alerts WHERE id = " + named)).isEqualTo("pseudonymised/pseudonymised/-");
            assertThat(text(ds, "SELECT string_agg(by || ':' || detail::text, ',' ORDER BY id) FROM alert_transitions"
                    + " WHERE alert_id = " + named)).isEqualTo("gardien:{},pseudonymised:{},pseudonymised:{\"resolution\": \"manual\"}");
            assertThat(text(ds, "SELECT acknowledged_by || '/' || resolution_note FROM alerts WHERE id = " + recent))
                    .isEqualTo("carol/note by carol");
            assertThat(text(ds, "SELECT string_agg(created_by || ':' || reason, ',' ORDER BY id) FROM silences"))
                    .isEqualTo("pseudonymised:,erin:works by Erin");
            assertThat(counts).containsEntry("alerts", 1).containsEntry("readings", 1).containsEntry("readings_1h", 1);

            // A second pass finds nothing left to do.
            assertThat(new RetentionPurger(ds).purge(POLICY, now).values()).allMatch(n -> n == 0);
        }
    }

    private static int point(DataSource ds, String key, String category) throws SQLException {
        String[] parts = key.split("/");
        return (int) count(ds, "INSERT INTO points (key, site_id, equipment_id, name, equipment_type, unit, category, position)"
                + " VALUES ('" + key + "', '" + parts[0] + "', '" + parts[1] + "', '" + parts[2] + "', 'x', 'count', '"
                + category + "', 0) RETURNING id");
    }

    private static void rollup(DataSource ds, String table, int pointId, Instant bucket) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement("INSERT INTO " + table
                + " (point_id, bucket, " + (table.equals("readings_1d") ? "timezone, " : "")
                + "count, sum, min, max, first_v, last_v, last_ts, increase) VALUES (?, ?, "
                + (table.equals("readings_1d") ? "'Europe/Paris', " : "") + "1, 7, 7, 7, 7, 7, ?, 0)")) {
            s.setInt(1, pointId);
            s.setObject(2, ts(bucket));
            s.setObject(3, ts(bucket));
            s.executeUpdate();
        }
    }

    /** A resolved alert acknowledged and resolved by {@code who} with a note, with a delivered (or pending) ticket. */
    private static long alert(DataSource ds, String rule, Instant resolvedAt, String who, String outbox) throws SQLException {
        long id = count(ds, "INSERT INTO alerts (rule_id, site, equipment, severity, category, urgency, state, summary_fr,"
                + " summary_en, explanation, first_seen, last_seen, acknowledged_by, acknowledged_at, resolved_by, resolved_at,"
                + " resolution, resolution_note) VALUES ('" + rule + "', 'tilleuls', 'boiler-1', 'major', 'heating', 'immediate',"
                + " 'resolved', 'fr', 'en', '{}', '" + ts(resolvedAt.minusSeconds(7200)) + "', '" + ts(resolvedAt) + "', '" + who
                + "', '" + ts(resolvedAt.minusSeconds(3600)) + "', '" + who + "', '" + ts(resolvedAt) + "', 'manual', 'note by "
                + who + "') RETURNING id");
        long opened = count(ds, "INSERT INTO alert_transitions (alert_id, kind, at, by) VALUES (" + id + ", 'opened', '"
                + ts(resolvedAt.minusSeconds(7200)) + "', 'gardien') RETURNING id");
        count(ds, "INSERT INTO alert_transitions (alert_id, kind, at, by) VALUES (" + id + ", 'acknowledged', '"
                + ts(resolvedAt.minusSeconds(3600)) + "', '" + who + "') RETURNING id");
        count(ds, "INSERT INTO alert_transitions (alert_id, kind, at, by, detail) VALUES (" + id + ", 'resolved', '"
                + ts(resolvedAt) + "', '" + who + "', '{\"resolution\": \"manual\", \"note\": \"note by " + who + "\"}') RETURNING id");
        long row = count(ds, "INSERT INTO outbox (alert_id, transition_id, idempotency_key, connector, status) VALUES ("
                + id + ", " + opened + ", '" + id + ":" + opened + "', 'glpi', '" + outbox + "') RETURNING id");
        exec(ds, "INSERT INTO deliveries (outbox_id, alert_id, connector, attempt, at, outcome, idempotency_key) VALUES ("
                + row + ", " + id + ", 'glpi', 1, now(), 'delivered', '" + id + ":" + opened + "')");
        return id;
    }

    private static long count(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String text(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void exec(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.executeUpdate();
        }
    }

    private static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    private static OffsetDateTime ts(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
