package fr.gardien.rules.catalog;

import fr.gardien.rules.BuiltInCatalog;
import fr.gardien.rules.EquipmentBinding;
import fr.gardien.rules.RuleEngine;
import fr.gardien.rules.RuleSet;
import fr.gardien.rules.RuleSignal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The full built-in catalog over a portfolio, single-threaded: the performance line of issue 3
 * ("≥ 1,000,000 readings/s per core").
 *
 * <p>Portfolio: {@value #SITES} sites in Europe/Paris, each with one equipment of every type the
 * catalog (and {@link SyntheticBuilding}) knows: boiler, substation, hot-water, lift, ventilation,
 * water-meter, electricity-meter, climate, weather, people-counter (26 points a site). Point ids
 * are assigned as the gateway's registry does (1, 2, 3… in site, equipment, point order), and the
 * bindings are built as {@code fr.gardien.gateway.rules.Bindings} does (a point name unique in the
 * site stands in for one the equipment lacks: the people counter's {@code count} for the lighting
 * rule). Data: healthy {@link SyntheticBuilding} readings every 30 s (the demo's interval) from
 * 00:00 local time, merged in time order, the first {@value #READINGS} of them (about 4 h 48 min of
 * data time), generated before measurement.
 *
 * <p>One operation: a fresh engine (built outside the measurement) takes every reading through
 * {@link RuleEngine#onReading}, and {@link RuleEngine#onTime} every 5 s of data time, as the
 * gateway's scheduler does. The score is readings per second. Signals go to a sink that counts
 * them into a {@link Blackhole}; the count per pass is printed at the end of a trial so that runs
 * can be compared for the same answer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 8)
@Measurement(iterations = 5, time = 8)
public class CatalogBenchmark {

    static final int SITES = 200;
    static final int READINGS = 3_000_000;
    static final Duration STEP = Duration.ofSeconds(30);
    static final long TICK_MICROS = 5_000_000L;
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final Instant FROM = Instant.parse("2025-01-06T23:00:00Z");
    static final List<String> TYPES = List.of("boiler", "substation", "hot-water", "lift", "ventilation", "water-meter",
            "electricity-meter", "climate", "weather", "people-counter");

    /** Lateness of the engine, in minutes: 5 is the gateway's default. */
    @Param({"5", "0"})
    public int latenessMinutes;

    private RuleSet catalog;
    private List<EquipmentBinding> bindings;
    private int[] points;
    private long[] times;
    private double[] values;

    private RuleEngine engine;
    private Blackhole blackhole;
    private long signals;
    private long passes;
    private final Consumer<RuleSignal> sink = signal -> {
        signals++;
        blackhole.consume(signal);
    };

    @Setup(Level.Trial)
    public void generate(Blackhole bh) {
        this.blackhole = bh;
        catalog = BuiltInCatalog.load();
        Portfolio portfolio = Portfolio.generate(SITES, READINGS);
        bindings = portfolio.bindings;
        points = portfolio.points;
        times = portfolio.times;
        values = portfolio.values;
    }

    @Setup(Level.Invocation)
    public void freshEngine() {
        engine = new RuleEngine(catalog, bindings, Duration.ofMinutes(latenessMinutes));
    }

    @TearDown(Level.Trial)
    public void report() {
        System.out.printf("%n[catalog] %d sites, %d instances, %,d readings a pass over %s of data time; "
                        + "%d signals a pass (%d passes), %d dropped as too late in the last%n",
                SITES, engine.instances().size(), READINGS,
                Duration.ofMillis((times[READINGS - 1] - times[0]) / 1000), passes == 0 ? 0 : signals / passes,
                passes, engine.droppedLate());
    }

    @Benchmark
    @OperationsPerInvocation(READINGS)
    public long catalog() {
        RuleEngine e = engine;
        Consumer<RuleSignal> out = sink;
        int[] p = points;
        long[] t = times;
        double[] v = values;
        long nextTick = Math.floorDiv(t[0], TICK_MICROS) * TICK_MICROS + TICK_MICROS;
        for (int i = 0; i < READINGS; i++) {
            long time = t[i];
            while (time >= nextTick) {
                e.onTime(nextTick, out);
                nextTick += TICK_MICROS;
            }
            e.onReading(p[i], time, v[i], out);
        }
        passes++;
        return e.droppedLate();
    }

    /** The portfolio's bindings and its readings in time order, as parallel arrays. */
    static final class Portfolio {
        List<EquipmentBinding> bindings = new ArrayList<>();
        int[] points;
        long[] times;
        double[] values;

        static Portfolio generate(int sites, int readings) {
            Portfolio out = new Portfolio();
            long stepMicros = STEP.toNanos() / 1000;
            // Enough steps for the readings wanted (26 readings a site a step); a step more to be sure.
            int perStep = 26 * sites;
            Duration span = STEP.multipliedBy(readings / perStep + 2);
            List<List<SyntheticBuilding.Sample>> series = new ArrayList<>();
            List<int[]> seriesIds = new ArrayList<>();
            int nextId = 1;
            for (int s = 0; s < sites; s++) {
                String site = String.format("site-%03d", s + 1);
                SyntheticBuilding building = new SyntheticBuilding(PARIS, s + 1);
                List<Map<String, Integer>> own = new ArrayList<>();
                Map<String, Integer> siteWide = new HashMap<>();
                Map<String, Integer> seen = new HashMap<>();
                for (String type : TYPES) {
                    List<SyntheticBuilding.Sample> samples = building.readings(type, FROM, span, STEP,
                            SyntheticBuilding.Fault.NONE, null);
                    Map<String, Integer> ids = new LinkedHashMap<>();
                    int[] sampleIds = new int[samples.size()];
                    for (int i = 0; i < samples.size(); i++) {
                        String point = samples.get(i).point();
                        Integer id = ids.get(point);
                        if (id == null) {
                            id = nextId++;
                            ids.put(point, id);
                            seen.merge(point, 1, Integer::sum);
                            siteWide.put(point, id);
                        }
                        sampleIds[i] = id;
                    }
                    own.add(ids);
                    series.add(samples);
                    seriesIds.add(sampleIds);
                }
                for (int e = 0; e < TYPES.size(); e++) {
                    Map<String, Integer> ids = new LinkedHashMap<>(own.get(e));
                    siteWide.forEach((name, id) -> {
                        if (seen.get(name) == 1) {
                            ids.putIfAbsent(name, id);
                        }
                    });
                    out.bindings.add(new EquipmentBinding(site, PARIS, TYPES.get(e) + "-1", TYPES.get(e), ids));
                }
            }
            // Merge in time order: every series is on the same 30 s grid.
            out.points = new int[readings];
            out.times = new long[readings];
            out.values = new double[readings];
            int[] cursor = new int[series.size()];
            int n = 0;
            long t = FROM.getEpochSecond() * 1_000_000L;
            long end = t + span.toNanos() / 1000;
            while (n < readings) {
                if (t >= end) {
                    throw new IllegalStateException("not enough generated readings: " + n);
                }
                for (int k = 0; k < series.size() && n < readings; k++) {
                    List<SyntheticBuilding.Sample> samples = series.get(k);
                    while (cursor[k] < samples.size() && samples.get(cursor[k]).epochMicros() == t && n < readings) {
                        SyntheticBuilding.Sample sample = samples.get(cursor[k]);
                        out.points[n] = seriesIds.get(k)[cursor[k]];
                        out.times[n] = t;
                        out.values[n] = sample.value();
                        n++;
                        cursor[k]++;
                    }
                }
                t += stepMicros;
            }
            return out;
        }
    }
}
