package fr.gardien.gateway.ingest.senml;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SenmlCborTest {

    private static final long NOW = SenmlDecoderTest.NOW;
    // RFC 8428 §6, table 4.
    private static final Map<String, Integer> LABELS = Map.ofEntries(Map.entry("bver", -1), Map.entry("bn", -2),
            Map.entry("bt", -3), Map.entry("bu", -4), Map.entry("bv", -5), Map.entry("bs", -16), Map.entry("n", 0),
            Map.entry("u", 1), Map.entry("v", 2), Map.entry("vs", 3), Map.entry("vb", 4), Map.entry("s", 5),
            Map.entry("t", 6), Map.entry("ut", 7), Map.entry("vd", 8));

    private final SenmlDecoder decoder = new SenmlDecoder(new SenmlLimits(50));

    static Stream<List<Map<String, Object>>> packs() {
        return Stream.of(
                List.of(
                        rec("bn", "tilleuls/boiler-1/", "bt", 1763712000L, "n", "supply_temp", "u", "Cel", "v", 71.5f),
                        rec("n", "return_temp", "u", "Cel", "v", 55.0, "t", 0)),
                List.of(
                        rec("bn", "a/b/", "bt", 1763712000.25, "bu", "Cel", "bv", 10, "n", "x", "v", 1),
                        rec("n", "y", "t", -3, "v", -2.5, "s", 4),
                        rec("bn", "c/d/", "bver", 10, "n", "pump", "vb", true),
                        rec("n", "mode", "vs", "eco", "ut", 60),
                        rec("n", "p", "t", 12)),
                List.of(
                        rec("bn", "a/b/", "n", "bad", "v", "12"),
                        rec("n", "blob", "vd", new byte[] {1, 2, 3}),
                        rec("n", "ext", "v", 1, "x_", 1),
                        rec("n", "bad name", "v", 1),
                        rec("n", "sum", "s", 3),
                        rec("n", "old", "v", 1, "t", -1e10),
                        rec("bn", 5, "n", "orphan", "v", 1),
                        rec("bn", "a/b/", "n", "ok", "v", 1, "foo", List.of(1, 2))));
    }

    /** A CBOR pack with integer labels decodes to exactly what the same pack in JSON decodes to. */
    @ParameterizedTest
    @MethodSource("packs")
    void integerLabelledCborDecodesLikeJson(List<Map<String, Object>> pack) {
        byte[] json = write(new JsonFactory(), pack, false);
        byte[] cbor = write(new CBORFactory(), pack, true);

        SenmlPack fromJson = decoder.decodeJson(json, 0, json.length, NOW);
        SenmlPack fromCbor = decoder.decodeCbor(cbor, 0, cbor.length, NOW);

        assertThat(cbor.length).as("integer labels are shorter than text ones")
                .isLessThan(write(new CBORFactory(), pack, false).length);
        assertThat(fromJson.packError()).isNull();
        assertThat(fromJson.records()).isNotEmpty();
        assertThat(fromCbor).isEqualTo(fromJson);
    }

    /** A CBOR pack with text labels, as some encoders write, decodes like JSON too. */
    @ParameterizedTest
    @MethodSource("packs")
    void textLabelledCborDecodesLikeJson(List<Map<String, Object>> pack) {
        byte[] json = write(new JsonFactory(), pack, false);
        byte[] cbor = write(new CBORFactory(), pack, false);

        assertThat(decoder.decodeCbor(cbor, 0, cbor.length, NOW))
                .isEqualTo(decoder.decodeJson(json, 0, json.length, NOW));
    }

    /** The contract example in CBOR resolves to the boiler's supply temperature at bt. */
    @Test
    void contractExampleInCborResolvesItsName() {
        byte[] cbor = write(new CBORFactory(), packs().findFirst().orElseThrow(), true);

        SenmlPack pack = decoder.decodeCbor(cbor, 0, cbor.length, NOW);

        assertThat(pack.records().get(0)).isEqualTo(new SenmlRecord(0, "tilleuls/boiler-1/supply_temp",
                1_763_712_000_000_000L, "Cel", ValueKind.NUMBER, 71.5, null));
    }

    /** Integer labels are a CBOR encoding: in JSON a key "2" is an unknown field, not v. */
    @Test
    void integerLabelsAreNotAcceptedInJson() {
        byte[] json = "[{\"n\":\"a/b/c\",\"2\":5}]".getBytes();

        assertThat(decoder.decodeJson(json, 0, json.length, NOW).rejected())
                .extracting(SenmlRejection::reason).containsExactly(Rejections.NO_VALUE);
    }

    /** Truncated CBOR, a map instead of an array, and an item after the array are malformed payloads. */
    @Test
    void unreadableCborIsRefusedWhole() {
        byte[] cbor = write(new CBORFactory(), packs().findFirst().orElseThrow(), true);
        byte[] map = write(new CBORFactory(), List.of(), true);
        map[0] = (byte) 0xa0; // an empty map in place of the empty array

        for (int cut = 0; cut < cbor.length; cut++) {
            assertThat(decoder.decodeCbor(cbor, 0, cut, NOW).packError()).as("cut at %d", cut)
                    .isEqualTo(Rejections.MALFORMED_PAYLOAD);
        }
        assertThat(decoder.decodeCbor(map, 0, map.length, NOW).packError()).isEqualTo(Rejections.MALFORMED_PAYLOAD);
        byte[] trailing = Arrays.copyOf(cbor, cbor.length + 1); // + the integer 0
        assertThat(decoder.decodeCbor(trailing, 0, trailing.length, NOW).packError())
                .isEqualTo(Rejections.MALFORMED_PAYLOAD);
        assertThat(decoder.decodeCbor(cbor, 0, cbor.length, NOW).packError()).isNull();
    }

    /** An offset and length decode only that slice of a larger CBOR buffer. */
    @Test
    void sliceOfALargerCborBufferDecodesOnlyThatSlice() {
        byte[] cbor = write(new CBORFactory(), packs().findFirst().orElseThrow(), true);
        byte[] buffer = new byte[cbor.length + 20];
        Arrays.fill(buffer, (byte) 0xff);
        System.arraycopy(cbor, 0, buffer, 7, cbor.length);

        SenmlPack pack = decoder.decodeCbor(buffer, 7, cbor.length, NOW);

        assertThat(pack.packError()).isNull();
        assertThat(pack.records()).hasSize(2);
    }

    private static Map<String, Object> rec(Object... keysAndValues) {
        Map<String, Object> record = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            record.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return record;
    }

    static byte[] write(JsonFactory factory, List<Map<String, Object>> pack, boolean integerLabels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = factory.createGenerator(out)) {
            generator.writeStartArray();
            for (Map<String, Object> record : pack) {
                generator.writeStartObject();
                for (Map.Entry<String, Object> field : record.entrySet()) {
                    Integer label = LABELS.get(field.getKey());
                    if (integerLabels && label != null) {
                        ((CBORGenerator) generator).writeFieldId(label);
                    } else {
                        generator.writeFieldName(field.getKey());
                    }
                    writeValue(generator, field.getValue());
                }
                generator.writeEndObject();
            }
            generator.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeValue(JsonGenerator generator, Object value) throws IOException {
        if (value instanceof String s) {
            generator.writeString(s);
        } else if (value instanceof Boolean b) {
            generator.writeBoolean(b);
        } else if (value instanceof Float f) {
            generator.writeNumber(f);
        } else if (value instanceof Double d) {
            generator.writeNumber(d);
        } else if (value instanceof Number n) {
            generator.writeNumber(n.longValue());
        } else if (value instanceof byte[] bytes) {
            generator.writeBinary(bytes); // base64 text in JSON, a byte string in CBOR
        } else if (value instanceof List<?> list) {
            generator.writeStartArray();
            for (Object item : list) {
                writeValue(generator, item);
            }
            generator.writeEndArray();
        } else {
            throw new IllegalArgumentException("unsupported test value " + value);
        }
    }
}
