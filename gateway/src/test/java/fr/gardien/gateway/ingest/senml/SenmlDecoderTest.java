package fr.gardien.gateway.ingest.senml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SenmlDecoderTest {

    static final long NOW = 1_763_712_345_678_901L;
    static final long BT = 1_763_712_000L;
    static final long SECOND = 1_000_000L;

    private final SenmlDecoder decoder = new SenmlDecoder(new SenmlLimits(5));

    static SenmlPack json(SenmlDecoder decoder, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return decoder.decodeJson(bytes, 0, bytes.length, NOW);
    }

    private SenmlPack json(String text) {
        return json(decoder, text);
    }

    /** The payload example of the contract resolves its names, units, values and absolute times. */
    @Test
    void contractExampleResolvesToBoilerSupplyAndReturnTemperatures() {
        SenmlPack pack = json("""
                [{"bn":"tilleuls/boiler-1/","bt":1763712000,"n":"supply_temp","u":"Cel","v":71.5},
                 {"n":"return_temp","u":"Cel","v":55.0,"t":0}]""");

        assertThat(pack.packError()).isNull();
        assertThat(pack.rejected()).isEmpty();
        assertThat(pack.records()).containsExactly(
                new SenmlRecord(0, "tilleuls/boiler-1/supply_temp", BT * SECOND, "Cel", ValueKind.NUMBER, 71.5, null),
                new SenmlRecord(1, "tilleuls/boiler-1/return_temp", BT * SECOND, "Cel", ValueKind.NUMBER, 55.0, null));
    }

    /** A base field set in a later record replaces the earlier one from that record on, and only from there. */
    @Test
    void baseFieldsChangingMidPackApplyFromTheirRecordOn() {
        SenmlPack pack = json("""
                [{"bn":"a/b/","bt":1763712000,"bu":"Cel","n":"x","v":1},
                 {"n":"y","t":10,"v":2},
                 {"bn":"c/d/","bt":1763713000,"bu":"%RH","n":"x","v":3},
                 {"n":"y","u":"Cel","t":-1,"v":4}]""");

        assertThat(pack.records()).extracting(SenmlRecord::name, SenmlRecord::epochMicros, SenmlRecord::unit)
                .containsExactly(
                        tuple("a/b/x", BT * SECOND, "Cel"),
                        tuple("a/b/y", (BT + 10) * SECOND, "Cel"),
                        tuple("c/d/x", (BT + 1000) * SECOND, "%RH"),
                        tuple("c/d/y", (BT + 999) * SECOND, "Cel"));
    }

    /** A record without n takes bn alone as its name, and one without bn takes n alone. */
    @Test
    void nameIsBaseNameAloneOrNameAlone() {
        SenmlPack pack = json("""
                [{"n":"site/eq/p1","v":1},{"bn":"site/eq/p2","v":2}]""");

        assertThat(pack.records()).extracting(SenmlRecord::name).containsExactly("site/eq/p1", "site/eq/p2");
    }

    /** Resolved times below 2^28 s count from the receive time: absent means now, negative means earlier. */
    @Test
    void relativeTimesCountFromTheReceiveTime() {
        SenmlPack pack = json("""
                [{"n":"p","v":1},
                 {"n":"p","v":2,"t":0},
                 {"n":"p","v":3,"t":-60},
                 {"bt":-10,"n":"p","v":4,"t":-5.5},
                 {"bt":0,"n":"p","v":5,"t":268435455}]""");

        assertThat(pack.records()).extracting(SenmlRecord::epochMicros).containsExactly(
                NOW, NOW, NOW - 60 * SECOND, NOW - 15_500_000L, NOW + 268_435_455L * SECOND);
    }

    /** A time at or above 2^28 s is absolute, even one in 1978. */
    @Test
    void timeFromTwoToTheTwentyEightIsAbsolute() {
        SenmlPack pack = json("[{\"n\":\"p\",\"v\":1,\"t\":268435456}]");

        assertThat(pack.records()).extracting(SenmlRecord::epochMicros).containsExactly(268_435_456L * SECOND);
    }

    /** Fractional seconds keep their microseconds on current dates, also when t adds to bt. */
    @Test
    void timesKeepMicrosecondPrecision() {
        SenmlPack pack = json("""
                [{"bt":1763712000.123456,"n":"p","v":1},{"n":"p","v":2,"t":0.000001},{"n":"p","v":3,"t":-0.25}]""");

        assertThat(pack.records()).extracting(SenmlRecord::epochMicros).containsExactly(
                1_763_712_000_123_456L, 1_763_712_000_123_457L, 1_763_711_999_873_456L);
    }

    /** bv is added to v, and left out of boolean values. */
    @Test
    void baseValueIsAddedToNumericValues() {
        SenmlPack pack = json("""
                [{"bn":"m/e/","bv":1000,"n":"energy","v":2.5},{"n":"energy","v":-1000},{"n":"on","vb":true}]""");

        assertThat(pack.records()).extracting(SenmlRecord::kind, SenmlRecord::value).containsExactly(
                tuple(ValueKind.NUMBER, 1002.5), tuple(ValueKind.NUMBER, 0.0), tuple(ValueKind.BOOLEAN, 1.0));
    }

    /** vb becomes BOOLEAN 1/0 and vs becomes STRING with its text and a NaN value. */
    @Test
    void booleanAndStringValuesKeepTheirKind() {
        SenmlPack pack = json("""
                [{"bn":"s/e/","n":"pump","vb":true},{"n":"pump","vb":false},{"n":"mode","vs":"eco"}]""");

        assertThat(pack.records()).containsExactly(
                new SenmlRecord(0, "s/e/pump", NOW, null, ValueKind.BOOLEAN, 1.0, null),
                new SenmlRecord(1, "s/e/pump", NOW, null, ValueKind.BOOLEAN, 0.0, null),
                new SenmlRecord(2, "s/e/mode", NOW, null, ValueKind.STRING, Double.NaN, "eco"));
    }

    static Stream<Arguments> badRecords() {
        return Stream.of(
                Arguments.of("42", Rejections.MALFORMED_RECORD, null),
                Arguments.of("[{\"n\":\"p\",\"v\":1}]", Rejections.MALFORMED_RECORD, null),
                Arguments.of("{\"n\":\"p\",\"v\":\"12\"}", Rejections.MALFORMED_RECORD, "s/e/p"),
                Arguments.of("{\"n\":\"p\",\"v\":{\"x\":[1,2]}}", Rejections.MALFORMED_RECORD, "s/e/p"),
                Arguments.of("{\"n\":7,\"v\":1}", Rejections.MALFORMED_RECORD, "s/e/"),
                Arguments.of("{\"n\":\"p\",\"vb\":1}", Rejections.MALFORMED_RECORD, "s/e/p"),
                Arguments.of("{\"n\":\"p\",\"v\":1,\"t\":\"now\"}", Rejections.MALFORMED_RECORD, "s/e/p"),
                Arguments.of("{\"n\":\"p\",\"v\":1,\"u\":null}", Rejections.MALFORMED_RECORD, "s/e/p"),
                Arguments.of("{\"n\":\"p\",\"v\":1,\"vs\":\"one\"}", Rejections.MALFORMED_RECORD, "s/e/p"),
                Arguments.of("{\"n\":\"p\",\"v\":1,\"v\":2}", Rejections.MALFORMED_RECORD, "s/e/p"),
                Arguments.of("{\"n\":\"p\",\"v\":1e308,\"bv\":1e308}", Rejections.MALFORMED_RECORD, "s/e/p"),
                Arguments.of("{\"n\":\"p\",\"v\":1,\"bver\":0}", Rejections.MALFORMED_RECORD, "s/e/p"),
                Arguments.of("{\"n\":\"p é\",\"v\":1}", Rejections.INVALID_NAME, "s/e/p é"),
                Arguments.of("{\"bn\":\"\",\"v\":1}", Rejections.INVALID_NAME, ""),
                Arguments.of("{\"bn\":\"-x/\",\"n\":\"p\",\"v\":1}", Rejections.INVALID_NAME, "-x/p"),
                Arguments.of("{\"n\":\"p\"}", Rejections.NO_VALUE, "s/e/p"),
                Arguments.of("{\"n\":\"p\",\"s\":12.5}", Rejections.NO_VALUE, "s/e/p"),
                Arguments.of("{\"n\":\"p\",\"vd\":\"AQID\"}", Rejections.UNSUPPORTED_VALUE, "s/e/p"),
                Arguments.of("{\"n\":\"p\",\"v\":1,\"t\":-1e10}", Rejections.INVALID_TIME, "s/e/p"),
                Arguments.of("{\"n\":\"p\",\"v\":1,\"t\":253402300800}", Rejections.INVALID_TIME, "s/e/p"),
                Arguments.of("{\"n\":\"p\",\"v\":1,\"t\":1e300}", Rejections.INVALID_TIME, "s/e/p"),
                Arguments.of("{\"n\":\"p\",\"v\":1,\"x_\":true}", Rejections.UNSUPPORTED_FIELD, "s/e/p"),
                Arguments.of("{\"n\":\"p\",\"v\":1,\"bver\":11}", Rejections.UNSUPPORTED_FIELD, "s/e/p"));
    }

    /** Each bad record is rejected with its reason, name and a short detail, and its neighbours are still decoded. */
    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("badRecords")
    void badRecordIsRejectedWithItsReasonAndTheRestIsDecoded(String record, String reason, String name) {
        // The last record sets bn and bver again, as the bad record may have changed them for its successors.
        SenmlPack pack = json("[{\"bn\":\"s/e/\",\"n\":\"before\",\"v\":1}," + record
                + ",{\"bn\":\"s/e/\",\"bver\":10,\"n\":\"after\",\"v\":2}]");

        assertThat(pack.packError()).isNull();
        assertThat(pack.rejected()).singleElement().satisfies(rejection -> {
            assertThat(rejection.index()).isEqualTo(1);
            assertThat(rejection.reason()).isEqualTo(reason);
            assertThat(rejection.name()).isEqualTo(name);
            assertThat(rejection.detail()).isNotBlank().hasSizeLessThanOrEqualTo(Rejections.MAX_TEXT_CHARS);
        });
        assertThat(pack.records()).extracting(SenmlRecord::index, SenmlRecord::name)
                .containsExactly(tuple(0, "s/e/before"), tuple(2, "s/e/after"));
    }

    /** A bver above 10 is a base field too: the records after it are refused until bver comes back to 10. */
    @Test
    void bverCarriesToTheFollowingRecords() {
        SenmlPack pack = json("""
                [{"bver":11,"n":"a/b/c","v":1},{"n":"a/b/d","v":2},{"bver":10,"n":"a/b/e","v":3}]""");

        assertThat(pack.rejected()).extracting(SenmlRejection::index, SenmlRejection::reason)
                .containsExactly(tuple(0, Rejections.UNSUPPORTED_FIELD), tuple(1, Rejections.UNSUPPORTED_FIELD));
        assertThat(pack.records()).extracting(SenmlRecord::name).containsExactly("a/b/e");
    }

    /** A bn of the wrong type refuses the records that would inherit it, instead of naming them after the previous bn. */
    @Test
    void unreadableBaseNameIsNotReplacedByThePreviousOne() {
        SenmlPack pack = json("""
                [{"bn":"a/b/","n":"x","v":1},{"bn":5,"n":"x","v":2},{"n":"y","v":3},{"bn":"c/d/","n":"z","v":4}]""");

        assertThat(pack.rejected()).extracting(SenmlRejection::index, SenmlRejection::reason, SenmlRejection::name)
                .containsExactly(tuple(1, Rejections.MALFORMED_RECORD, null), tuple(2, Rejections.MALFORMED_RECORD, null));
        assertThat(pack.rejected().get(1).detail()).contains("bn").contains("record 1");
        assertThat(pack.records()).extracting(SenmlRecord::name).containsExactly("a/b/x", "c/d/z");
    }

    /** A base field well formed in a record rejected for another reason still applies to the following records. */
    @Test
    void wellFormedBaseFieldsOfARejectedRecordStillApply() {
        SenmlPack pack = json("""
                [{"bn":"a/b/","bt":1763712000,"n":"x"},{"n":"y","v":2}]""");

        assertThat(pack.rejected()).extracting(SenmlRejection::reason).containsExactly(Rejections.NO_VALUE);
        assertThat(pack.records()).extracting(SenmlRecord::name, SenmlRecord::epochMicros)
                .containsExactly(tuple("a/b/y", BT * SECOND));
    }

    /** Unknown fields without the must-understand suffix are ignored, whatever their shape. */
    @Test
    void unknownFieldsAreIgnored() {
        SenmlPack pack = json("""
                [{"n":"a/b/c","v":1,"foo":{"bar":[1,{"_":2}]},"ut":5,"s":3,"bs":1,"baz_x":"y"}]""");

        assertThat(pack.rejected()).isEmpty();
        assertThat(pack.records()).extracting(SenmlRecord::value).containsExactly(1.0);
    }

    /** A pack with more records than the limit is refused whole, at the first extra record, without reading on. */
    @Test
    void packAboveMaxRecordsIsRefusedWhole() {
        String five = "{\"n\":\"a/b/c\",\"v\":1},".repeat(5);
        SenmlPack atLimit = json("[" + five.substring(0, five.length() - 1) + "]");
        // The garbage after the sixth record proves that decoding stopped there.
        SenmlPack aboveLimit = json("[" + five + "{\"n\":\"a/b/c\",\"v\":1}, garbage");

        assertThat(atLimit.packError()).isNull();
        assertThat(atLimit.records()).hasSize(5);
        assertThat(aboveLimit.packError()).isEqualTo(Rejections.TOO_MANY_RECORDS);
        assertThat(aboveLimit.packErrorDetail()).contains("5");
        assertThat(aboveLimit.records()).isEmpty();
        assertThat(aboveLimit.rejected()).isEmpty();
    }

    /** Unparseable JSON, a non-array, an empty array, a truncated pack and trailing content are malformed payloads. */
    @ParameterizedTest
    @MethodSource("malformedPayloads")
    void unreadablePackIsRefusedWhole(String payload) {
        SenmlPack pack = json(payload);

        assertThat(pack.packError()).isEqualTo(Rejections.MALFORMED_PAYLOAD);
        assertThat(pack.packErrorDetail()).isNotBlank().hasSizeLessThanOrEqualTo(Rejections.MAX_TEXT_CHARS);
        assertThat(pack.records()).isEmpty();
        assertThat(pack.rejected()).isEmpty();
    }

    static Stream<String> malformedPayloads() {
        return Stream.of("", "   ", "not json", "{\"n\":\"a/b/c\",\"v\":1}", "42", "\"pack\"", "[]",
                "[{\"n\":\"a/b/c\",\"v\":1}", "[{\"n\":\"a/b/c\",\"v\":1},", "[{\"n\":\"a/b/c\",\"v\":1", "[{\"n\":\"a/b",
                "[{\"n\":\"a/b/c\",\"v\":1}] []", "[{\"n\":\"a/b/c\",\"v\":1}] x", "[{\"n\":\"a/b/c\" \"v\":1}]",
                "[{\"n\":\"a/b/c\",\"v\":NaN}]", "[" + "x".repeat(100_000) + "]");
    }

    /** An offset and length decode only that slice of a larger buffer. */
    @Test
    void sliceOfALargerBufferDecodesOnlyThatSlice() {
        String pack = "[{\"n\":\"a/b/c\",\"v\":7}]";
        byte[] buffer = ("[{\"n\":\"x/y/z\",\"v\":1}]" + pack + "garbage").getBytes(StandardCharsets.UTF_8);
        int offset = buffer.length - pack.length() - "garbage".length();

        SenmlPack decoded = decoder.decodeJson(buffer, offset, pack.length(), NOW);

        assertThat(decoded.packError()).isNull();
        assertThat(decoded.records()).extracting(SenmlRecord::name, SenmlRecord::value)
                .containsExactly(tuple("a/b/c", 7.0));
    }

    /** Decoded lists cannot be changed by a consumer. */
    @Test
    void decodedListsAreUnmodifiable() {
        SenmlPack pack = json("[{\"n\":\"a/b/c\",\"v\":1},{\"n\":\"a/b/c\"}]");

        assertThat(pack.records()).isUnmodifiable();
        assertThat(pack.rejected()).isUnmodifiable();
    }
}
