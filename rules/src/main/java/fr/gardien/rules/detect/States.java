package fr.gardien.rules.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes detector snapshots. A snapshot holds only JSON-friendly values ({@link Long},
 * {@link Double}, {@link Boolean}, lists of numbers) so that it survives a round trip through
 * JSON, where a {@code long} may come back as an {@code Integer} and a whole {@code double} as a
 * {@code Long}: every reader here accepts any {@link Number}. An absent key means "not set",
 * never NaN (JSON has no NaN).
 */
final class States {

    private States() {
    }

    static boolean has(Map<String, Object> state, String key) {
        return state.get(key) instanceof Number;
    }

    static double getDouble(Map<String, Object> state, String key, double absent) {
        return state.get(key) instanceof Number n ? n.doubleValue() : absent;
    }

    static long getLong(Map<String, Object> state, String key, long absent) {
        return state.get(key) instanceof Number n ? n.longValue() : absent;
    }

    static boolean getBoolean(Map<String, Object> state, String key) {
        return Boolean.TRUE.equals(state.get(key));
    }

    /** The numbers of a list entry; an empty list when absent or not a list of numbers. */
    static List<Number> getNumbers(Map<String, Object> state, String key) {
        if (!(state.get(key) instanceof List<?> list)) {
            return List.of();
        }
        List<Number> numbers = new ArrayList<>(list.size());
        for (Object o : list) {
            if (o instanceof Number n) {
                numbers.add(n);
            }
        }
        return numbers;
    }

    static Condition getCondition(Map<String, Object> state, String key) {
        return state.get(key) instanceof String s ? Condition.valueOf(s) : Condition.UNKNOWN;
    }

    static void putState(Map<String, Object> state, String key, double value) {
        if (!Double.isNaN(value)) {
            state.put(key, value);
        }
    }

    /** Adds a figure unless it is NaN (not known). */
    static void putFigure(Map<String, Double> figures, String key, double value) {
        if (!Double.isNaN(value)) {
            figures.put(key, value);
        }
    }

    /** The error for a reading of an input the detector does not have: a wiring defect, reported loudly. */
    static IllegalArgumentException unknownInput(String input, String expected) {
        return new IllegalArgumentException("unknown input [input: " + input + ", expected: " + expected + "]");
    }
}
