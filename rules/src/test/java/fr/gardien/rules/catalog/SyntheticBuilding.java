package fr.gardien.rules.catalog;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Test data for the built-in catalog: plausible readings of one building's shared equipment, in
 * event time, healthy or with one injected fault. Deliberately independent of the device
 * simulator (rules share no code with it): a small, deterministic model of each equipment type
 * with the signals of the contract's point vocabulary.
 */
final class SyntheticBuilding {

    /** One reading of one point of the equipment. */
    record Sample(String point, long epochMicros, double value) {
    }

    /** The faults of the product brief that the catalog must catch. */
    enum Fault {
        NONE, NO_HEAT, BOILER_STOPPED, DELTA_T_COLLAPSE, SHORT_CYCLING, PRESSURE_LEAK, CURVE_DRIFT, HOT_WATER_LOW, HEATER_STOPPED,
        HEATER_STOPPED_LARGE_TANK, LOOP_RETURN_LOW,
        LIFT_STUCK, DOOR_WEAR, DOORS_REOPENING, FAN_STOPPED, FILTER_CLOGGING, WATER_LEAK, ABNORMAL_CONSUMPTION, LIGHTS_ON_EMPTY, LIGHTS_LEFT_ON,
        HUMIDITY_HIGH, SENSOR_OFFLINE, FLATLINE, IMPOSSIBLE_VALUE
    }

    private final ZoneId zone;
    private final long seed;

    SyntheticBuilding(ZoneId zone, long seed) {
        this.zone = zone;
        this.seed = seed;
    }

    /**
     * Readings of one equipment of {@code type} every {@code step} over [{@code from},
     * {@code from + span}), with {@code fault} starting at {@code faultStart} (ignored for
     * {@link Fault#NONE}). Samples are in time order.
     */
    List<Sample> readings(String type, Instant from, Duration span, Duration step, Fault fault, Instant faultStart) {
        return readings(type, from, span, step, fault, faultStart, null);
    }

    /**
     * As above, with the fault over at {@code faultEnd} (exclusive; {@code null}: never): the
     * equipment is repaired and reads healthy again (the pressure is topped up, the filter
     * replaced, the sensor reconnected). Wear counters keep what they counted.
     */
    List<Sample> readings(String type, Instant from, Duration span, Duration step, Fault fault, Instant faultStart,
            Instant faultEnd) {
        Random random = new Random(seed * 31 + type.hashCode());
        List<Sample> out = new ArrayList<>();
        long stepMicros = step.toNanos() / 1_000;
        long startMicros = micros(from);
        long endMicros = startMicros + span.toNanos() / 1_000;
        long faultMicros = fault == Fault.NONE ? Long.MAX_VALUE : micros(faultStart);
        long faultEndMicros = fault == Fault.NONE || faultEnd == null ? Long.MAX_VALUE : micros(faultEnd);
        State state = new State();
        for (long t = startMicros; t < endMicros; t += stepMicros) {
            boolean faulty = t >= faultMicros && t < faultEndMicros;
            double hours = (t - faultMicros) / 3.6e9;
            ZonedDateTime local = Instant.ofEpochSecond(0, t * 1_000).atZone(zone);
            double hourOfDay = local.getHour() + local.getMinute() / 60.0;
            double outdoor = outdoor(local, random);
            switch (type) {
                case "boiler", "substation" -> boiler(out, t, outdoor, random, faulty ? fault : Fault.NONE, hours, state, stepMicros);
                case "weather" -> out.add(new Sample("outdoor_temp", t, outdoor));
                case "hot-water" -> {
                    double storage = 61 + random.nextGaussian() * 0.8;
                    double loop = 56 + random.nextGaussian() * 0.8;
                    if (faulty && fault == Fault.HOT_WATER_LOW) {
                        storage = 48 + random.nextGaussian() * 0.5;
                    }
                    if (faulty && fault == Fault.HEATER_STOPPED) {
                        // The heater stops: the tank and the loop cool toward 48 °C (20 min time constant).
                        double drop = (61 - 48) * (1 - Math.exp(-hours * 60 / 20));
                        storage = 61 - drop + random.nextGaussian() * 0.3;
                        loop = 56 - drop + random.nextGaussian() * 0.5;
                    }
                    if (faulty && fault == Fault.HEATER_STOPPED_LARGE_TANK) {
                        // A large tank whose heater stops: it cools toward 48 °C with a 60 min time
                        // constant, too slowly to fall 5 °C in half an hour.
                        double drop = (61 - 48) * (1 - Math.exp(-hours * 60 / 60));
                        storage = 61 - drop + random.nextGaussian() * 0.3;
                        loop = 56 - drop + random.nextGaussian() * 0.5;
                    }
                    if (faulty && fault == Fault.LOOP_RETURN_LOW) {
                        loop = 45 + random.nextGaussian() * 0.5;
                    }
                    add(out, "storage_temp", t, storage, faulty && fault == Fault.SENSOR_OFFLINE, faulty && fault == Fault.FLATLINE, state);
                    out.add(new Sample("loop_return_temp", t, faulty && fault == Fault.IMPOSSIBLE_VALUE ? 180 : loop));
                }
                case "lift" -> {
                    double activity = activity(hourOfDay, local.getDayOfWeek().getValue() >= 6);
                    int trips = poisson(random, activity * 8 * step.toSeconds() / 600.0);
                    state.trips += trips;
                    state.doors += trips * 2 + poisson(random, activity * step.toSeconds() / 600.0);
                    if (faulty && fault == Fault.DOORS_REOPENING) {
                        // A dirty light curtain: the doors reopen about twice more per trip.
                        state.doors += poisson(random, 2.0 * trips);
                    }
                    if (faulty && fault == Fault.DOOR_WEAR) {
                        state.doors += 400;
                    }
                    boolean stuck = faulty && fault == Fault.LIFT_STUCK;
                    out.add(new Sample("in_service", t, stuck ? 0 : 1));
                    out.add(new Sample("trips", t, stuck ? state.trips - trips : state.trips));
                    out.add(new Sample("door_cycles", t, state.doors));
                }
                case "ventilation" -> {
                    boolean stopped = faulty && fault == Fault.FAN_STOPPED;
                    double drop = 120 + random.nextGaussian() * 3 + (faulty && fault == Fault.FILTER_CLOGGING ? 4 * hours : 0);
                    out.add(new Sample("fan_on", t, stopped ? 0 : 1));
                    out.add(new Sample("pressure_drop", t, stopped ? 5 : drop));
                }
                case "water-meter" -> {
                    double night = hourOfDay >= 1 && hourOfDay < 5 ? 0.005 : 1;
                    double flow = Math.max(0, night * (0.4 + 0.3 * Math.sin((hourOfDay - 7) / 24 * 2 * Math.PI))
                            + random.nextGaussian() * 0.02 * night);
                    if (faulty && fault == Fault.WATER_LEAK) {
                        flow += 0.3;
                    }
                    if (faulty && fault == Fault.ABNORMAL_CONSUMPTION) {
                        flow *= 3;
                    }
                    state.volume += flow * step.toSeconds() / 3600.0;
                    out.add(new Sample("flow", t, flow));
                    out.add(new Sample("volume", t, state.volume));
                }
                case "electricity-meter" -> {
                    boolean dark = hourOfDay < 7 || hourOfDay >= 19;
                    double occupied = activity(hourOfDay, false);
                    double power = 400 + random.nextGaussian() * 20 + (dark ? 800 * occupied : 0);
                    if (faulty && fault == Fault.LIGHTS_ON_EMPTY && dark) {
                        power = 1600 + random.nextGaussian() * 20;
                    }
                    if (faulty && fault == Fault.LIGHTS_LEFT_ON) {
                        // Lighting stuck on, day and night: 900 W more at every hour.
                        power += 900;
                    }
                    state.energy += power * step.toSeconds() / 3600.0 / 1000.0;
                    out.add(new Sample("power", t, power));
                    out.add(new Sample("energy", t, state.energy));
                }
                case "people-counter" -> {
                    double expected = activity(hourOfDay, local.getDayOfWeek().getValue() >= 6) * 12 * step.toSeconds() / 600.0;
                    out.add(new Sample("count", t, poisson(random, expected)));
                }
                case "climate" -> {
                    double humidity = 52 + 6 * Math.sin(hourOfDay / 24 * 2 * Math.PI) + random.nextGaussian() * 2;
                    if (faulty && fault == Fault.HUMIDITY_HIGH) {
                        humidity = 82 + random.nextGaussian() * 2;
                    }
                    out.add(new Sample("temperature", t, 20.5 + random.nextGaussian() * 0.4));
                    out.add(new Sample("humidity", t, humidity));
                    out.add(new Sample("co2", t, 550 + 300 * activity(hourOfDay, false) + random.nextGaussian() * 30));
                }
                default -> throw new IllegalArgumentException("no model for equipment type " + type);
            }
        }
        return out;
    }

    private static final class State {
        double trips = 10_000;
        double doors = 25_000;
        double volume = 1_234;
        double energy = 56_789;
        boolean burner;
        long burnerSinceMicros;
        double pressure = 1.6;
        Double frozen;
        Double supplyAtStop;
    }

    private void boiler(List<Sample> out, long t, double outdoor, Random random, Fault fault, double hours, State state,
            long stepMicros) {
        // Heating curve: 30 °C at 20 °C outside, 75 °C at −10 °C outside.
        double expected = Math.max(30, Math.min(75, 30 + (20 - outdoor) * 1.5));
        double supply = expected + random.nextGaussian() * 1.2;
        double deltaT = 12 + random.nextGaussian() * 1.0;
        switch (fault) {
            case NO_HEAT -> supply = 24 + random.nextGaussian() * 0.5;
            case BOILER_STOPPED -> {
                // Production stops, the pump runs on: the water cools from its last supply toward the
                // building (22 °C, 20 min time constant) and gains nothing on its way through.
                if (state.supplyAtStop == null) {
                    state.supplyAtStop = supply;
                }
                supply = 22 + (state.supplyAtStop - 22) * Math.exp(-hours * 60 / 20) + random.nextGaussian() * 0.3;
                deltaT = 1 + random.nextGaussian() * 0.2;
            }
            case DELTA_T_COLLAPSE -> deltaT = 1.2 + random.nextGaussian() * 0.3;
            case CURVE_DRIFT -> supply = expected - 14 + random.nextGaussian() * 1.0;
            default -> { }
        }
        double pressure = 1.6 + random.nextGaussian() * 0.02;
        if (fault == Fault.PRESSURE_LEAK) {
            pressure = Math.max(0.2, 1.6 - 0.05 * hours) + random.nextGaussian() * 0.01;
        }
        // A healthy burner runs in long cycles (about 2 starts an hour); a faulty one every few minutes.
        long cycleMicros = fault == Fault.SHORT_CYCLING ? 4 * 60_000_000L : 25 * 60_000_000L;
        if (t - state.burnerSinceMicros >= cycleMicros) {
            state.burner = !state.burner;
            state.burnerSinceMicros = t;
        }
        // Sensor faults change what the supply probe reports, not the water: the return is the real one.
        if (fault == Fault.IMPOSSIBLE_VALUE) {
            out.add(new Sample("supply_temp", t, 180));
        } else if (fault != Fault.SENSOR_OFFLINE) {
            out.add(new Sample("supply_temp", t, supply));
        }
        out.add(new Sample("return_temp", t, supply - deltaT));
        out.add(new Sample("burner_on", t, state.burner && fault != Fault.BOILER_STOPPED ? 1 : 0));
        out.add(new Sample("pressure", t, pressure));
        out.add(new Sample("outdoor_temp", t, outdoor));
    }

    /** Missing readings for the offline fault, a frozen value for the flatline fault. */
    private static void add(List<Sample> out, String point, long t, double value, boolean offline, boolean flatline, State state) {
        if (offline) {
            return;
        }
        if (flatline) {
            if (state.frozen == null) {
                state.frozen = value;
            }
            out.add(new Sample(point, t, state.frozen));
            return;
        }
        out.add(new Sample(point, t, value));
    }

    /** Outdoor temperature: a January in Lyon or so, colder at night, with slow weather swings. */
    private static double outdoor(ZonedDateTime local, Random random) {
        double hour = local.getHour() + local.getMinute() / 60.0;
        double day = local.getDayOfYear() + hour / 24;
        double seasonal = 11 - 9 * Math.cos((day - 15) / 365.0 * 2 * Math.PI);
        return seasonal + 3 * Math.sin((hour - 9) / 24 * 2 * Math.PI) + 2 * Math.sin(day / 3.0) + random.nextGaussian() * 0.3;
    }

    /** Use of shared spaces: peaks in the morning and evening, little at night. */
    private static double activity(double hour, boolean weekend) {
        double morning = Math.exp(-Math.pow((hour - (weekend ? 10 : 8)) / 1.5, 2));
        double evening = Math.exp(-Math.pow((hour - 19) / 2.0, 2));
        double night = hour < 6 || hour >= 23 ? 0.02 : 0.15;
        return Math.min(1, night + morning + evening);
    }

    private static int poisson(Random random, double mean) {
        double l = Math.exp(-mean);
        int k = 0;
        double p = 1;
        do {
            k++;
            p *= random.nextDouble();
        } while (p > l && k < 1000);
        return k - 1;
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }
}
