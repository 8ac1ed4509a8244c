package fr.gardien.rules.detect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Short cycling of a burner (or any on/off equipment): too many starts in a rolling hour wear the
 * ignition and the heat exchanger. The input is a 0/1 state such as {@code burner_on} (a value of
 * 0.5 or more counts as on); a start is a transition from off to on between two successive
 * readings. The first reading only establishes the state: a detector that starts on "on" has not
 * seen a start.
 *
 * <p>Condition: {@link Condition#TRUE} when the starts within the last hour, the window
 * {@code (t − 1 h, t]} at event time {@code t}, exceed {@code maxStartsPerHour} (exactly the limit is
 * {@link Condition#FALSE}); {@link Condition#UNKNOWN} before the first reading. Starts leave the
 * window as event time advances, with readings or with {@link #onTime(long)}.
 *
 * <p>Memory is bounded: only the last {@code maxStartsPerHour + 1} start times are kept, which is
 * all the condition needs. Figures: {@code starts_per_hour} (the starts in the last hour, at most
 * {@code limit + 1}: once above the limit it reads "at least"), {@code limit}, and, when two or more
 * starts are in the window, {@code minutes_between_starts} (their mean spacing, which still shows
 * how fast the burner cycles when the count saturates).
 */
public final class ShortCyclingDetector implements Detector {

    private static final long HOUR_MICROS = 3_600_000_000L;

    private final String input;
    private final int limit;
    /** Start times, oldest at {@code head}, in a ring of {@code limit + 1}. */
    private final long[] starts;
    private int head;
    private int size;

    /** -1 before the first reading, then 0 or 1. */
    private int lastState = -1;
    private long nowMicros = Long.MIN_VALUE;

    /**
     * @param input the role name of the on/off input (e.g. {@code burner})
     * @param maxStartsPerHour the most starts in a rolling hour that are still healthy; 0 or more
     */
    public ShortCyclingDetector(String input, int maxStartsPerHour) {
        if (input == null || input.isEmpty()) {
            throw new IllegalArgumentException("short cycling: input name is required");
        }
        if (maxStartsPerHour < 0 || maxStartsPerHour > 100_000) {
            throw new IllegalArgumentException("short cycling: maxStartsPerHour must be 0 to 100000 [maxStartsPerHour: "
                    + maxStartsPerHour + "]");
        }
        this.input = input;
        this.limit = maxStartsPerHour;
        this.starts = new long[maxStartsPerHour + 1];
    }

    /** A detector with the parameters above, resumed from a {@link #state()} snapshot. */
    public static ShortCyclingDetector restore(String input, int maxStartsPerHour, Map<String, Object> state) {
        ShortCyclingDetector d = new ShortCyclingDetector(input, maxStartsPerHour);
        d.lastState = (int) States.integer(state, "last_state", -1);
        d.nowMicros = States.integer(state, "now_micros", Long.MIN_VALUE);
        for (Number n : States.getNumbers(state, "starts")) {
            d.addStart(n.longValue());
        }
        return d;
    }

    @Override
    public Condition onReading(String input, long epochMicros, double value) {
        if (!this.input.equals(input)) {
            throw States.unknownInput(input, this.input);
        }
        if (Double.isNaN(value)) {
            return onTime(epochMicros);
        }
        int state = value >= 0.5 ? 1 : 0;
        if (lastState == 0 && state == 1) {
            addStart(epochMicros);
        }
        lastState = state;
        return onTime(epochMicros);
    }

    @Override
    public Condition onTime(long epochMicros) {
        if (epochMicros > nowMicros) {
            nowMicros = epochMicros;
        }
        long windowStart = nowMicros - HOUR_MICROS;
        // The window is (t − 1 h, t]: a start exactly one hour old has left it.
        while (size > 0 && starts[head] <= windowStart) {
            head = (head + 1) % starts.length;
            size--;
        }
        if (lastState < 0) {
            return Condition.UNKNOWN;
        }
        return size > limit ? Condition.TRUE : Condition.FALSE;
    }

    private void addStart(long epochMicros) {
        if (size == starts.length) {
            head = (head + 1) % starts.length;
            size--;
        }
        starts[(head + size) % starts.length] = epochMicros;
        size++;
    }

    @Override
    public Map<String, Double> figures() {
        Map<String, Double> f = new HashMap<>();
        f.put("starts_per_hour", (double) size);
        f.put("limit", (double) limit);
        if (size >= 2) {
            long oldest = starts[head];
            long newest = starts[(head + size - 1) % starts.length];
            f.put("minutes_between_starts", (newest - oldest) / 60e6 / (size - 1));
        }
        return Map.copyOf(f);
    }

    @Override
    public Detector copy() {
        ShortCyclingDetector d = new ShortCyclingDetector(input, limit);
        System.arraycopy(starts, 0, d.starts, 0, starts.length);
        d.head = head;
        d.size = size;
        d.lastState = lastState;
        d.nowMicros = nowMicros;
        return d;
    }

    @Override
    public Map<String, Object> state() {
        Map<String, Object> s = new HashMap<>();
        s.put("last_state", (long) lastState);
        if (nowMicros != Long.MIN_VALUE) {
            s.put("now_micros", nowMicros);
        }
        List<Long> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(starts[(head + i) % starts.length]);
        }
        s.put("starts", list);
        return s;
    }
}
