package fr.gardien.rules.detect;

import java.util.HashMap;
import java.util.Map;

/**
 * Supply temperature below the heating curve in cold weather: no heat, or a curve that has
 * drifted. The expected supply temperature is the straight line through
 * {@code (outdoorA, supplyA)} and {@code (outdoorB, supplyB)}, with the outdoor temperature clamped
 * to {@code [min(outdoorA, outdoorB), max(outdoorA, outdoorB)]} so the expectation never leaves the
 * curve's two end points. Each evaluation uses the latest reading of each input.
 *
 * <p>Condition, after every reading and every {@link #onTime(long)}:
 * {@link Condition#UNKNOWN} when either input has no reading yet or its latest reading is more than
 * one hour old (an outdoor probe gone offline must not be read as a fault of the boiler; the
 * missing-data rule reports it); {@link Condition#FALSE} when the outdoor temperature is not below
 * {@code outdoorBelow} (no heating expected) or the supply is at most {@code maxDeviation} below the
 * expectation; {@link Condition#TRUE} when {@code expected − supply > maxDeviation}.
 *
 * <p>Figures: {@code value} (the supply, °C), {@code expected} (°C), {@code outdoor} (°C),
 * {@code deviation} ({@code expected − supply}, K: positive means below the curve).
 */
public final class HeatingCurveDetector implements Detector {

    /** How old an input's latest reading may be and still count. */
    static final long MAX_AGE_MICROS = 3_600_000_000L;

    private final String supply;
    private final String outdoor;
    private final double outdoorLow;
    private final double outdoorHigh;
    private final double outdoorA;
    private final double supplyA;
    private final double slope;
    private final double maxDeviation;
    private final double outdoorBelow;

    private long supplyMicros = Long.MIN_VALUE;
    private double supplyValue = Double.NaN;
    private long outdoorMicros = Long.MIN_VALUE;
    private double outdoorValue = Double.NaN;

    /**
     * @param supply the role name of the supply temperature input (°C)
     * @param outdoor the role name of the outdoor temperature input (°C)
     * @param outdoorA outdoor temperature of the curve's first point, °C (e.g. −10)
     * @param supplyA supply temperature expected at {@code outdoorA}, °C (e.g. 75)
     * @param outdoorB outdoor temperature of the curve's second point, °C (e.g. 15); not {@code outdoorA}
     * @param supplyB supply temperature expected at {@code outdoorB}, °C (e.g. 35)
     * @param maxDeviation how far below the curve the supply may be, K; 0 or more
     * @param outdoorBelow the outdoor temperature, °C, below which heating is expected (e.g. 15)
     */
    public HeatingCurveDetector(String supply, String outdoor, double outdoorA, double supplyA, double outdoorB,
            double supplyB, double maxDeviation, double outdoorBelow) {
        if (supply == null || outdoor == null || supply.isEmpty() || outdoor.isEmpty() || supply.equals(outdoor)) {
            throw new IllegalArgumentException("heating curve: two distinct input names are required");
        }
        if (!Double.isFinite(outdoorA) || !Double.isFinite(outdoorB) || !Double.isFinite(supplyA)
                || !Double.isFinite(supplyB) || outdoorA == outdoorB) {
            throw new IllegalArgumentException("heating curve: two points with different outdoor temperatures are required"
                    + " [outdoorA: " + outdoorA + ", outdoorB: " + outdoorB + "]");
        }
        if (!(maxDeviation >= 0) || !Double.isFinite(maxDeviation) || !Double.isFinite(outdoorBelow)) {
            throw new IllegalArgumentException("heating curve: maxDeviation must be 0 or more and outdoorBelow finite"
                    + " [maxDeviation: " + maxDeviation + ", outdoorBelow: " + outdoorBelow + "]");
        }
        this.supply = supply;
        this.outdoor = outdoor;
        this.outdoorLow = Math.min(outdoorA, outdoorB);
        this.outdoorHigh = Math.max(outdoorA, outdoorB);
        this.outdoorA = outdoorA;
        this.supplyA = supplyA;
        this.slope = (supplyB - supplyA) / (outdoorB - outdoorA);
        this.maxDeviation = maxDeviation;
        this.outdoorBelow = outdoorBelow;
    }

    /** A detector with the parameters above, resumed from a {@link #state()} snapshot. */
    public static HeatingCurveDetector restore(String supply, String outdoor, double outdoorA, double supplyA,
            double outdoorB, double supplyB, double maxDeviation, double outdoorBelow, Map<String, Object> state) {
        HeatingCurveDetector d = new HeatingCurveDetector(supply, outdoor, outdoorA, supplyA, outdoorB, supplyB,
                maxDeviation, outdoorBelow);
        if (States.has(state, "supply_micros") && States.has(state, "supply_value")) {
            d.supplyMicros = States.integer(state, "supply_micros", Long.MIN_VALUE);
            d.supplyValue = States.number(state, "supply_value", Double.NaN);
        }
        if (States.has(state, "outdoor_micros") && States.has(state, "outdoor_value")) {
            d.outdoorMicros = States.integer(state, "outdoor_micros", Long.MIN_VALUE);
            d.outdoorValue = States.number(state, "outdoor_value", Double.NaN);
        }
        return d;
    }

    /** The supply temperature the curve expects at {@code outdoorTemp}, °C. */
    public double expectedSupply(double outdoorTemp) {
        double clamped = Math.min(outdoorHigh, Math.max(outdoorLow, outdoorTemp));
        return supplyA + slope * (clamped - outdoorA);
    }

    @Override
    public Condition onReading(String input, long epochMicros, double value) {
        if (supply.equals(input)) {
            if (Double.isFinite(value)) {
                supplyMicros = epochMicros;
                supplyValue = value;
            }
        } else if (outdoor.equals(input)) {
            if (Double.isFinite(value)) {
                outdoorMicros = epochMicros;
                outdoorValue = value;
            }
        } else {
            throw States.unknownInput(input, supply + ", " + outdoor);
        }
        return onTime(epochMicros);
    }

    @Override
    public Condition onTime(long epochMicros) {
        if (Double.isNaN(supplyValue) || Double.isNaN(outdoorValue)
                || epochMicros - supplyMicros > MAX_AGE_MICROS || epochMicros - outdoorMicros > MAX_AGE_MICROS) {
            return Condition.UNKNOWN;
        }
        double expected = expectedSupply(outdoorValue);
        if (outdoorValue >= outdoorBelow) {
            return Condition.FALSE;
        }
        return expected - supplyValue > maxDeviation ? Condition.TRUE : Condition.FALSE;
    }

    @Override
    public Map<String, Double> figures() {
        Map<String, Double> f = new HashMap<>();
        States.putFigure(f, "value", supplyValue);
        States.putFigure(f, "outdoor", outdoorValue);
        double e = Double.isNaN(outdoorValue) ? Double.NaN : expectedSupply(outdoorValue);
        States.putFigure(f, "expected", e);
        States.putFigure(f, "deviation", e - supplyValue);
        return Map.copyOf(f);
    }

    @Override
    public Detector copy() {
        return new HeatingCurveDetector(this);
    }

    /** A copy of {@code o}: same parameters, same state. */
    private HeatingCurveDetector(HeatingCurveDetector o) {
        this.supply = o.supply;
        this.outdoor = o.outdoor;
        this.outdoorLow = o.outdoorLow;
        this.outdoorHigh = o.outdoorHigh;
        this.outdoorA = o.outdoorA;
        this.supplyA = o.supplyA;
        this.slope = o.slope;
        this.maxDeviation = o.maxDeviation;
        this.outdoorBelow = o.outdoorBelow;
        this.supplyMicros = o.supplyMicros;
        this.supplyValue = o.supplyValue;
        this.outdoorMicros = o.outdoorMicros;
        this.outdoorValue = o.outdoorValue;
    }

    @Override
    public Map<String, Object> state() {
        Map<String, Object> s = new HashMap<>();
        if (!Double.isNaN(supplyValue)) {
            s.put("supply_micros", supplyMicros);
            s.put("supply_value", supplyValue);
        }
        if (!Double.isNaN(outdoorValue)) {
            s.put("outdoor_micros", outdoorMicros);
            s.put("outdoor_value", outdoorValue);
        }
        return s;
    }
}
