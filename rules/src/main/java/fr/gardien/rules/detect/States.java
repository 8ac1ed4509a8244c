package fr.gardien.rules.detect;

import java.util.List;
import java.util.Map;
import java.util.ArrayList;

/**
 * Reads detector state maps back after a snapshot went through JSON, where a {@code long} may
 * come back as an {@code Integer}, a {@code double} as an {@code Integer} or a {@code String}
 * ("NaN"), and an array as a {@code List}.
 */
public final class States {

    private States() {
    }

    public static double number(Map<String, Object> state, String key, double fallback) {
        Object value = state.get(key);
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }

    public static long integer(Map<String, Object> state, String key, long fallback) {
        Object value = state.get(key);
        return value instanceof Number n ? n.longValue() : fallback;
    }

    public static boolean flag(Map<String, Object> state, String key) {
        return Boolean.TRUE.equals(state.get(key));
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> nested(Map<String, Object> state, String key) {
        Object value = state.get(key);
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    public static long[] longs(Map<String, Object> state, String key) {
        Object value = state.get(key);
        if (value instanceof long[] a) {
            return a.clone();
        }
        if (value instanceof List<?> list) {
            long[] out = new long[list.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = ((Number) list.get(i)).longValue();
            }
            return out;
        }
        return new long[0];
    }

    public static double[] doubles(Map<String, Object> state, String key) {
        Object value = state.get(key);
        if (value instanceof double[] a) {
            return a.clone();
        }
        if (value instanceof List<?> list) {
            double[] out = new double[list.size()];
            for (int i = 0; i < out.length; i++) {
                Object item = list.get(i);
                out[i] = item instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(item));
            }
            return out;
        }
        return new double[0];
    }

    // Helpers of the trend detectors.


    static boolean has(Map<String, Object> state, String key) {
        return state.get(key) instanceof Number;
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
