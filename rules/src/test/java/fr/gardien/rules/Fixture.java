package fr.gardien.rules;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A small portfolio (a boiler, a weather station, a water meter) and rule-file helpers. */
final class Fixture {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final long MINUTE = 60_000_000L;
    static final int SUPPLY = 1;
    static final int RETURN = 2;
    static final int FLOW = 3;
    static final int OUTDOOR = 9;

    static final EquipmentBinding BOILER = new EquipmentBinding("tilleuls", PARIS, "boiler-1", "boiler",
            Map.of("supply_temp", SUPPLY, "return_temp", RETURN));
    static final EquipmentBinding WEATHER = new EquipmentBinding("tilleuls", PARIS, "meteo", "weather",
            Map.of("outdoor_temp", OUTDOOR));
    static final EquipmentBinding METER = new EquipmentBinding("tilleuls", PARIS, "water-1", "water-meter",
            Map.of("flow", FLOW));

    private Fixture() {
    }

    /** One rule file of the given rules, each given by its lines after {@code - id: ...}. */
    static RuleSet rules(String yaml) {
        try {
            return RuleSetLoader.parse(yaml, "test.yaml");
        } catch (RuleSetException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    static RuleEngine engine(String yaml, Duration lateness) {
        return new RuleEngine(rules(yaml), List.of(BOILER, WEATHER, METER), lateness);
    }

    static long local(String isoLocal) {
        Instant at = LocalDateTime.parse(isoLocal).atZone(PARIS).toInstant();
        return at.getEpochSecond() * 1_000_000L;
    }

    static long micros(Instant at) {
        return at.getEpochSecond() * 1_000_000L + at.getNano() / 1000;
    }

    /** A reading to feed. */
    record In(int point, long t, double v) {
    }

    static List<RuleSignal> feed(RuleEngine engine, List<In> readings) {
        List<RuleSignal> out = new ArrayList<>();
        for (In in : readings) {
            engine.onReading(in.point, in.t, in.v, out::add);
        }
        return out;
    }

    /** What two runs must agree on: kind, times, figures and texts. */
    static List<String> essentials(List<RuleSignal> signals) {
        List<String> out = new ArrayList<>();
        for (RuleSignal s : signals) {
            out.add(s.kind() + " " + s.ruleId() + " " + s.equipment() + " at " + s.at() + " from "
                    + s.explanation().from() + " " + new java.util.TreeMap<>(s.explanation().figures()) + " | "
                    + s.explanation().summaryFr() + " | " + s.explanation().summaryEn());
        }
        return out;
    }
}
