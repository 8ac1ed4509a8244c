package fr.gardien.rules.catalog;

import fr.gardien.rules.BuiltInCatalog;
import fr.gardien.rules.EquipmentBinding;
import fr.gardien.rules.RuleEngine;
import fr.gardien.rules.RuleSignal;
import fr.gardien.rules.catalog.CatalogFaultsTest.Equip;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One simulated site of a chosen building variant (issue 16), for the catalog's scenario tests: a
 * heating installation on its own heating curve and night setback (a boiler with a burner, or a
 * district-heat substation without one), its outdoor probe on it or on a site-level
 * {@code weather} equipment, a hot-water tank of a given size, a lift in a busier or quieter
 * building, and the common-area electricity of a smaller or larger building. Independent of the
 * device simulator, like {@link SyntheticBuilding}: small physical models, every parameter explicit.
 */
final class VariantSite {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final String SITE = "variant";
    static final Duration STEP = Duration.ofMinutes(3);

    /** A heating installation: its type, where its outdoor probe is, its curve and setback. */
    record Heating(String type, boolean weatherOnSite, double supplyAtMinus7, double supplyAt20, double minSupply,
            double setback, int setbackFrom, int setbackTo) {

        double slope() {
            return (supplyAtMinus7 - supplyAt20) / 27;
        }

        /** The supply the controller asks for at outdoor temperature {@code o} and local hour {@code h}. */
        double target(double o, double h) {
            boolean inSetback = setback > 0 && o < 15
                    && (setbackFrom < setbackTo ? h >= setbackFrom && h < setbackTo : h >= setbackFrom || h < setbackTo);
            return Math.max(minSupply, Math.min(85, supplyAt20 + slope() * (20 - o) - (inSetback ? setback : 0)));
        }

        String label() {
            return type + (weatherOnSite ? ", outdoor on the site's weather" : ", outdoor on the " + type) + ", "
                    + Math.round(supplyAtMinus7) + " °C at -7 °C, "
                    + (setback == 0 ? "no setback" : Math.round(setback) + " K setback " + setbackFrom + "-" + setbackTo + " h");
        }
    }

    /** What goes wrong with the heating from the fault's start. */
    enum HeatingFault { NONE, SUPPLY_AT, DEFICIT, STOPPED, DELTA_T_COLLAPSE }

    /** A fault of the heating: its kind, its size (°C for SUPPLY_AT, K for DEFICIT), its span. */
    record HeatingScenario(HeatingFault fault, double size, Instant start, Instant end) {
        static HeatingScenario healthy() {
            return new HeatingScenario(HeatingFault.NONE, 0, Instant.MAX, Instant.MAX);
        }

        boolean at(Instant t) {
            return fault != HeatingFault.NONE && !t.isBefore(start) && t.isBefore(end);
        }
    }

    /** A reading of one point, by id. */
    private record In(long t, int point, double value) {
    }

    /** A burst of missing data: nothing of the equipment arrives during [from, to). */
    private record Silence(String equipment, Instant from, Instant to) {
    }

    private final List<Equip> equipment = new ArrayList<>();
    private final List<Silence> silences = new ArrayList<>();
    private final Map<String, Integer> ids = new LinkedHashMap<>();
    private final Map<String, Generator> generators = new HashMap<>();
    private final Random random;
    private Instant tankPassed55;
    private double circuitTau = 20;
    private boolean setbackCools;

    /** Readings of one equipment at one time: point name → value (absent points are not sent). */
    interface Generator {
        Map<String, Double> at(Instant t);
    }

    VariantSite(long seed) {
        this.random = new Random(seed);
    }

    private void add(String id, String type, List<String> points, Generator generator) {
        equipment.add(new Equip(id, type, points));
        for (String p : points) {
            ids.put(id + "/" + p, 100 + ids.size());
        }
        generators.put(id, generator);
    }

    static double localHour(Instant t) {
        ZonedDateTime z = t.atZone(PARIS);
        return z.getHour() + z.getMinute() / 60.0;
    }

    /**
     * The heating circuit's cooling time constant, min (20 unless set): how fast its water cools
     * toward the rooms' 20 °C with no heat produced. With {@code setbackCools}, the controller's
     * setback lowers the supply as a real one does, by letting the water cool at that rate until it
     * reaches the lowered target (not as a step).
     */
    VariantSite circuit(double tauMinutes, boolean setbackCools) {
        this.circuitTau = tauMinutes;
        this.setbackCools = setbackCools;
        return this;
    }

    /** Outdoor temperature around {@code base}: 3 K colder at 04:00, 3 K warmer at 16:00. */
    double outdoor(Instant t, double base) {
        return base - 3 * Math.cos(2 * Math.PI * (localHour(t) - 4) / 24) + 0.2 * random.nextGaussian();
    }

    /** Adds the heating installation (and the weather equipment when the probe is there). */
    VariantSite heating(Heating h, double outdoorBase, HeatingScenario scenario) {
        double[] outdoorNow = {Double.NaN};
        double[] faultySupply = {Double.NaN};
        double[] lagged = {Double.NaN};
        boolean boiler = h.type().equals("boiler");
        List<String> points = new ArrayList<>(List.of("supply_temp", "return_temp", "pressure"));
        if (boiler) {
            points.add("burner_on");
        }
        if (!h.weatherOnSite()) {
            points.add("outdoor_temp");
        } else {
            add("meteo", "weather", List.of("outdoor_temp"), t -> Map.of("outdoor_temp", outdoorNow[0]));
        }
        add("heat-1", h.type(), points, t -> {
            double o = outdoorNow[0];
            double load = Math.max(0, Math.min(1, (18 - o) / 26));
            double target = h.target(o, localHour(t));
            if (setbackCools) {
                // The water cannot fall faster than it cools with the heat off; it rises as fast as asked.
                double cooled = Double.isNaN(lagged[0]) ? target
                        : 20 + (lagged[0] - 20) * Math.exp(-STEP.toSeconds() / 60.0 / circuitTau);
                lagged[0] = Math.max(target, cooled);
                target = lagged[0];
            }
            // A boiler's supply swings with its burner (on 1.5 K above, off 1 K below, a 20 min cycle); a
            // substation's valve keeps it within a few tenths.
            boolean burner = boiler && (t.getEpochSecond() % 1200) < 1200 * (0.2 + 0.6 * load);
            double healthy = target + (boiler ? (burner ? 1.5 : -1.0) : 0) + 0.4 * random.nextGaussian();
            double deltaT = 8 + 8 * load;
            double supply = healthy;
            double ret = healthy - deltaT;
            if (scenario.at(t)) {
                double minutes = Duration.between(scenario.start(), t).toSeconds() / 60.0;
                double cooled = 1 - Math.exp(-minutes / circuitTau);
                switch (scenario.fault()) {
                    case SUPPLY_AT, DEFICIT, STOPPED -> {
                        if (Double.isNaN(faultySupply[0])) {
                            faultySupply[0] = healthy;
                        }
                        double level = switch (scenario.fault()) {
                            case SUPPLY_AT -> scenario.size();
                            case DEFICIT -> Math.max(21, target - scenario.size());
                            default -> 21;
                        };
                        supply = faultySupply[0] + (level - faultySupply[0]) * cooled + 0.3 * random.nextGaussian();
                        // The water gives the building less heat as it is cooler: the supply-return
                        // difference shrinks with the supply's excess over the rooms; nothing at all
                        // when production has stopped.
                        ret = scenario.fault() == HeatingFault.STOPPED ? supply - 0.8
                                : supply - deltaT * Math.max(0.1, (supply - 20) / Math.max(1, healthy - 20));
                        burner = false;
                    }
                    case DELTA_T_COLLAPSE -> ret = supply - 1.2 - 0.3 * random.nextGaussian();
                    default -> { }
                }
            }
            Map<String, Double> r = new LinkedHashMap<>();
            r.put("supply_temp", round(supply));
            r.put("return_temp", round(ret));
            r.put("pressure", 1.6 + 0.02 * random.nextGaussian());
            if (boiler) {
                r.put("burner_on", burner ? 1.0 : 0.0);
            }
            if (!h.weatherOnSite()) {
                r.put("outdoor_temp", round(o));
            }
            return r;
        });
        // The outdoor temperature is drawn once per time step, before the equipment that reads it.
        generators.put("__outdoor", t -> {
            outdoorNow[0] = round(outdoor(t, outdoorBase));
            return Map.of();
        });
        return this;
    }

    /**
     * Adds a hot-water tank whose heater stops at {@code stop} (never when null) for {@code minutes}:
     * it then cools toward 48 °C with the time constant {@code tauMinutes} (20 min for a small tank
     * with a busy loop, an hour or more for a large one).
     */
    VariantSite hotWater(Instant stop, long minutes, double tauMinutes) {
        double[] at = {Double.NaN};
        tankPassed55 = null;
        add("ecs-1", "hot-water", List.of("storage_temp", "loop_return_temp"), t -> {
            double phase = (t.getEpochSecond() % 6000) / 6000.0;
            double storage = 61.5 - 1.2 * phase - 1.5 * activity(localHour(t)) + 0.2 * random.nextGaussian();
            double loop = 56 - activity(localHour(t)) + 0.3 * random.nextGaussian();
            if (stop != null && !t.isBefore(stop) && t.isBefore(stop.plus(Duration.ofMinutes(minutes)))) {
                if (Double.isNaN(at[0])) {
                    at[0] = storage;
                }
                double m = Duration.between(stop, t).toSeconds() / 60.0;
                double drop = (at[0] - 48) * (1 - Math.exp(-m / tauMinutes));
                storage = at[0] - drop + 0.2 * random.nextGaussian();
                loop = 56 - drop;
                if (tankPassed55 == null && at[0] - drop < 55) {
                    tankPassed55 = t;
                }
            }
            return Map.of("storage_temp", round(storage), "loop_return_temp", round(loop));
        });
        return this;
    }

    /**
     * Adds a lift used {@code use} times as much as a typical one (0.25: a small, quiet building),
     * whose doors reopen {@code reopenPerTrip} more times per trip from {@code wearFrom} (never when null).
     */
    VariantSite lift(double use, Instant wearFrom, double reopenPerTrip) {
        double[] counters = {20_000, 45_000};
        add("lift-a", "lift", List.of("in_service", "trips", "door_cycles"), t -> {
            double perStep = 1.2 * use * activity(localHour(t)) * STEP.toMinutes();
            long trips = poisson(perStep);
            long doors = poisson(2.1 * trips);
            if (wearFrom != null && !t.isBefore(wearFrom)) {
                doors += poisson(reopenPerTrip * trips);
            }
            counters[0] += trips;
            counters[1] += doors;
            return Map.of("in_service", 1.0, "trips", counters[0], "door_cycles", counters[1]);
        });
        return this;
    }

    /**
     * Adds the common-area electricity of a building whose loads are {@code scale} times a typical
     * one's (night baseload 600 W, lighting by presence), with {@code extra} W left on during
     * [{@code from}, {@code to}) (none when {@code from} is null), and the hall's people counter.
     */
    VariantSite electricity(double scale, Instant from, Instant to, double extra) {
        add("elec-sg", "electricity-meter", List.of("power", "energy"), new Generator() {
            double energy = 1.0e7;

            @Override
            public Map<String, Double> at(Instant t) {
                double h = localHour(t);
                double a = activity(h);
                double lighting = 150 + ((h < 7 || h >= 19) ? 900 * Math.min(1, 1.5 * a) : 0);
                double power = scale * (600 + lighting + 1500 * a) * (1 + 0.03 * random.nextGaussian());
                if (during(t, from, to)) {
                    power += extra;
                }
                energy += power * STEP.toSeconds() / 3600;
                return Map.of("power", Math.rint(power), "energy", Math.rint(energy));
            }
        });
        add("hall", "people-counter", List.of("count"), t -> Map.of("count", (double) poisson(0.3 * activity(localHour(t)) * STEP.toMinutes())));
        return this;
    }

    /**
     * Adds the water meter of a building whose water use is {@code scale} times a typical one's
     * (a mean flow of about 0.8 m3/h): 2.2 m3/h at full activity, and nothing at night (activity
     * under 0.08, 22:45 to 05:04) apart from the flushes of a cistern, 0.12 m3/h times the scale
     * over a 5-minute block, in 15 % of the blocks at random. The first block of the night
     * (22:45-22:50) flushes on the evening of {@code flushAtNightfall}'s date and on no other: the
     * case where the night's first readings all catch a flush. {@code leak} m3/h is added during
     * [{@code leakFrom}, {@code leakTo}) (none when {@code leakFrom} is null).
     */
    VariantSite water(double scale, Instant flushAtNightfall, Instant leakFrom, Instant leakTo, double leak) {
        java.time.LocalDate flushDay = flushAtNightfall == null ? null : flushAtNightfall.atZone(PARIS).toLocalDate();
        add("water-1", "water-meter", List.of("flow", "volume"), new Generator() {
            double volume = 8000;

            @Override
            public Map<String, Double> at(Instant t) {
                double h = localHour(t);
                double a = activity(h);
                long block = t.getEpochSecond() / 300;
                double flow;
                if (a < 0.08) {
                    boolean nightfall = h >= 22.75 && h < 22.75 + 5 / 60.0;
                    boolean flush = nightfall ? t.atZone(PARIS).toLocalDate().equals(flushDay)
                            : new Random(block * 0x9E3779B97F4A7C15L).nextDouble() < 0.15;
                    flow = flush ? 0.12 * scale : 0;
                } else {
                    flow = 2.2 * a * scale * (1 + 0.1 * Math.sin(t.getEpochSecond() / 1020.0) + 0.03 * random.nextGaussian());
                }
                if (during(t, leakFrom, leakTo)) {
                    flow += leak;
                }
                volume += flow * STEP.toSeconds() / 3600;
                return Map.of("flow", Math.round(flow * 1000) / 1000.0, "volume", Math.round(volume * 1000) / 1000.0);
            }
        });
        return this;
    }

    /** A burst of missing data: nothing of equipment {@code id} arrives during [{@code from}, {@code to}). */
    VariantSite silent(String id, Instant from, Instant to) {
        silences.add(new Silence(id, from, to));
        return this;
    }

    private boolean silent(String id, Instant t) {
        for (Silence s : silences) {
            if (s.equipment().equals(id) && during(t, s.from(), s.to())) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code t} is in [{@code from}, {@code to}); never when {@code from} is null. */
    private static boolean during(Instant t, Instant from, Instant to) {
        return from != null && !t.isBefore(from) && t.isBefore(to);
    }

    /** The first reading time at which the cooling tank was below 55 °C (without its noise); null before. */
    Instant tankPassed55() {
        return tankPassed55;
    }

    /** Activity of a residential building: morning and evening peaks, almost nothing from 01:00 to 05:00. */
    static double activity(double h) {
        return 0.03 + 0.9 * bump(h, 8, 1.2) + 0.8 * bump(h, 18.5, 1.8) + 0.3 * bump(h, 12.5, 2.5);
    }

    private static double bump(double h, double centre, double width) {
        double d = Math.abs(h - centre);
        d = Math.min(d, 24 - d);
        return Math.exp(-d * d / (2 * width * width));
    }

    private long poisson(double mean) {
        double l = Math.exp(-mean);
        long k = 0;
        double p = random.nextDouble();
        while (p > l && k < 10_000) {
            p *= random.nextDouble();
            k++;
        }
        return k;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** The bindings as the gateway builds them: own points, then those exactly one equipment of the site has. */
    List<EquipmentBinding> bindings() {
        return CatalogFaultsTest.bindings(SITE, equipment, ids);
    }

    /** Runs the built-in catalog over the site from {@code from} to {@code to}, a reading every 3 min. */
    List<RuleSignal> run(Instant from, Instant to) {
        RuleEngine engine = new RuleEngine(BuiltInCatalog.load(), bindings(), Duration.ofMinutes(5));
        List<RuleSignal> signals = new ArrayList<>();
        Generator outdoor = generators.get("__outdoor");
        for (Instant t = from; t.isBefore(to); t = t.plus(STEP)) {
            long micros = t.getEpochSecond() * 1_000_000L;
            if (outdoor != null) {
                outdoor.at(t);
            }
            List<In> batch = new ArrayList<>();
            for (Equip e : equipment) {
                Map<String, Double> values = generators.get(e.id()).at(t);
                if (silent(e.id(), t)) {
                    continue;
                }
                values.forEach((point, value) -> {
                    Integer id = ids.get(e.id() + "/" + point);
                    if (id != null && !Double.isNaN(value)) {
                        batch.add(new In(micros, id, value));
                    }
                });
            }
            for (In in : batch) {
                engine.onReading(in.point(), in.t(), in.value(), signals::add);
            }
            engine.onTime(micros, signals::add);
        }
        return signals;
    }
}
