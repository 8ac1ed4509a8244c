package fr.gardien.rules.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.rules.BuiltInCatalog;
import fr.gardien.rules.RuleDefinition;
import fr.gardien.rules.detect.Condition;
import fr.gardien.rules.detect.Detector;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Detector#copy()}, which the engine's late-reading checkpoints rely on: a copy taken at
 * any point answers the rest of the series exactly as the original does, and feeding one does not
 * change the other.
 */
class DetectorCopyTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final Instant FROM = Instant.parse("2025-01-05T23:00:00Z");

    /** Every detector of the catalog, on its fault and on healthy data, copied every 97 readings. */
    @Test
    void aCopyAnswersTheRestOfTheSeriesAsTheOriginal() {
        SyntheticBuilding building = new SyntheticBuilding(PARIS, 7);
        int copied = 0;
        for (RuleDefinition rule : BuiltInCatalog.load().rules()) {
            for (String type : rule.appliesTo()) {
                for (SyntheticBuilding.Fault fault : List.of(SyntheticBuilding.Fault.NONE, faultOf(rule.id()))) {
                    List<SyntheticBuilding.Sample> samples = building.readings(type, FROM, Duration.ofDays(9),
                            Duration.ofMinutes(5), fault, FROM.plus(Duration.ofDays(8)));
                    Map<String, String> roleOf = new HashMap<>();
                    rule.inputs().forEach((role, point) -> roleOf.put(point, role));
                    Detector original = rule.detectorFactory().create(PARIS);
                    if (original.copy() == null) {
                        continue;
                    }
                    for (int start = 0; start < samples.size(); start += 97) {
                        Detector d = rule.detectorFactory().create(PARIS);
                        Detector copy = null;
                        for (int i = 0; i < samples.size(); i++) {
                            SyntheticBuilding.Sample s = samples.get(i);
                            String role = roleOf.get(s.point());
                            if (role == null || !rule.detectorFactory().inputs().contains(role)) {
                                continue;
                            }
                            if (i >= start && copy == null) {
                                copy = d.copy();
                                copied++;
                                assertThat(comparable(copy.state())).as(rule.id()).isEqualTo(comparable(d.state()));
                            }
                            Condition a = d.onReading(role, s.epochMicros(), s.value());
                            if (copy != null) {
                                Condition b = copy.onReading(role, s.epochMicros(), s.value());
                                assertThat(b).as("%s %s at %d", rule.id(), type, i).isEqualTo(a);
                                Condition ta = d.onTime(s.epochMicros() + 60_000_000L);
                                Condition tb = copy.onTime(s.epochMicros() + 60_000_000L);
                                assertThat(tb).as("%s %s tick at %d", rule.id(), type, i).isEqualTo(ta);
                                assertThat(copy.figures()).isEqualTo(d.figures());
                            }
                        }
                        if (copy != null) {
                            assertThat(comparable(copy.state())).as(rule.id()).isEqualTo(comparable(d.state()));
                        }
                    }
                }
            }
        }
        assertThat(copied).isGreaterThan(1000);
    }

    /** The state with its arrays as text, so that equal states compare equal. */
    private static Map<String, Object> comparable(Map<String, Object> state) {
        Map<String, Object> out = new HashMap<>();
        state.forEach((k, v) -> out.put(k, v instanceof long[] a ? Arrays.toString(a)
                : v instanceof double[] a ? Arrays.toString(a)
                : v instanceof Map<?, ?> m ? comparable(cast(m)) : v));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private static SyntheticBuilding.Fault faultOf(String rule) {
        return switch (rule) {
            case "heating-no-heat" -> SyntheticBuilding.Fault.NO_HEAT;
            case "heating-production-stopped" -> SyntheticBuilding.Fault.BOILER_STOPPED;
            case "hot-water-storage-falling" -> SyntheticBuilding.Fault.HEATER_STOPPED;
            case "hot-water-storage-not-recovering" -> SyntheticBuilding.Fault.HEATER_STOPPED_LARGE_TANK;
            case "heating-delta-t-collapse" -> SyntheticBuilding.Fault.DELTA_T_COLLAPSE;
            case "heating-short-cycling" -> SyntheticBuilding.Fault.SHORT_CYCLING;
            case "heating-pressure-low", "heating-pressure-falling" -> SyntheticBuilding.Fault.PRESSURE_LEAK;
            case "heating-curve-drift" -> SyntheticBuilding.Fault.CURVE_DRIFT;
            case "hot-water-storage-cold" -> SyntheticBuilding.Fault.HOT_WATER_LOW;
            case "hot-water-loop-cold" -> SyntheticBuilding.Fault.LOOP_RETURN_LOW;
            case "lift-out-of-service" -> SyntheticBuilding.Fault.LIFT_STUCK;
            case "lift-door-maintenance-due" -> SyntheticBuilding.Fault.DOOR_WEAR;
            case "lift-doors-reopening" -> SyntheticBuilding.Fault.DOORS_REOPENING;
            case "ventilation-fan-stopped" -> SyntheticBuilding.Fault.FAN_STOPPED;
            case "ventilation-filter-clogging" -> SyntheticBuilding.Fault.FILTER_CLOGGING;
            case "water-night-flow", "water-flow-floor-raised" -> SyntheticBuilding.Fault.WATER_LEAK;
            case "lighting-left-on" -> SyntheticBuilding.Fault.LIGHTS_LEFT_ON;
            case "water-consumption-abnormal" -> SyntheticBuilding.Fault.ABNORMAL_CONSUMPTION;
            case "lighting-on-empty" -> SyntheticBuilding.Fault.LIGHTS_ON_EMPTY;
            case "climate-humidity-high" -> SyntheticBuilding.Fault.HUMIDITY_HIGH;
            case "sensor-flatline-hot-water" -> SyntheticBuilding.Fault.FLATLINE;
            case "sensor-impossible-hot-water", "sensor-impossible-heating" -> SyntheticBuilding.Fault.IMPOSSIBLE_VALUE;
            default -> SyntheticBuilding.Fault.SENSOR_OFFLINE;
        };
    }
}
