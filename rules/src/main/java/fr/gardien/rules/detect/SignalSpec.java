package fr.gardien.rules.detect;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a detector watches: one input of the rule ({@code signal: supply}) or a value derived
 * from several ({@code signal: {difference: [supply, return]}}, supply − return for a ΔT).
 * Immutable; {@link #create()} gives the per-instance {@link Signal}.
 */
public abstract class SignalSpec {

    private SignalSpec() {
    }

    /** The rule input itself. */
    public static SignalSpec input(String role) {
        return new InputSpec(role);
    }

    /** {@code minuend − subtrahend}, from the latest reading of each. */
    public static SignalSpec difference(String minuend, String subtrahend) {
        return new DifferenceSpec(minuend, subtrahend);
    }

    /** The input roles the signal reads. */
    public abstract Set<String> inputs();

    /** Names of the figures the signal adds to a detector's explanation (its inputs' roles). */
    public Set<String> figureNames() {
        return inputs();
    }

    /** The signal's figure names followed by a detector's own, in that order (for summary placeholders). */
    public Set<String> figureNamesWith(String... detectorFigures) {
        Set<String> names = new LinkedHashSet<>(figureNames());
        names.addAll(List.of(detectorFigures));
        return names;
    }

    public abstract Signal create();

    /** The per-instance, mutable side of a signal: the latest value derived from the readings. */
    public abstract static class Signal {

        private Signal() {
        }

        /**
         * Takes a reading of one of the rule's inputs.
         *
         * @return {@code true} when the signal has a new value
         */
        public abstract boolean accept(String role, double value);

        /** The current value, NaN until defined. */
        public abstract double value();

        /** Adds the signal's inputs as figures, by role name. */
        public abstract void figures(Map<String, Double> out);

        public abstract Map<String, Object> state();

        public abstract void restore(Map<String, Object> state);

        /** Takes over the latest value(s) of {@code other}, a signal of the same spec. */
        public abstract void copyFrom(Signal other);
    }

    private static final class InputSpec extends SignalSpec {
        private final String role;

        InputSpec(String role) {
            this.role = role;
        }

        @Override
        public Set<String> inputs() {
            return Set.of(role);
        }

        @Override
        public Signal create() {
            return new Signal() {
                private double value = Double.NaN;

                @Override
                public boolean accept(String input, double reading) {
                    if (!role.equals(input)) {
                        return false;
                    }
                    value = reading;
                    return true;
                }

                @Override
                public double value() {
                    return value;
                }

                @Override
                public void figures(Map<String, Double> out) {
                    if (!Double.isNaN(value)) {
                        out.put(role, value);
                    }
                }

                @Override
                public Map<String, Object> state() {
                    return Map.of("v", value);
                }

                @Override
                public void restore(Map<String, Object> state) {
                    value = States.number(state, "v", Double.NaN);
                }

                @Override
                public void copyFrom(Signal other) {
                    value = other.value();
                }
            };
        }
    }

    private static final class DifferenceSpec extends SignalSpec {
        private final String minuend;
        private final String subtrahend;

        DifferenceSpec(String minuend, String subtrahend) {
            this.minuend = minuend;
            this.subtrahend = subtrahend;
        }

        @Override
        public Set<String> inputs() {
            Set<String> roles = new LinkedHashSet<>();
            roles.add(minuend);
            roles.add(subtrahend);
            return roles;
        }

        @Override
        public Signal create() {
            return new DifferenceSignal();
        }

        private final class DifferenceSignal extends Signal {
                private double a = Double.NaN;
                private double b = Double.NaN;

                @Override
                public boolean accept(String input, double reading) {
                    if (minuend.equals(input)) {
                        a = reading;
                    } else if (subtrahend.equals(input)) {
                        b = reading;
                    } else {
                        return false;
                    }
                    return !Double.isNaN(a) && !Double.isNaN(b);
                }

                @Override
                public double value() {
                    return a - b;
                }

                @Override
                public void figures(Map<String, Double> out) {
                    if (!Double.isNaN(a)) {
                        out.put(minuend, a);
                    }
                    if (!Double.isNaN(b)) {
                        out.put(subtrahend, b);
                    }
                }

                @Override
                public Map<String, Object> state() {
                    return Map.of("a", a, "b", b);
                }

                @Override
                public void restore(Map<String, Object> state) {
                    a = States.number(state, "a", Double.NaN);
                    b = States.number(state, "b", Double.NaN);
                }

                @Override
                public void copyFrom(Signal other) {
                    DifferenceSignal o = (DifferenceSignal) other;
                    a = o.a;
                    b = o.b;
                }
        }
    }
}
