package fr.gardien.gateway.ingest.senml;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.IOException;
import java.util.Objects;

/**
 * Decodes SenML packs (RFC 8428) in JSON and CBOR into resolved records, with one streaming
 * pass and no tree model. Holds no mutable state: one instance serves every event loop.
 *
 * <p>What it refuses, and why, is listed in {@link Rejections}. A bad record never stops the pack;
 * only an unreadable pack or one with too many records is refused whole.
 */
public final class SenmlDecoder {

    // Factories are thread-safe once built. Source snippets stay out of exception messages,
    // since those messages become rejection details.
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();
    private static final CBORFactory CBOR = CBORFactory.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    // Rough bytes per record, to size the record list once for most packs.
    private static final int JSON_BYTES_PER_RECORD = 24;
    private static final int CBOR_BYTES_PER_RECORD = 12;

    private final SenmlLimits limits;

    public SenmlDecoder(SenmlLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Decodes a SenML JSON pack (RFC 8428 §4, §5). Never throws on bad input.
     *
     * @param nowEpochMicros the receive time, which relative times (RFC 8428 §4.5.3) count from
     * @throws IndexOutOfBoundsException if offset and length do not fit in payload (a caller bug)
     */
    public SenmlPack decodeJson(byte[] payload, int offset, int length, long nowEpochMicros) {
        return decode(JSON, false, payload, offset, length, nowEpochMicros, JSON_BYTES_PER_RECORD);
    }

    /**
     * Decodes a SenML CBOR pack (RFC 8428 §6): integer labels, and text labels as some encoders
     * write them. Never throws on bad input.
     *
     * @param nowEpochMicros the receive time, which relative times (RFC 8428 §4.5.3) count from
     * @throws IndexOutOfBoundsException if offset and length do not fit in payload (a caller bug)
     */
    public SenmlPack decodeCbor(byte[] payload, int offset, int length, long nowEpochMicros) {
        return decode(CBOR, true, payload, offset, length, nowEpochMicros, CBOR_BYTES_PER_RECORD);
    }

    private SenmlPack decode(JsonFactory factory, boolean integerLabels, byte[] payload, int offset, int length,
            long nowEpochMicros, int bytesPerRecord) {
        Objects.checkFromIndexSize(offset, length, payload.length);
        try (JsonParser parser = factory.createParser(payload, offset, length)) {
            return new PackReader(parser, integerLabels, limits.maxRecords(), nowEpochMicros,
                    length / bytesPerRecord).read();
        } catch (JsonProcessingException e) {
            return SenmlPack.refused(Rejections.MALFORMED_PAYLOAD, e.getOriginalMessage());
        } catch (IOException e) {
            return SenmlPack.refused(Rejections.MALFORMED_PAYLOAD, e.getMessage());
        } catch (RuntimeException e) {
            // The contract is "never throws on bad input"; a parser meeting hostile bytes may
            // fail outside its IOException hierarchy, and the event loop must not see that.
            return SenmlPack.refused(Rejections.MALFORMED_PAYLOAD, "unreadable payload ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
