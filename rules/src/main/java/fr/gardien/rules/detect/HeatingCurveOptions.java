package fr.gardien.rules.detect;

/**
 * The options of a {@link HeatingCurveDetector} beyond the curve, all off by default (issue 16).
 * {@code setbackFrom}/{@code setbackTo} are local minutes of the day ({@code to} exclusive, before
 * {@code from} across midnight); both −1 for every hour. {@code cooling} is {@code null} when the
 * supply's fall is not judged.
 */
record HeatingCurveOptions(double setback, int setbackFrom, int setbackTo, double floor, long averageMicros,
        double hysteresis, int historyDays, double historyMargin, double ignoreBelow, Cooling cooling) {

    static final HeatingCurveOptions NONE = new HeatingCurveOptions(0, -1, -1, Double.NaN, 0, 0, 0, 0,
            Double.NEGATIVE_INFINITY, null);

    /** Whether the setback allowance applies at local {@code minuteOfDay}. */
    boolean setbackAt(int minuteOfDay) {
        if (setback == 0) {
            return false;
        }
        if (setbackFrom < 0) {
            return true;
        }
        return setbackFrom < setbackTo ? minuteOfDay >= setbackFrom && minuteOfDay < setbackTo
                : minuteOfDay >= setbackFrom || minuteOfDay < setbackTo;
    }

    /**
     * The supply's fall judged by Newton's law of cooling (issue 16): with no heat produced, the
     * circuit's water gives its heat to the rooms and its excess over them decays exponentially,
     * {@code dT/dt = -(T - toward) / tau}. A fall at rate {@code r} at an excess {@code E} is the
     * circuit's own cooling with {@code tau = E / r}; continued for {@code horizonMicros} it leaves
     * {@code toward + E exp(-horizon r / E)}. That projection is judged as the supply when the fall
     * can only be a stop: {@code tau} no longer than {@code slowestMicros} (a slower fall is the
     * weather's or a controller's), a fitted fall of at least {@code leastFall} K across the window
     * (more than a burner's swing), and, inside the setback hours, never below the highest
     * quarter-hour mean of the last hour less the setback allowance (a setback explains a fall of
     * that much, not more).
     */
    record Cooling(double toward, long horizonMicros, long slowestMicros, double leastFall) {
    }
}
