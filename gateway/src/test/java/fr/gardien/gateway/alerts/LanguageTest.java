package fr.gardien.gateway.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LanguageTest {

    /** French unless the caller prefers English: absent or foreign headers, weights, regions and ties. */
    @Test
    void picksTheCallersPreferenceAmongFrenchAndEnglish() {
        assertThat(Language.fromAcceptLanguage(null)).isEqualTo(Language.FR);
        assertThat(Language.fromAcceptLanguage("")).isEqualTo(Language.FR);
        assertThat(Language.fromAcceptLanguage("de")).isEqualTo(Language.FR);
        assertThat(Language.fromAcceptLanguage("en")).isEqualTo(Language.EN);
        assertThat(Language.fromAcceptLanguage("en-GB,en;q=0.9")).isEqualTo(Language.EN);
        assertThat(Language.fromAcceptLanguage("fr-FR, en;q=0.8")).isEqualTo(Language.FR);
        assertThat(Language.fromAcceptLanguage("fr;q=0.4, en;q=0.6")).isEqualTo(Language.EN);
        assertThat(Language.fromAcceptLanguage("de, en;q=0.5, fr;q=0.5")).isEqualTo(Language.EN);
        assertThat(Language.fromAcceptLanguage("en;q=0, fr;q=0.1")).isEqualTo(Language.FR);
        assertThat(Language.fromAcceptLanguage("english")).isEqualTo(Language.FR);
    }
}
