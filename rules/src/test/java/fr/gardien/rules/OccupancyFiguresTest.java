package fr.gardien.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import fr.gardien.rules.detect.DetectorRegistry;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Issue 14: a summary never states a figure read from a people count. */
class OccupancyFiguresTest {

    static final String GUARDED = """
            rules:
              - id: lights-on-nobody
                description: Lights on while nobody is counted.
                applies-to: [electricity-meter]
                inputs: {power: power, people: count}
                detector: threshold
                params: {signal: power, above: 1200}
                when: {signal: people, below: 2}
                for: 1h
                severity: warning
                category: energy
                urgency: planned
                summary:
                  fr: "{value} W avec {people} personnes"
                  en: "{value} W with nobody there"
            """;

    static final String COUNTED = """
            rules:
              - id: crowded-hall
                description: Many visitors in the hall.
                applies-to: [people-counter]
                inputs: {visits: visitors}
                detector: threshold
                params: {signal: visits, above: 50}
                for: 1h
                severity: info
                category: occupancy
                urgency: planned
                summary:
                  fr: "Hall fréquenté depuis {duration}"
                  en: "{value} visitors in the hall (threshold {threshold})"
            """;

    /** A guard's people figure in a summary stops the load, naming the file, the line, the path and the rule. */
    @Test
    void aPeopleFigureInASummaryIsRefusedWithTheRuleAndLine() {
        RuleSetException e = catchThrowableOfType(() -> RuleSetLoader.parse(GUARDED, "mine.yaml"), RuleSetException.class);
        assertThat(e).isNotNull();
        assertThat(e.errors()).hasSize(1);
        assertThat(e.errors().get(0)).startsWith("mine.yaml:14: rules[0].summary.fr: rule lights-on-nobody: {people} is an occupancy figure");
    }

    /** The power detector's {value} is not the guard's: the same rule without {people} loads. */
    @Test
    void theDetectorsOwnFiguresStayUsable() throws RuleSetException {
        RuleSet set = RuleSetLoader.parse(GUARDED.replace(" avec {people} personnes", ""), "mine.yaml");
        assertThat(OccupancyFigures.of(set.rule("lights-on-nobody").orElseThrow(), OccupancyFigures.VOCABULARY))
                .containsExactly("people");
    }

    /** A detector reading a point the portfolio counts people with: every figure of it is occupancy. */
    @Test
    void aDetectorOnAnOccupancyPointOfThePortfolioGivesNoFigureToASummary() throws RuleSetException {
        assertThat(RuleSetLoader.parse(COUNTED, "c.yaml").rules()).hasSize(1); // "visitors" is not in the vocabulary
        RuleSetException e = catchThrowableOfType(() -> RuleSetLoader.parse(COUNTED, "c.yaml", DetectorRegistry.standard(),
                Set.of("visitors")), RuleSetException.class);
        assertThat(e.errors()).hasSize(2).allMatch(m -> m.startsWith("c.yaml:14: rules[0].summary.en: rule crowded-hall: {"));
        assertThat(e.errors()).anyMatch(m -> m.contains("{value}")).anyMatch(m -> m.contains("{threshold}"));
    }

    /** The built-in catalog states no people figure; its lighting rule's people count is known as occupancy. */
    @Test
    void theCatalogLoadsAndItsLightingRuleCountsPeopleInOneFigure() {
        RuleSet catalog = BuiltInCatalog.load();
        assertThat(OccupancyFigures.of(catalog.rule("lighting-on-empty").orElseThrow(), OccupancyFigures.VOCABULARY))
                .containsExactly("people");
        assertThat(catalog.rules().stream().filter(r -> !OccupancyFigures.of(r, OccupancyFigures.VOCABULARY).isEmpty())
                .map(RuleDefinition::id)).containsExactly("lighting-on-empty");
    }
}
