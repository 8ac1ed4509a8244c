package fr.gardien.gateway.ingest;

import fr.gardien.gateway.ingest.senml.Rejections;
import fr.gardien.gateway.ingest.senml.SenmlDecoder;
import fr.gardien.gateway.ingest.senml.SenmlPack;
import fr.gardien.gateway.ingest.senml.SenmlRecord;
import fr.gardien.gateway.ingest.senml.SenmlRejection;
import fr.gardien.gateway.ingest.senml.ValueKind;
import fr.gardien.gateway.registry.Registry;
import fr.gardien.model.Device;
import fr.gardien.model.Reading;
import fr.gardien.model.RegisteredPoint;
import fr.gardien.storage.write.QuarantineRecord;
import fr.gardien.storage.write.WriteBatch;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks of a pack, as a pure function of the payload, the registry snapshot and the time:
 * decode SenML, check each record against the registry and the limits, and split the valid
 * readings from the quarantined records, which travel together in one {@link WriteBatch}. No I/O,
 * no metric, no clock: {@link IngestPipeline} brings those.
 */
public final class PackValidator {

    private static final int EXCERPT_BYTES = 160;

    private final SenmlDecoder decoder;
    private final IngestLimits limits;

    public PackValidator(SenmlDecoder decoder, IngestLimits limits) {
        this.decoder = decoder;
        this.limits = limits;
    }

    public IngestLimits limits() {
        return limits;
    }

    /**
     * Decodes and checks one pack from an authenticated device, against {@code current} at
     * {@code now}. Never throws on bad input: what is wrong is in the returned pack's quarantine
     * and verdict.
     */
    public PreparedPack validate(String protocol, Device device, byte[] payload, int offset, int length, IngestPipeline.Format format,
            Registry current, Instant now) {
        if (length > limits.maxPayloadBytes()) {
            return refuse(now, protocol, device.id(), Reasons.PAYLOAD_TOO_LARGE,
                    "payload of " + length + " bytes exceeds the limit of " + limits.maxPayloadBytes(), Verdict.TOO_LARGE);
        }
        long nowMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        SenmlPack pack = format == IngestPipeline.Format.JSON
                ? decoder.decodeJson(payload, offset, length, nowMicros)
                : decoder.decodeCbor(payload, offset, length, nowMicros);
        if (pack.packError() != null) {
            String detail = pack.packErrorDetail() + "; payload starts: " + excerpt(payload, offset, length, format);
            Verdict verdict = pack.packError().equals(Rejections.TOO_MANY_RECORDS)
                    ? Verdict.TOO_LARGE : Verdict.INVALID;
            return refuse(now, protocol, device.id(), pack.packError(), detail, verdict);
        }

        long newestMicros = nowMicros + limits.maxFuture().toNanos() / 1_000;
        long oldestMicros = nowMicros - limits.retention().toNanos() / 1_000;
        List<SenmlRecord> records = pack.records();
        List<Reading> readings = new ArrayList<>(records.size());
        List<QuarantineRecord> quarantined = new ArrayList<>(pack.rejected().size());
        int forbidden = 0;
        for (SenmlRejection rejection : pack.rejected()) {
            quarantined.add(quarantine(now, protocol, device, rejection.reason(), rejection.name(),
                    "record " + rejection.index() + ": " + rejection.detail()));
        }
        for (SenmlRecord record : records) {
            RegisteredPoint point = current.point(record.name());
            String reason = null;
            String detail = null;
            if (point == null) {
                reason = Reasons.UNKNOWN_POINT;
                detail = "no point of that key in the portfolio";
            } else if (!point.key().site().equals(device.site())) {
                reason = Reasons.NOT_DEVICE_SITE;
                // The device is not told which site it is: other sites are none of its business.
                detail = "the point belongs to another site than the device's (" + device.site() + ")";
                forbidden++;
            } else if (record.unit() != null && !record.unit().equals(point.unit())) {
                reason = Reasons.WRONG_UNIT;
                detail = "unit " + record.unit() + " where the point is declared in " + point.unit();
            } else if (record.epochMicros() > newestMicros) {
                reason = Reasons.FUTURE_TIMESTAMP;
                detail = "time " + Instant.ofEpochSecond(0, record.epochMicros() * 1_000) + " is more than "
                        + limits.maxFuture() + " ahead of the gateway's clock";
            } else if (record.epochMicros() < oldestMicros) {
                reason = Reasons.TOO_OLD;
                detail = "time " + Instant.ofEpochSecond(0, record.epochMicros() * 1_000) + " is older than the retention of "
                        + limits.retention();
            }
            if (reason != null) {
                quarantined.add(quarantine(now, protocol, device, reason, record.name(), "record " + record.index() + ": " + detail));
                continue;
            }
            readings.add(record.kind() == ValueKind.STRING
                    ? new Reading(point.id(), record.epochMicros(), Double.NaN, record.text())
                    : Reading.numeric(point.id(), record.epochMicros(), record.value()));
        }
        Verdict verdict;
        if (quarantined.isEmpty()) {
            verdict = Verdict.ACCEPTED;
        } else if (!readings.isEmpty()) {
            verdict = Verdict.PARTIAL;
        } else if (forbidden == quarantined.size()) {
            verdict = Verdict.FORBIDDEN;
        } else {
            verdict = Verdict.INVALID;
        }
        String problem = quarantined.isEmpty() ? null : quarantined.get(0).reason() + " (" + quarantined.get(0).detail() + ")";
        // One writer lane per site: a site's packs commit in the order they came (see BatchWriter).
        return new PreparedPack(protocol, new WriteBatch(readings, quarantined, device.site().hashCode()), readings.size(),
                quarantined.size(), verdict, problem);
    }

    /**
     * A pack refused whole before or while decoding (topic, size, unreadable payload): one
     * quarantine entry says why.
     */
    public PreparedPack refuse(Instant now, String protocol, String deviceId, String reason, String detail, Verdict verdict) {
        QuarantineRecord record = new QuarantineRecord(now, protocol, deviceId, reason, null, truncate(detail));
        return new PreparedPack(protocol, new WriteBatch(List.of(), List.of(record)), 0, 1, verdict, reason + " (" + detail + ")");
    }

    private QuarantineRecord quarantine(Instant now, String protocol, Device device, String reason, String pointKey, String detail) {
        return new QuarantineRecord(now, protocol, device.id(), reason, pointKey, truncate(detail));
    }

    private static String truncate(String text) {
        return text.length() <= 512 ? text : text.substring(0, 509) + "...";
    }

    /** The start of an unreadable payload, for the admin reading the quarantine. */
    private static String excerpt(byte[] payload, int offset, int length, IngestPipeline.Format format) {
        int n = Math.min(length, EXCERPT_BYTES);
        if (format == IngestPipeline.Format.JSON) {
            String text = new String(payload, offset, n, StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", "?");
            return n < length ? text + "..." : text;
        }
        StringBuilder hex = new StringBuilder(n * 2 + 3);
        for (int i = 0; i < Math.min(n, 64); i++) {
            hex.append(String.format("%02x", payload[offset + i]));
        }
        return length > 64 ? hex.append("...").toString() : hex.toString();
    }
}
