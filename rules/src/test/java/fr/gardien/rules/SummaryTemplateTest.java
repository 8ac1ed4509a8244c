package fr.gardien.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How summaries show numbers: what the caretaker reads must be the figure. */
class SummaryTemplateTest {

    /** One decimal at most, a comma in French; below 1, two significant digits, so that 0.05 is not shown as 0.1. */
    @Test
    void numbersKeepTheirMeaningBelowOne() {
        assertThat(SummaryTemplate.number(54.32, true)).isEqualTo("54,3");
        assertThat(SummaryTemplate.number(55, false)).isEqualTo("55");
        assertThat(SummaryTemplate.number(200_277, false)).isEqualTo("200277");
        assertThat(SummaryTemplate.number(-3.0, false)).isEqualTo("-3");
        assertThat(SummaryTemplate.number(0.05, false)).isEqualTo("0.05");      // a night-flow threshold in m3/h
        assertThat(SummaryTemplate.number(-0.0417, true)).isEqualTo("-0,042");  // a pressure falling, bar/h
        assertThat(SummaryTemplate.number(0.993, false)).isEqualTo("0.99");     // a pressure just under 1 bar
        assertThat(SummaryTemplate.number(0.3, true)).isEqualTo("0,3");
        assertThat(SummaryTemplate.number(0.999, false)).isEqualTo("1");
        assertThat(SummaryTemplate.number(0, false)).isEqualTo("0");
    }
}
