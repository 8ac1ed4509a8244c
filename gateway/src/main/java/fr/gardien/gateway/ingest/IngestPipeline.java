package fr.gardien.gateway.ingest;

import fr.gardien.gateway.ingest.senml.SenmlDecoder;
import fr.gardien.gateway.registry.RegistryView;
import fr.gardien.model.Device;
import fr.gardien.storage.write.QuarantineRecord;
import java.time.Clock;

/**
 * The protocol-independent checks of a pack, for the front-ends: {@link PackValidator} against
 * the registry in force and the clock, with the rejections counted. {@link #prepare} is cheap and
 * never blocks, so protocol handlers call it on their event loop; the checked pack then goes to a
 * {@link PackSink}.
 */
public final class IngestPipeline {

    /** SenML encodings (contract: "Telemetry payload"). */
    public enum Format { JSON, CBOR }

    private final PackValidator validator;
    private final RegistryView registry;
    private final IngestMetrics metrics;
    private final Clock clock;

    public IngestPipeline(SenmlDecoder decoder, RegistryView registry, IngestLimits limits, IngestMetrics metrics, Clock clock) {
        this.validator = new PackValidator(decoder, limits);
        this.registry = registry;
        this.metrics = metrics;
        this.clock = clock;
    }

    public IngestLimits limits() {
        return validator.limits();
    }

    /**
     * Decodes and checks one pack from an authenticated device. Never throws on bad input: what
     * is wrong is in the returned pack's quarantine and verdict.
     */
    public PreparedPack prepare(String protocol, Device device, byte[] payload, int offset, int length, Format format) {
        PreparedPack pack = validator.validate(protocol, device, payload, offset, length, format, registry.current(),
                clock.instant());
        for (QuarantineRecord q : pack.batch().quarantined()) {
            metrics.rejected(protocol, q.reason());
        }
        return pack;
    }

    /**
     * A pack refused whole before or while decoding (topic, size, unreadable payload): one
     * quarantine entry says why.
     */
    public PreparedPack refuse(String protocol, String deviceId, String reason, String detail, Verdict verdict) {
        metrics.rejected(protocol, reason);
        return validator.refuse(clock.instant(), protocol, deviceId, reason, detail, verdict);
    }

    /** Counts a pack dropped under overload (QoS 0, or a refused request). */
    public void dropped(PreparedPack pack) {
        metrics.readings(pack.protocol(), "dropped", pack.accepted());
    }
}
