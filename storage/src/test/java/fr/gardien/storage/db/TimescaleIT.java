package fr.gardien.storage.db;

import static fr.gardien.storage.testing.Fixtures.micros;
import static fr.gardien.storage.testing.Fixtures.queryLong;
import static fr.gardien.storage.testing.Fixtures.readings;
import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.model.Reading;
import fr.gardien.storage.series.SeriesStore;
import fr.gardien.storage.testing.TestPostgres;
import fr.gardien.storage.write.BatchWriter;
import fr.gardien.storage.write.QuarantineRecord;
import fr.gardien.storage.write.QuarantineStore;
import fr.gardien.storage.write.WriteBatch;
import fr.gardien.storage.write.WriterConfig;
import fr.gardien.storage.write.WriterMetrics;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/** The hypertable path, against a real TimescaleDB; skipped where no Docker engine runs. */
@Testcontainers(disabledWithoutDocker = true)
@Timeout(180)
class TimescaleIT {

    @Container
    private static final PostgreSQLContainer<?> TIMESCALE = new PostgreSQLContainer<>(
            DockerImageName.parse(TestPostgres.TIMESCALE_IMAGE).asCompatibleSubstituteFor("postgres"));
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private static DatabaseConfig newDatabase() throws Exception {
        String name = "ts_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(TIMESCALE.getJdbcUrl(), TIMESCALE.getUsername(),
                TIMESCALE.getPassword()); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        String url = TIMESCALE.getJdbcUrl().replace("/" + TIMESCALE.getDatabaseName(), "/" + name);
        return new DatabaseConfig(url, TIMESCALE.getUsername(), TIMESCALE.getPassword(), 4);
    }

    private static String text(Database db, String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : null;
        }
    }

    /** readings becomes a hypertable with the configured chunk width, compression on point_id/ts, and compression and retention jobs. */
    @Test
    void readingsIsAHypertableWithCompressionAndRetentionPolicies() throws Exception {
        try (Database db = Database.open(newDatabase(), new RetentionConfig(Duration.ofDays(90), Duration.ofHours(12), 3))) {
            assertThat(db.timescale()).isTrue();
            assertThat(db.description()).contains("TimescaleDB").doesNotContain(TIMESCALE.getPassword());
            assertThat(text(db, "SELECT time_interval::text FROM timescaledb_information.dimensions"
                    + " WHERE hypertable_name = 'readings'")).isEqualTo("12:00:00");
            assertThat(text(db, "SELECT compression_enabled::text FROM timescaledb_information.hypertables"
                    + " WHERE hypertable_name = 'readings'")).isEqualTo("true");
            assertThat(text(db, "SELECT string_agg(attname || ':' || coalesce(segmentby_column_index, 0)"
                    + " || ':' || coalesce(orderby_column_index, 0), ',' ORDER BY attname)"
                    + " FROM timescaledb_information.compression_settings WHERE hypertable_name = 'readings'"))
                    .isEqualTo("point_id:1:0,ts:0:1");
            assertThat(text(db, "SELECT config->>'drop_after' FROM timescaledb_information.jobs"
                    + " WHERE proc_name = 'policy_retention' AND hypertable_name = 'readings'")).isEqualTo("90 days");
            assertThat(text(db, "SELECT config->>'compress_after' FROM timescaledb_information.jobs"
                    + " WHERE proc_name = 'policy_compression' AND hypertable_name = 'readings'")).isEqualTo("7 days");
            assertThat(db.partitions().maintain(Instant.now())).isEqualTo(new PartitionMaintenance(0, 0));
        }
    }

    /** Opening again with another retention replaces the retention job instead of keeping the old one. */
    @Test
    void reopeningAppliesAChangedRetention() throws Exception {
        DatabaseConfig config = newDatabase();
        Database.open(config, RetentionConfig.of(Duration.ofDays(90))).close();
        try (Database db = Database.open(config, RetentionConfig.of(Duration.ofDays(30)))) {
            assertThat(queryLong(db.dataSource(), "SELECT count(*) FROM timescaledb_information.jobs"
                    + " WHERE proc_name = 'policy_retention' AND hypertable_name = 'readings'")).isEqualTo(1);
            assertThat(text(db, "SELECT config->>'drop_after' FROM timescaledb_information.jobs"
                    + " WHERE proc_name = 'policy_retention' AND hypertable_name = 'readings'")).isEqualTo("30 days");
        }
    }

    /**
     * A process of a cluster that does not lead opens the database without touching the policies,
     * whatever its own retention; the leader's {@code applyPolicies} writes its own (issue 13).
     */
    @Test
    void onlyTheLeaderRewritesThePolicies() throws Exception {
        DatabaseConfig config = newDatabase();
        Database.open(config, RetentionConfig.of(Duration.ofDays(90))).close();
        String dropAfter = "SELECT config->>'drop_after' FROM timescaledb_information.jobs"
                + " WHERE proc_name = 'policy_retention' AND hypertable_name = 'readings'";
        try (Database db = Database.open(config, RetentionConfig.of(Duration.ofDays(30)), 0, false)) {
            assertThat(text(db, dropAfter)).isEqualTo("90 days");
            db.applyPolicies(RetentionConfig.of(Duration.ofDays(30)));
            assertThat(text(db, dropAfter)).isEqualTo("30 days");
        }
    }

    /** The writer's binary COPY and the series query work on the hypertable, backfill and duplicates included. */
    @Test
    void writerAndSeriesWorkOnTheHypertable() throws Exception {
        try (Database db = Database.open(newDatabase(), RetentionConfig.of(Duration.ofDays(365)));
             BatchWriter writer = new BatchWriter(db.dataSource(), db.partitions(), WriterConfig.DEFAULTS,
                     WriterMetrics.NOOP)) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            Instant old = now.minus(Duration.ofDays(100));
            List<Reading> batch = new ArrayList<>(readings(1, now, 100));
            batch.addAll(readings(1, old, 10));
            batch.add(Reading.numeric(1, micros(now), 0));
            batch.add(new Reading(1, micros(now.plusSeconds(500)), Double.NaN, "E42"));
            writer.offer(new WriteBatch(batch, List.of(new QuarantineRecord(now, "http", "d", "wrong_unit", null, null))))
                    .get(30, TimeUnit.SECONDS);
            assertThat(queryLong(db.dataSource(), "SELECT count(*) FROM readings")).isEqualTo(112);
            SeriesStore series = new SeriesStore(db.dataSource());
            assertThat(series.raw(1, now, now.plusSeconds(1000), 1000)).hasSize(101);
            assertThat(series.raw(1, old, old.plusSeconds(5), 1000)).hasSize(5);
            assertThat(new QuarantineStore(db.dataSource()).list(null, null, 10)).hasSize(1);
        }
    }
}
