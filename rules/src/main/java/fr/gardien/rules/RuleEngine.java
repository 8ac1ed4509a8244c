package fr.gardien.rules;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Runs a rule set over the readings of a portfolio, in event time, and reports each instance's
 * transitions (RAISED once per onset, CLEARED after the clear duration) to a sink.
 *
 * <p>One instance per (rule, equipment) whose type the rule applies to and whose required inputs
 * exist, on the equipment itself or, failing that, on a {@code weather} equipment of the same
 * site. Readings are processed at once, in the calling thread; a reading older than the newest
 * reading its instance has seen is taken as if it had come in order when it is late by at most
 * {@code lateness} (see {@link LateHistory}), and dropped and counted otherwise.
 *
 * <p>{@link #onTime} is the clock of time-driven detectors (missing data) and of held conditions:
 * {@code onTime(now)} evaluates every instance at {@code now − lateness}, the time up to which
 * readings are taken to be complete, so that a reading within the lateness never arrives behind
 * a tick. A reading that still does (a device catching up on buffered data) is processed at the
 * instance's clock.
 *
 * <p>Not thread-safe: one engine is driven by one thread (the gateway shards by site). When the
 * portfolio or the rules change, build a new engine with {@link #rebuild}, which carries the
 * state of the instances that still exist over.
 */
public final class RuleEngine {

    private final RuleSet rules;
    private final List<EquipmentBinding> equipment;
    private final long latenessMicros;
    private final Duration lateness;
    private final List<RuleInstance> instances = new ArrayList<>();
    private final PointRoutes routes;
    private final Map<String, List<RuleInstance>> instancesBySite = new HashMap<>();
    private final Map<Integer, String> siteByPoint = new HashMap<>();
    private long droppedLate;

    /**
     * @param lateness how late (behind the newest reading of its instance) a reading may come and
     *     still count as if in order; zero drops every out-of-order reading
     */
    public RuleEngine(RuleSet rules, List<EquipmentBinding> equipment, Duration lateness) {
        if (lateness.isNegative()) {
            throw new IllegalArgumentException("lateness must not be negative: " + lateness);
        }
        this.rules = rules;
        this.equipment = List.copyOf(equipment);
        this.lateness = lateness;
        this.latenessMicros = lateness.toNanos() / 1000;
        Map<String, List<EquipmentBinding>> weatherBySite = new HashMap<>();
        for (EquipmentBinding b : equipment) {
            if (EquipmentBinding.WEATHER.equals(b.type())) {
                weatherBySite.computeIfAbsent(b.site(), s -> new ArrayList<>()).add(b);
            }
        }
        this.routes = new PointRoutes(equipment.size() * 4);
        Map<RuleDefinition, SummaryTemplate[]> templates = new HashMap<>();
        for (RuleDefinition rule : rules.rules()) {
            templates.put(rule, new SummaryTemplate[] {
                new SummaryTemplate(rule.summaryFr(), true), new SummaryTemplate(rule.summaryEn(), false)});
        }
        for (EquipmentBinding b : equipment) {
            for (Integer id : b.pointIds().values()) {
                siteByPoint.put(id, b.site());
            }
            List<EquipmentBinding> weather = weatherBySite.getOrDefault(b.site(), List.of());
            for (RuleDefinition rule : rules.rules()) {
                if (rule.appliesTo(b.type())) {
                    bind(rule, b, weather, templates.get(rule));
                }
            }
        }
    }

    private void bind(RuleDefinition rule, EquipmentBinding b, List<EquipmentBinding> weather,
            SummaryTemplate[] templates) {
        List<String> roles = new ArrayList<>();
        List<Integer> points = new ArrayList<>();
        for (var input : rule.inputs().entrySet()) {
            Integer id = resolve(b, weather, input.getValue());
            if (id == null) {
                return;
            }
            roles.add(input.getKey());
            points.add(id);
        }
        for (var input : rule.optionalInputs().entrySet()) {
            Integer id = resolve(b, weather, input.getValue());
            if (id != null) {
                roles.add(input.getKey());
                points.add(id);
            }
        }
        RuleInstance instance = new RuleInstance(rule, b, roles.toArray(String[]::new), latenessMicros,
                templates[0], templates[1]);
        instances.add(instance);
        instancesBySite.computeIfAbsent(b.site(), s -> new ArrayList<>()).add(instance);
        for (int i = 0; i < points.size(); i++) {
            routes.getOrCreate(points.get(i)).add(instance, i);
        }
    }

    private static Integer resolve(EquipmentBinding b, List<EquipmentBinding> weather, String point) {
        Integer id = b.pointIds().get(point);
        if (id != null) {
            return id;
        }
        for (EquipmentBinding w : weather) {
            id = w.pointIds().get(point);
            if (id != null) {
                return id;
            }
        }
        return null;
    }

    /**
     * One reading, processed at once: the instances that read this point see it and report their
     * transitions to {@code sink} before this method returns. Readings of points no rule reads,
     * and non-numeric readings (NaN), are ignored.
     */
    public void onReading(int pointId, long epochMicros, double value, Consumer<RuleSignal> sink) {
        PointRoutes.Route route = routes.get(pointId);
        if (route == null || Double.isNaN(value)) {
            return;
        }
        RuleInstance[] targets = route.instances;
        int[] roles = route.roles;
        for (int i = 0; i < targets.length; i++) {
            if (!targets[i].onReading(roles[i], epochMicros, value, sink)) {
                droppedLate++;
            }
        }
    }

    /**
     * Event time has advanced: every instance is evaluated at {@code epochMicros − lateness}
     * (missing data, conditions held since the last reading, local-time windows).
     */
    public void onTime(long epochMicros, Consumer<RuleSignal> sink) {
        long at = epochMicros - latenessMicros;
        for (RuleInstance instance : instances) {
            instance.onTick(at, sink);
        }
    }

    /**
     * Event time of one site has advanced: the instances of {@code site} are evaluated at
     * {@code epochMicros − lateness}, as {@link #onTime} does for all. Lets each site follow its
     * own watermark (see {@link SiteClocks}); an unknown site is ignored.
     */
    public void onSiteTime(String site, long epochMicros, Consumer<RuleSignal> sink) {
        List<RuleInstance> of = instancesBySite.get(site);
        if (of == null) {
            return;
        }
        long at = epochMicros - latenessMicros;
        for (RuleInstance instance : of) {
            instance.onTick(at, sink);
        }
    }

    /** The site of a point of any bound equipment, or {@code null} for a point the engine does not know. */
    public String siteOf(int pointId) {
        return siteByPoint.get(pointId);
    }

    /** Whether an instance of {@code site} has ever seen a reading (restored state included). */
    public boolean hasReadings(String site) {
        for (RuleInstance instance : instancesBySite.getOrDefault(site, List.of())) {
            if (instance.newestReading != RuleInstance.NEVER) {
                return true;
            }
        }
        return false;
    }

    /** The sites that have at least one rule instance. */
    public java.util.Set<String> sites() {
        return java.util.Collections.unmodifiableSet(instancesBySite.keySet());
    }

    /** How many readings came later than the lateness allows and were dropped (per instance reading them). */
    public long droppedLate() {
        return droppedLate;
    }

    /** The most readings any instance keeps for late data (tests: memory stays bounded). */
    int largestHistory() {
        int largest = 0;
        for (RuleInstance instance : instances) {
            if (instance.history != null) {
                largest = Math.max(largest, instance.history.size());
            }
        }
        return largest;
    }

    /** The instances, as {@code rule/site/equipment}, in creation order. */
    public List<String> instances() {
        List<String> keys = new ArrayList<>(instances.size());
        for (RuleInstance instance : instances) {
            keys.add(instance.key());
        }
        return keys;
    }

    public RuleSet rules() {
        return rules;
    }

    public Duration lateness() {
        return lateness;
    }

    /**
     * The state of every instance. Readings kept for late arrivals are not part of it: after a
     * restore, a reading older than the newest one before the snapshot is dropped.
     */
    public EngineSnapshot snapshot() {
        List<InstanceSnapshot> states = new ArrayList<>(instances.size());
        for (RuleInstance instance : instances) {
            states.add(instance.snapshot());
        }
        return new EngineSnapshot(states);
    }

    /**
     * The state of the instances of the sites {@code of} accepts (in cluster mode, the sites of
     * one partition of the readings log, checkpointed apart; issue 13).
     */
    public EngineSnapshot snapshot(Predicate<String> of) {
        List<InstanceSnapshot> states = new ArrayList<>();
        for (RuleInstance instance : instances) {
            if (of.test(instance.binding.site())) {
                states.add(instance.snapshot());
            }
        }
        return new EngineSnapshot(states);
    }

    /**
     * Forgets the state of the instances of the sites {@code of} accepts: they are as new (a
     * worker that no longer holds their partition; issue 13).
     */
    public void reset(Predicate<String> of) {
        for (RuleInstance instance : instances) {
            if (of.test(instance.binding.site())) {
                instance.reset();
            }
        }
    }

    /**
     * Continues from a snapshot: each instance of this engine whose rule (same id and
     * {@link RuleDefinition#fingerprint() fingerprint}), site and equipment are in the snapshot
     * takes that state; the others keep a fresh one, and snapshot entries without an instance are
     * ignored.
     *
     * @return how many instances were restored
     */
    public int restore(EngineSnapshot snapshot) {
        Map<String, InstanceSnapshot> byKey = new LinkedHashMap<>();
        for (InstanceSnapshot s : snapshot.instances()) {
            byKey.put(s.rule() + '/' + s.site() + '/' + s.equipment(), s);
        }
        int restored = 0;
        for (RuleInstance instance : instances) {
            InstanceSnapshot s = byKey.get(instance.key());
            if (s != null && s.fingerprint().equals(instance.rule.fingerprint())) {
                instance.restore(s);
                restored++;
            }
        }
        return restored;
    }

    /**
     * A new engine for changed rules or portfolio, continuing the state of the instances that
     * exist in both (see {@link #restore}). This engine is left as it was.
     */
    public RuleEngine rebuild(RuleSet newRules, List<EquipmentBinding> newEquipment) {
        RuleEngine next = new RuleEngine(newRules, newEquipment, lateness);
        next.restore(snapshot());
        return next;
    }

    /** The bindings the engine was built with. */
    public List<EquipmentBinding> equipment() {
        return equipment;
    }
}
