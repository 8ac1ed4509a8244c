package fr.gardien.rules;

import java.time.Instant;
import java.util.Map;

/**
 * Why an alert fired, in terms a caretaker understands: what was observed, over which period,
 * compared to what. Only aggregated figures, never a raw series: an explanation may leave the
 * landlord's perimeter inside a ticket.
 *
 * @param from the start of the period the condition held (event time)
 * @param to the end of that period (event time)
 * @param figures aggregated figures (e.g. {@code min}, {@code mean}, {@code threshold}, {@code outdoor})
 * @param summaryFr the rule's French summary with its placeholders filled
 * @param summaryEn the rule's English summary with its placeholders filled
 */
public record Explanation(Instant from, Instant to, Map<String, Double> figures, String summaryFr, String summaryEn) {
    public Explanation {
        figures = Map.copyOf(figures);
    }
}
