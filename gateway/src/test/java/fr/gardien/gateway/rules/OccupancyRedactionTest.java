package fr.gardien.gateway.rules;

import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.rules.BuiltInCatalog;
import fr.gardien.rules.Explanation;
import fr.gardien.rules.OccupancyFigures;
import fr.gardien.rules.RuleSet;
import fr.gardien.rules.RuleSignal;
import fr.gardien.rules.Severity;
import fr.gardien.rules.Urgency;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 14: the people count a rule's guard read never reaches what the gateway records or prints. */
class OccupancyRedactionTest {

    static final RuleSet CATALOG = BuiltInCatalog.load();
    static final Instant AT = Instant.parse("2026-01-19T02:00:00Z");

    /** The lighting rule's signal loses its people figure and keeps the power figures and summaries. */
    @Test
    void theLightingRuleLosesItsPeopleFigure() {
        RuleSignal signal = signal("lighting-on-empty", Map.of("people", 1.0, "value", 1500.0, "baseline", 300.0));
        RuleSignal redacted = OccupancyRedaction.redact(signal, CATALOG, OccupancyFigures.VOCABULARY);
        assertThat(redacted.explanation().figures()).containsOnlyKeys("value", "baseline");
        assertThat(redacted.explanation().summaryFr()).isEqualTo(signal.explanation().summaryFr());
        assertThat(redacted.ruleId()).isEqualTo("lighting-on-empty");
    }

    /** A rule reading no people count passes untouched. */
    @Test
    void otherRulesAreUntouched() {
        RuleSignal signal = signal("lighting-left-on", Map.of("value", 1500.0, "baseline", 300.0));
        assertThat(OccupancyRedaction.redact(signal, CATALOG, OccupancyFigures.VOCABULARY)).isSameAs(signal);
    }

    private static RuleSignal signal(String rule, Map<String, Double> figures) {
        return new RuleSignal(RuleSignal.Kind.RAISED, rule, "tilleuls", "elec-sg", Severity.WARNING, "energy", Urgency.PLANNED,
                AT, new Explanation(AT.minusSeconds(3600), AT, figures, "résumé", "summary"));
    }
}
