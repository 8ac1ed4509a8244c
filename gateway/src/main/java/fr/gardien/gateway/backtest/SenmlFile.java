package fr.gardien.gateway.backtest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gardien.gateway.ingest.senml.SenmlDecoder;
import fr.gardien.gateway.ingest.senml.SenmlLimits;
import fr.gardien.gateway.ingest.senml.SenmlPack;
import fr.gardien.gateway.ingest.senml.SenmlRecord;
import fr.gardien.gateway.ingest.senml.ValueKind;
import fr.gardien.gateway.registry.Registry;
import fr.gardien.model.Reading;
import fr.gardien.model.RegisteredPoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The readings of a file of SenML JSON packs, for a backtest: one pack (a JSON array of
 * records), an array of packs, or packs one after the other (one per line). Each pack goes
 * through the gateway's {@link SenmlDecoder}, so names, base fields and values resolve exactly
 * as on ingestion, and each record is checked as on ingestion: a known point of the registry, in
 * its declared unit. What is skipped is counted, by reason, for the report.
 *
 * <p>Timestamps are used as they are. A file has no receive time, so a relative time
 * (RFC 8428 §4.5.3: below 2^28 s) cannot be resolved and is skipped.
 */
final class SenmlFile {

    /** RFC 8428 §4.5.3: resolved times below 2^28 s are relative. */
    private static final long RELATIVE_BELOW_MICROS = (1L << 28) * 1_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param readings the kept readings, by time then point, each (point, time) once
     * @param unknownPoints names that are not a point of the registry, with how many records
     * @param skipped other skipped records by reason: {@code wrong-unit}, {@code relative-time},
     *     {@code outside-period}, {@code other-site}, {@code duplicate}, and the decoder's
     *     rejection reasons
     */
    record Contents(List<Reading> readings, Map<String, Integer> unknownPoints, Map<String, Integer> skipped) {
    }

    private SenmlFile() {
    }

    /**
     * @param selected the points the replay reads (the selected sites')
     * @throws IOException when the file cannot be read or is not JSON
     */
    static Contents read(Path file, Registry registry, Predicate<RegisteredPoint> selected, Instant from, Instant to)
            throws IOException {
        SenmlDecoder decoder = new SenmlDecoder(new SenmlLimits(Integer.MAX_VALUE));
        long fromMicros = ChronoUnit.MICROS.between(Instant.EPOCH, from);
        long toMicros = ChronoUnit.MICROS.between(Instant.EPOCH, to);
        List<Reading> readings = new ArrayList<>();
        Map<String, Integer> unknown = new TreeMap<>();
        Map<String, Integer> skipped = new TreeMap<>();
        // A parser, not readValues(): that would take the elements of a root array as the values.
        try (JsonParser parser = JSON.createParser(Files.readAllBytes(file))) {
            while (parser.nextToken() != null) {
                JsonNode value = JSON.readTree(parser);
                List<JsonNode> packs = new ArrayList<>();
                if (value.isArray() && value.size() > 0 && value.get(0).isArray()) {
                    value.forEach(packs::add);
                } else {
                    packs.add(value);
                }
                for (JsonNode pack : packs) {
                    byte[] bytes = JSON.writeValueAsBytes(pack);
                    // Receive time 0: a relative time stays below 2^28 s and is recognised below.
                    SenmlPack decoded = decoder.decodeJson(bytes, 0, bytes.length, 0L);
                    if (decoded.packError() != null) {
                        skipped.merge(decoded.packError(), 1, Integer::sum);
                        continue;
                    }
                    decoded.rejected().forEach(r -> skipped.merge(r.reason(), 1, Integer::sum));
                    for (SenmlRecord record : decoded.records()) {
                        RegisteredPoint point = registry.point(record.name());
                        String reason = null;
                        if (point == null) {
                            unknown.merge(record.name(), 1, Integer::sum);
                            continue;
                        } else if (!selected.test(point)) {
                            reason = "other-site";
                        } else if (record.unit() != null && !record.unit().equals(point.unit())) {
                            reason = "wrong-unit";
                        } else if (record.epochMicros() < RELATIVE_BELOW_MICROS) {
                            reason = "relative-time";
                        } else if (record.epochMicros() < fromMicros || record.epochMicros() >= toMicros) {
                            reason = "outside-period";
                        }
                        if (reason != null) {
                            skipped.merge(reason, 1, Integer::sum);
                        } else {
                            readings.add(new Reading(point.id(), record.epochMicros(), record.value(),
                                    record.kind() == ValueKind.STRING ? record.text() : null));
                        }
                    }
                }
            }
        }
        // Stable: of two records of the same point and time, the first in the file is kept.
        readings.sort(Comparator.comparingLong(Reading::epochMicros).thenComparingInt(Reading::pointId));
        List<Reading> distinct = new ArrayList<>(readings.size());
        for (Reading r : readings) {
            Reading last = distinct.isEmpty() ? null : distinct.get(distinct.size() - 1);
            if (last != null && last.epochMicros() == r.epochMicros() && last.pointId() == r.pointId()) {
                skipped.merge("duplicate", 1, Integer::sum);
            } else {
                distinct.add(r);
            }
        }
        return new Contents(distinct, unknown, skipped);
    }
}
