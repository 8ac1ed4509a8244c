package fr.gardien.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.gateway.ingest.senml.SenmlDecoder;
import fr.gardien.gateway.ingest.senml.SenmlLimits;
import fr.gardien.gateway.registry.Registry;
import fr.gardien.model.Device;
import fr.gardien.model.Equipment;
import fr.gardien.model.PointKey;
import fr.gardien.model.PointSpec;
import fr.gardien.model.RegisteredPoint;
import fr.gardien.model.Site;
import fr.gardien.storage.write.QuarantineRecord;
import fr.gardien.storage.access.StoredRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checks of a pack against the registry and limits, without network or database. */
class IngestPipelineTest {

    private static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");
    private static final Device DEVICE = new Device("gw-a", "site-a", "unused-hash");

    private final Registry registry = Registry.of(new StoredRegistry(
            List.of(site("site-a"), site("site-b")),
            List.of(new RegisteredPoint(1, new PointKey("site-a", "boiler", "supply_temp"), "boiler", "Cel", "heat"),
                    new RegisteredPoint(2, new PointKey("site-b", "boiler", "supply_temp"), "boiler", "Cel", "heat")),
            List.of(DEVICE), List.of()));
    private final IngestPipeline pipeline = new IngestPipeline(new SenmlDecoder(new SenmlLimits(10)), () -> registry,
            new IngestLimits(1024, Duration.ofMinutes(10), Duration.ofDays(30)), IngestMetrics.NOOP,
            Clock.fixed(NOW, ZoneOffset.UTC));

    /** Valid records become readings with the point's id, the value and the microsecond time. */
    @Test
    void validRecordsBecomeReadings() {
        PreparedPack pack = prepare("[{\"n\":\"site-a/boiler/supply_temp\",\"u\":\"Cel\",\"v\":70.5,\"t\":" + NOW.getEpochSecond() + "},"
                + "{\"n\":\"site-a/boiler/supply_temp\",\"vb\":true,\"t\":" + (NOW.getEpochSecond() - 60) + "}]");
        assertThat(pack.verdict()).isEqualTo(Verdict.ACCEPTED);
        assertThat(pack.batch().readings()).hasSize(2);
        assertThat(pack.batch().readings().get(0).pointId()).isEqualTo(1);
        assertThat(pack.batch().readings().get(0).value()).isEqualTo(70.5);
        assertThat(pack.batch().readings().get(0).epochMicros()).isEqualTo(NOW.getEpochSecond() * 1_000_000L);
        assertThat(pack.batch().readings().get(1).value()).isEqualTo(1.0);
    }

    /** Each kind of invalid record is quarantined with its reason while the valid ones are kept. */
    @Test
    void invalidRecordsAreQuarantinedWithTheirReason() {
        long t = NOW.getEpochSecond();
        PreparedPack pack = prepare("[{\"n\":\"site-a/boiler/supply_temp\",\"v\":1,\"t\":" + t + "},"
                + "{\"n\":\"site-a/boiler/nope\",\"v\":1,\"t\":" + t + "},"
                + "{\"n\":\"site-b/boiler/supply_temp\",\"v\":1,\"t\":" + t + "},"
                + "{\"n\":\"site-a/boiler/supply_temp\",\"u\":\"K\",\"v\":1,\"t\":" + t + "},"
                + "{\"n\":\"site-a/boiler/supply_temp\",\"v\":1,\"t\":" + (t + 601) + "},"
                + "{\"n\":\"site-a/boiler/supply_temp\",\"v\":1,\"t\":" + (t - 31 * 86_400) + "},"
                + "{\"n\":\"site-a/boiler/supply_temp\",\"t\":" + t + "}]");
        assertThat(pack.verdict()).isEqualTo(Verdict.PARTIAL);
        assertThat(pack.accepted()).isEqualTo(1);
        assertThat(pack.batch().quarantined()).extracting(QuarantineRecord::reason).containsExactlyInAnyOrder(
                "unknown-point", "not-device-site", "wrong-unit", "future-timestamp", "too-old", "no-value");
        assertThat(pack.batch().quarantined()).allSatisfy(q -> {
            assertThat(q.deviceId()).isEqualTo("gw-a");
            assertThat(q.protocol()).isEqualTo("test");
        });
    }

    /** A reading exactly at the future limit is accepted; one microsecond later it is not. */
    @Test
    void futureLimitIsInclusive() {
        long limit = NOW.plus(Duration.ofMinutes(10)).getEpochSecond();
        assertThat(prepare("[{\"bt\":" + limit + ",\"n\":\"site-a/boiler/supply_temp\",\"v\":1,\"t\":0}]").verdict())
                .isEqualTo(Verdict.ACCEPTED);
        assertThat(prepare("[{\"bt\":" + limit + ",\"n\":\"site-a/boiler/supply_temp\",\"v\":1,\"t\":0.000001}]").verdict())
                .isEqualTo(Verdict.INVALID);
    }

    /** Only foreign points: forbidden. Unreadable: invalid, quarantined once. Over the limits: too large. */
    @Test
    void wholePackVerdicts() {
        assertThat(prepare("[{\"n\":\"site-b/boiler/supply_temp\",\"v\":1}]").verdict()).isEqualTo(Verdict.FORBIDDEN);
        PreparedPack unreadable = prepare("not json");
        assertThat(unreadable.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(unreadable.batch().quarantined()).singleElement()
                .satisfies(q -> assertThat(q.reason()).isEqualTo("malformed-payload"));
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 11; i++) {
            many.append(i == 0 ? "" : ",").append("{\"n\":\"site-a/boiler/supply_temp\",\"v\":1}");
        }
        assertThat(prepare(many.append(']').toString()).verdict()).isEqualTo(Verdict.TOO_LARGE);
        byte[] big = new byte[2048];
        assertThat(pipeline.prepare("test", DEVICE, big, 0, big.length, IngestPipeline.Format.JSON).verdict())
                .isEqualTo(Verdict.TOO_LARGE);
    }

    private PreparedPack prepare(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return pipeline.prepare("test", DEVICE, bytes, 0, bytes.length, IngestPipeline.Format.JSON);
    }

    private static Site site(String id) {
        return new Site(id, id, ZoneId.of("Europe/Paris"),
                List.of(new Equipment("boiler", "boiler", List.of(new PointSpec("supply_temp", "Cel", "heat")))));
    }
}
