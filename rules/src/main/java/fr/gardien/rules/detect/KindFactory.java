package fr.gardien.rules.detect;

import java.time.Duration;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;

/**
 * The factory of every detector kind: what a kind's {@code configure} validated, as the inputs and
 * figures its detectors have, how long they watch before they can say TRUE, and two functions of
 * the site's zone that make a detector afresh or from a saved state.
 */
record KindFactory(Set<String> inputs, Set<String> figureNames, Create maker, Restore restorer, Duration minimumSpan)
        implements DetectorFactory {

    KindFactory(Set<String> inputs, Set<String> figureNames, Create maker, Restore restorer) {
        this(inputs, figureNames, maker, restorer, Duration.ZERO);
    }

    interface Create {
        Detector create(ZoneId zone);
    }

    interface Restore {
        Detector restore(ZoneId zone, Map<String, Object> state);
    }

    /** {@code micros} microseconds, as a {@link #minimumSpan()}. */
    static Duration micros(long micros) {
        return Duration.of(micros, ChronoUnit.MICROS);
    }

    @Override
    public Detector create() {
        return maker.create(ZoneId.of("UTC"));
    }

    @Override
    public Detector create(ZoneId zone) {
        return maker.create(zone);
    }

    @Override
    public Detector restore(Map<String, Object> state) {
        return restorer.restore(ZoneId.of("UTC"), state);
    }

    @Override
    public Detector restore(ZoneId zone, Map<String, Object> state) {
        return restorer.restore(zone, state);
    }
}
