package fr.gardien.rules.detect;

import java.util.HashMap;
import java.util.Map;

/**
 * Wear measured by a cumulative counter since the last maintenance: lift {@code door_cycles},
 * {@code trips}, burner hours. The increase is the sum of the successive non-negative differences
 * of the counter, so a counter that goes down (reset, replaced meter, rollover) never produces a
 * negative or a huge jump: counting simply resumes from the new value (the increase between the
 * last reading before the reset and the reset itself is not known and not counted).
 *
 * <p>Condition: {@link Condition#TRUE} once the increase since the last maintenance reaches
 * {@code limit} ({@code >=}); {@link Condition#FALSE} below it; {@link Condition#UNKNOWN} before
 * the first reading. Time alone changes nothing.
 *
 * <p>Figures: {@code since_maintenance} (counter units), {@code limit}.
 */
public final class CounterWearDetector implements Detector {

    private final String input;
    private final double limit;

    private boolean hasLast;
    private double lastValue;
    private double sinceMaintenance;
    private long maintenanceMicros = Long.MIN_VALUE;

    /**
     * @param input the role name of the counter input (e.g. {@code counter})
     * @param limit the increase since maintenance, in the counter's unit (cycles, hours), at which
     *     maintenance is due; must be positive
     */
    public CounterWearDetector(String input, double limit) {
        if (input == null || input.isEmpty()) {
            throw new IllegalArgumentException("counter wear: input name is required");
        }
        if (!(limit > 0) || Double.isInfinite(limit)) {
            throw new IllegalArgumentException("counter wear: limit must be a positive number [limit: " + limit + "]");
        }
        this.input = input;
        this.limit = limit;
    }

    /** A detector with the parameters above, resumed from a {@link #state()} snapshot. */
    public static CounterWearDetector restore(String input, double limit, Map<String, Object> state) {
        CounterWearDetector d = new CounterWearDetector(input, limit);
        if (States.has(state, "last_value")) {
            d.hasLast = true;
            d.lastValue = States.number(state, "last_value", 0);
        }
        d.sinceMaintenance = Math.max(0, States.number(state, "since_maintenance", 0));
        d.maintenanceMicros = States.integer(state, "maintenance_micros", Long.MIN_VALUE);
        return d;
    }

    @Override
    public Condition onReading(String input, long epochMicros, double value) {
        if (!this.input.equals(input)) {
            throw States.unknownInput(input, this.input);
        }
        if (!Double.isFinite(value)) {
            return condition();
        }
        if (hasLast && value > lastValue) {
            sinceMaintenance += value - lastValue;
        }
        // A lower value is a reset or a new meter: the new value becomes the baseline.
        hasLast = true;
        lastValue = value;
        return condition();
    }

    @Override
    public Condition onTime(long epochMicros) {
        return condition();
    }

    /**
     * Records a maintenance visit: the increase restarts from zero at the counter's current value.
     * When the visit is recorded after readings later than it have been seen, the increase
     * between the visit and those readings is not known separately and is not counted (the next
     * maintenance comes due slightly late rather than early).
     *
     * A visit not later than the last one recorded is ignored, so replaying a maintenance log is harmless.
     *
     * @param epochMicros when the maintenance was done, microseconds since the Unix epoch
     */
    public void maintenanceDone(long epochMicros) {
        if (epochMicros <= maintenanceMicros) {
            return;
        }
        sinceMaintenance = 0;
        maintenanceMicros = epochMicros;
    }

    private Condition condition() {
        if (!hasLast) {
            return Condition.UNKNOWN;
        }
        // >= is intentional: "reaches the limit".
        return sinceMaintenance >= limit ? Condition.TRUE : Condition.FALSE;
    }

    /** The increase since the last maintenance, in the counter's unit. */
    public double sinceMaintenance() {
        return sinceMaintenance;
    }

    @Override
    public Map<String, Double> figures() {
        return Map.of("since_maintenance", sinceMaintenance, "limit", limit);
    }

    @Override
    public Detector copy() {
        CounterWearDetector d = new CounterWearDetector(input, limit);
        d.hasLast = hasLast;
        d.lastValue = lastValue;
        d.sinceMaintenance = sinceMaintenance;
        d.maintenanceMicros = maintenanceMicros;
        return d;
    }

    @Override
    public Map<String, Object> state() {
        Map<String, Object> s = new HashMap<>();
        if (hasLast) {
            s.put("last_value", lastValue);
        }
        s.put("since_maintenance", sinceMaintenance);
        if (maintenanceMicros != Long.MIN_VALUE) {
            s.put("maintenance_micros", maintenanceMicros);
        }
        return s;
    }
}
