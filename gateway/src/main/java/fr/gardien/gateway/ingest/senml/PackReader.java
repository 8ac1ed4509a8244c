package fr.gardien.gateway.ingest.senml;

import static com.fasterxml.jackson.core.JsonToken.END_ARRAY;
import static com.fasterxml.jackson.core.JsonToken.START_ARRAY;
import static com.fasterxml.jackson.core.JsonToken.START_OBJECT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_EMBEDDED_OBJECT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_FALSE;
import static com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_FLOAT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_STRING;
import static com.fasterxml.jackson.core.JsonToken.VALUE_TRUE;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads one SenML pack from a streaming parser, JSON or CBOR alike: Jackson turns CBOR integer
 * map keys into their decimal text ("-2"), so one field switch serves both representations.
 * One instance per pack, used by one thread; it holds the pack's base fields (RFC 8428 §4.6)
 * and the fields of the record being read.
 */
final class PackReader {

    private static final long SUPPORTED_VERSION = 10; // RFC 8428 §4.4
    private static final int NOT_BROKEN = -1;

    private enum Field { BVER, BN, BT, BU, BV, BS, N, U, V, VS, VB, S, T, UT, VD, MUST_UNDERSTAND, UNKNOWN }

    private final JsonParser parser;
    private final boolean integerLabels;
    private final int maxRecords;
    private final long nowEpochMicros;
    private final List<SenmlRecord> records;
    private List<SenmlRejection> rejected = List.of();

    // Base fields in force (RFC 8428 §4.6). A base field of the wrong type cannot be applied, and
    // keeping the previous one would silently misattribute the following records, so the records
    // relying on it are refused until a later record sets it again: *BrokenAt is that record's index.
    private String baseName;
    private double baseTime;
    private String baseUnit;
    private double baseValue;
    private long baseVersion = SUPPORTED_VERSION;
    private int baseNameBrokenAt = NOT_BROKEN;
    private int baseTimeBrokenAt = NOT_BROKEN;
    private int baseUnitBrokenAt = NOT_BROKEN;
    private int baseValueBrokenAt = NOT_BROKEN;
    private int baseVersionBrokenAt = NOT_BROKEN;

    // The record being read; reset by readRecord.
    private String fault;
    private String faultDetail;
    private String mustUnderstand;
    private String recBaseName;
    private String recBaseUnit;
    private boolean hasRecBaseTime;
    private boolean hasRecBaseValue;
    private boolean hasRecBaseVersion;
    private double recBaseTime;
    private double recBaseValue;
    private long recBaseVersion;
    private boolean recBaseNameBad;
    private boolean recBaseTimeBad;
    private boolean recBaseUnitBad;
    private boolean recBaseValueBad;
    private boolean recBaseVersionBad;
    private boolean hasName;
    private int nLength; // chars of n in nameChars
    private int resolvedLength; // chars of bn + n in scratch
    private String unit;
    private double time;
    private int valueFields;
    private Field valueField;
    private double number;
    private boolean bool;
    private String text;
    private boolean hasSum;

    private char[] nameChars = new char[64];
    private char[] scratch = new char[128];

    PackReader(JsonParser parser, boolean integerLabels, int maxRecords, long nowEpochMicros, int sizeHint) {
        this.parser = parser;
        this.integerLabels = integerLabels;
        this.maxRecords = maxRecords;
        this.nowEpochMicros = nowEpochMicros;
        this.records = new ArrayList<>(Math.min(maxRecords, Math.max(4, sizeHint)));
    }

    /** Reads the whole pack; parse errors surface as exceptions for the decoder to translate. */
    SenmlPack read() throws IOException {
        if (parser.nextToken() != START_ARRAY) {
            return SenmlPack.refused(Rejections.MALFORMED_PAYLOAD, "the pack is not an array");
        }
        int index = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != END_ARRAY) {
            if (token == null) {
                return SenmlPack.refused(Rejections.MALFORMED_PAYLOAD, "truncated payload");
            }
            if (index == maxRecords) {
                // Stop here: the rest of a pack this large is not worth parsing.
                return SenmlPack.refused(Rejections.TOO_MANY_RECORDS, "more than " + maxRecords + " records");
            }
            if (token == START_OBJECT) {
                readRecord();
                resolveRecord(index);
            } else {
                parser.skipChildren();
                reject(index, Rejections.MALFORMED_RECORD, null, "the record is not an object");
            }
            index++;
        }
        if (index == 0) {
            return SenmlPack.refused(Rejections.MALFORMED_PAYLOAD, "the pack is an empty array");
        }
        if (parser.nextToken() != null) {
            return SenmlPack.refused(Rejections.MALFORMED_PAYLOAD, "content after the pack's array");
        }
        return new SenmlPack(Collections.unmodifiableList(records), Collections.unmodifiableList(rejected), null,
                null);
    }

    private void readRecord() throws IOException {
        fault = null;
        faultDetail = null;
        mustUnderstand = null;
        recBaseName = null;
        recBaseUnit = null;
        hasRecBaseTime = hasRecBaseValue = hasRecBaseVersion = false;
        recBaseNameBad = recBaseTimeBad = recBaseUnitBad = recBaseValueBad = recBaseVersionBad = false;
        hasName = false;
        unit = null;
        time = 0;
        valueFields = 0;
        valueField = null;
        text = null;
        hasSum = false;

        String label;
        while ((label = parser.nextFieldName()) != null) {
            JsonToken token = parser.nextToken();
            switch (field(label)) {
                case BN -> {
                    if (isString(token, "bn")) {
                        recBaseName = parser.getText();
                    } else {
                        recBaseNameBad = true;
                    }
                }
                case BT -> {
                    if (isNumber(token, "bt")) {
                        hasRecBaseTime = true;
                        recBaseTime = parser.getDoubleValue();
                    } else {
                        recBaseTimeBad = true;
                    }
                }
                case BU -> {
                    if (isString(token, "bu")) {
                        recBaseUnit = parser.getText();
                    } else {
                        recBaseUnitBad = true;
                    }
                }
                case BV -> {
                    if (isNumber(token, "bv")) {
                        hasRecBaseValue = true;
                        recBaseValue = parser.getDoubleValue();
                    } else {
                        recBaseValueBad = true;
                    }
                }
                case BVER -> readVersion(token);
                // Sums and update times are checked for type but not used (see Rejections.NO_VALUE).
                case S -> hasSum = isNumber(token, "s");
                case BS -> isNumber(token, "bs");
                case UT -> isNumber(token, "ut");
                case N -> {
                    if (isString(token, "n")) {
                        copyName();
                    }
                }
                case U -> {
                    if (isString(token, "u")) {
                        unit = parser.getText();
                    }
                }
                case T -> {
                    if (isNumber(token, "t")) {
                        time = parser.getDoubleValue();
                    }
                }
                case V -> {
                    countValue(Field.V);
                    if (isNumber(token, "v")) {
                        number = parser.getDoubleValue();
                    }
                }
                case VS -> {
                    countValue(Field.VS);
                    if (isString(token, "vs")) {
                        text = parser.getText();
                    }
                }
                case VB -> {
                    countValue(Field.VB);
                    if (token == VALUE_TRUE || token == VALUE_FALSE) {
                        bool = token == VALUE_TRUE;
                    } else {
                        wrongType("vb", "a boolean");
                    }
                }
                case VD -> {
                    countValue(Field.VD);
                    // Base64 text in JSON, a byte string in CBOR (RFC 8428 §6).
                    if (token != VALUE_STRING && token != VALUE_EMBEDDED_OBJECT) {
                        wrongType("vd", "a string of data");
                    }
                }
                case MUST_UNDERSTAND -> {
                    if (mustUnderstand == null) {
                        mustUnderstand = label;
                    }
                    parser.skipChildren();
                }
                case UNKNOWN -> parser.skipChildren(); // RFC 8428 §4.4: ignore what we do not know
            }
        }
    }

    private void resolveRecord(int index) {
        applyBaseFields(index);
        String name = resolveName();
        if (fault != null) {
            reject(index, fault, name, faultDetail);
        } else if (baseVersion > SUPPORTED_VERSION) {
            reject(index, Rejections.UNSUPPORTED_FIELD, name,
                    "bver " + baseVersion + " is newer than " + SUPPORTED_VERSION);
        } else if (mustUnderstand != null) {
            reject(index, Rejections.UNSUPPORTED_FIELD, name,
                    "must-understand field " + Rejections.cut(mustUnderstand) + " is not supported");
        } else if (baseNameBrokenAt != NOT_BROKEN) {
            rejectInherited(index, name, "bn", baseNameBrokenAt);
        } else if (baseTimeBrokenAt != NOT_BROKEN) {
            rejectInherited(index, name, "bt", baseTimeBrokenAt);
        } else if (baseVersionBrokenAt != NOT_BROKEN) {
            rejectInherited(index, name, "bver", baseVersionBrokenAt);
        } else if (valueField == Field.V && baseValueBrokenAt != NOT_BROKEN) {
            rejectInherited(index, name, "bv", baseValueBrokenAt);
        } else if (unit == null && baseUnitBrokenAt != NOT_BROKEN) {
            rejectInherited(index, name, "bu", baseUnitBrokenAt);
        } else if (!SenmlNames.isValid(scratch, resolvedLength)) {
            reject(index, Rejections.INVALID_NAME, name,
                    resolvedLength == 0 ? "the resolved name is empty" : "the resolved name breaks RFC 8428 §4.5.1");
        } else if (valueField == null) {
            reject(index, Rejections.NO_VALUE, name,
                    hasSum ? "only a sum (s), which is not stored" : "no v, vs or vb");
        } else if (valueField == Field.VD) {
            reject(index, Rejections.UNSUPPORTED_VALUE, name, "data values (vd) are not supported");
        } else {
            long epochMicros = SenmlTime.resolve(baseTime, time, nowEpochMicros);
            if (epochMicros == SenmlTime.INVALID) {
                reject(index, Rejections.INVALID_TIME, name, "the resolved time " + (baseTime + time)
                        + " s is not between 1970 and 9999");
            } else {
                accept(index, name, epochMicros);
            }
        }
    }

    private void accept(int index, String name, long epochMicros) {
        String resolvedUnit = unit != null ? unit : baseUnit;
        switch (valueField) {
            case V -> {
                double value = baseValue + number;
                if (Double.isFinite(value)) {
                    records.add(new SenmlRecord(index, name, epochMicros, resolvedUnit, ValueKind.NUMBER, value, null));
                } else {
                    reject(index, Rejections.MALFORMED_RECORD, name, "the resolved value is not finite");
                }
            }
            case VB -> records.add(new SenmlRecord(index, name, epochMicros, resolvedUnit, ValueKind.BOOLEAN,
                    bool ? 1.0 : 0.0, null));
            case VS -> records.add(new SenmlRecord(index, name, epochMicros, resolvedUnit, ValueKind.STRING,
                    Double.NaN, text));
            default -> throw new IllegalStateException("unexpected value field " + valueField);
        }
    }

    // RFC 8428 §4.6: base fields apply to their own record and the following ones.
    private void applyBaseFields(int index) {
        if (recBaseName != null) {
            baseName = recBaseName;
            baseNameBrokenAt = NOT_BROKEN;
        } else if (recBaseNameBad) {
            baseNameBrokenAt = index;
        }
        if (hasRecBaseTime) {
            baseTime = recBaseTime;
            baseTimeBrokenAt = NOT_BROKEN;
        } else if (recBaseTimeBad) {
            baseTimeBrokenAt = index;
        }
        if (recBaseUnit != null) {
            baseUnit = recBaseUnit;
            baseUnitBrokenAt = NOT_BROKEN;
        } else if (recBaseUnitBad) {
            baseUnitBrokenAt = index;
        }
        if (hasRecBaseValue) {
            baseValue = recBaseValue;
            baseValueBrokenAt = NOT_BROKEN;
        } else if (recBaseValueBad) {
            baseValueBrokenAt = index;
        }
        if (hasRecBaseVersion) {
            baseVersion = recBaseVersion;
            baseVersionBrokenAt = NOT_BROKEN;
        } else if (recBaseVersionBad) {
            baseVersionBrokenAt = index;
        }
    }

    /**
     * Assembles bn + n into {@code scratch[0, resolvedLength)} and returns it as a String, or
     * {@code null} when bn is unusable. One String per record at most, none when n is absent.
     */
    private String resolveName() {
        resolvedLength = 0;
        if (baseNameBrokenAt != NOT_BROKEN) {
            return null;
        }
        int baseLength = baseName == null ? 0 : baseName.length();
        int total = baseLength + (hasName ? nLength : 0);
        if (scratch.length < total) {
            scratch = new char[Math.max(total, scratch.length * 2)];
        }
        if (baseLength > 0) {
            baseName.getChars(0, baseLength, scratch, 0);
        }
        if (hasName) {
            System.arraycopy(nameChars, 0, scratch, baseLength, nLength);
        }
        resolvedLength = total;
        if (!hasName) {
            return baseName == null ? "" : baseName;
        }
        return new String(scratch, 0, total);
    }

    private void copyName() throws IOException {
        int length = parser.getTextLength();
        if (nameChars.length < length) {
            nameChars = new char[Math.max(length, nameChars.length * 2)];
        }
        System.arraycopy(parser.getTextCharacters(), parser.getTextOffset(), nameChars, 0, length);
        nLength = length;
        hasName = true;
    }

    private void readVersion(JsonToken token) throws IOException {
        if (token != VALUE_NUMBER_INT) {
            wrongType("bver", "an integer");
            recBaseVersionBad = true;
            return;
        }
        JsonParser.NumberType type = parser.getNumberType();
        // A version too large for a long is still just "newer than 10".
        long version = type == JsonParser.NumberType.BIG_INTEGER ? Long.MAX_VALUE : parser.getLongValue();
        if (version < 1) {
            malformed("bver must be a positive integer");
            recBaseVersionBad = true;
            return;
        }
        hasRecBaseVersion = true;
        recBaseVersion = version;
    }

    private void countValue(Field field) {
        if (++valueFields > 1) {
            malformed("more than one value field among v, vs, vb and vd");
        }
        valueField = field;
    }

    private boolean isString(JsonToken token, String label) throws IOException {
        if (token == VALUE_STRING) {
            return true;
        }
        wrongType(label, "a string");
        return false;
    }

    private boolean isNumber(JsonToken token, String label) throws IOException {
        if (token == VALUE_NUMBER_FLOAT || token == VALUE_NUMBER_INT) {
            return true;
        }
        wrongType(label, "a number");
        return false;
    }

    private void wrongType(String label, String expected) throws IOException {
        malformed(label + " must be " + expected);
        parser.skipChildren();
    }

    private void malformed(String detail) {
        if (fault == null) {
            fault = Rejections.MALFORMED_RECORD;
            faultDetail = detail;
        }
    }

    private void rejectInherited(int index, String name, String label, int brokenAt) {
        reject(index, Rejections.MALFORMED_RECORD, name,
                "relies on " + label + ", which record " + brokenAt + " gave with the wrong type");
    }

    private void reject(int index, String reason, String name, String detail) {
        if (rejected.isEmpty()) {
            rejected = new ArrayList<>(4);
        }
        rejected.add(new SenmlRejection(index, reason, Rejections.cut(name), Rejections.cut(detail)));
    }

    private Field field(String label) {
        Field field = valueOf(label);
        if (field == Field.UNKNOWN && integerLabels) {
            field = integerLabel(label);
        }
        if (field == Field.UNKNOWN && label.endsWith("_")) {
            return Field.MUST_UNDERSTAND;
        }
        return field;
    }

    // Field names of RFC 8428 §4.1 / §4.2 (JSON labels, also accepted in CBOR maps).
    private static Field valueOf(String label) {
        return switch (label) {
            case "bn" -> Field.BN;
            case "bt" -> Field.BT;
            case "bu" -> Field.BU;
            case "bv" -> Field.BV;
            case "bs" -> Field.BS;
            case "bver" -> Field.BVER;
            case "n" -> Field.N;
            case "u" -> Field.U;
            case "v" -> Field.V;
            case "vs" -> Field.VS;
            case "vb" -> Field.VB;
            case "vd" -> Field.VD;
            case "s" -> Field.S;
            case "t" -> Field.T;
            case "ut" -> Field.UT;
            default -> Field.UNKNOWN;
        };
    }

    // CBOR integer labels, RFC 8428 §6 table 4; Jackson hands them over as decimal text.
    private static Field integerLabel(String label) {
        return switch (label) {
            case "-1" -> Field.BVER;
            case "-2" -> Field.BN;
            case "-3" -> Field.BT;
            case "-4" -> Field.BU;
            case "-5" -> Field.BV;
            case "-16" -> Field.BS;
            case "0" -> Field.N;
            case "1" -> Field.U;
            case "2" -> Field.V;
            case "3" -> Field.VS;
            case "4" -> Field.VB;
            case "5" -> Field.S;
            case "6" -> Field.T;
            case "7" -> Field.UT;
            case "8" -> Field.VD;
            default -> Field.UNKNOWN;
        };
    }
}
