package fr.gardien.gateway.backtest;

import fr.gardien.rules.RuleSignal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts, per rule, what a replay raised and cleared and how long its alerts were active: from
 * RAISED to CLEARED, or to the end of the period for an alert still active then.
 */
final class RuleTally {

    /** One rule's figures; {@code activeAtEnd} alerts are still raised at the end of the period. */
    record Row(String rule, int raises, int clears, Duration active, int activeAtEnd) {
    }

    private static final class Counts {
        int raises;
        int clears;
        Duration active = Duration.ZERO;
    }

    private final Map<String, Counts> byRule = new TreeMap<>();
    private final Map<String, Instant> raisedAt = new HashMap<>();

    void record(RuleSignal signal) {
        Counts counts = byRule.computeIfAbsent(signal.ruleId(), r -> new Counts());
        String instance = signal.ruleId() + '/' + signal.site() + '/' + signal.equipment();
        if (signal.kind() == RuleSignal.Kind.RAISED) {
            counts.raises++;
            raisedAt.put(instance, signal.at());
        } else {
            counts.clears++;
            Instant since = raisedAt.remove(instance);
            if (since != null) {
                counts.active = counts.active.plus(Duration.between(since, signal.at()));
            }
        }
    }

    /** The rows, by rule id, counting alerts still active as active until {@code end}. */
    List<Row> rows(Instant end) {
        Map<String, Integer> open = new HashMap<>();
        Map<String, Duration> openTime = new HashMap<>();
        raisedAt.forEach((instance, since) -> {
            String rule = instance.substring(0, instance.indexOf('/'));
            open.merge(rule, 1, Integer::sum);
            openTime.merge(rule, Duration.between(since, end), Duration::plus);
        });
        return byRule.entrySet().stream().map(e -> new Row(e.getKey(), e.getValue().raises, e.getValue().clears,
                e.getValue().active.plus(openTime.getOrDefault(e.getKey(), Duration.ZERO)),
                open.getOrDefault(e.getKey(), 0))).toList();
    }
}
