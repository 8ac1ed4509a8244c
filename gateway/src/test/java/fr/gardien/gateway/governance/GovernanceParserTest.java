package fr.gardien.gateway.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import fr.gardien.gateway.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The governance section: read whole, or refused with every error and its line (issue 14). */
class GovernanceParserTest {

    static final Duration STORAGE = Duration.ofDays(400);

    @TempDir
    Path dir;

    /** Controller, DPO, categories in file order, durations in days, months and years. */
    @Test
    void aDeclaredSectionIsReadWhole() throws Exception {
        Path file = write("""
                http.port: 8080
                governance:
                  controller: "OPH de Test"
                  dpo-contact: "dpo@oph.example"
                  names-retention: 26w
                  categories:
                    occupancy: {purpose: "Adapt cleaning", legal-basis: legitimate-interest, retention: 90d, rollup-retention: 2y}
                    heat: {purpose: "Keep heating on", legal-basis: legal-obligation, retention: 400d, rollup-retention: 10y}
                """);
        GovernanceConfig g = GovernanceParser.load(file, STORAGE);
        assertThat(g.declared()).isTrue();
        assertThat(g.controller()).isEqualTo("OPH de Test");
        assertThat(g.categories()).containsOnlyKeys("occupancy", "heat");
        assertThat(g.categories().keySet()).containsExactly("occupancy", "heat");
        assertThat(g.categories().get("occupancy").rollupRetention()).isEqualTo(Duration.ofDays(730));
        assertThat(g.categories().get("heat").rollupRetention()).isEqualTo(Duration.ofDays(3650));
        assertThat(g.namesRetention()).isEqualTo(Duration.ofDays(182));
        assertThat(g.alertRetention()).isEqualTo(GovernanceConfig.DEFAULT_ALERT_RETENTION);
        assertThat(g.retentionPolicy().categories().get("occupancy").raw()).isEqualTo(Duration.ofDays(90));
    }

    /** Without a section the built-in declarations apply, and say so. */
    @Test
    void withoutASectionTheBuiltInDeclarationsApply() throws Exception {
        GovernanceConfig g = GovernanceParser.load(write("http.port: 8080\n"), STORAGE);
        assertThat(g.declared()).isFalse();
        assertThat(g.categories()).containsKeys("energy", "heat", "water", "occupancy", "equipment", "climate");
        assertThat(g.categories().get("occupancy").retention()).isEqualTo(Duration.ofDays(90));
    }

    /** Every error of the section at once, each with its line and key. */
    @Test
    void everyErrorIsReportedWithItsLine() throws Exception {
        Path file = write("""
                governance:
                  controller: "OPH"
                  colour: blue
                  categories:
                    occupancy: {purpose: "x", legal-basis: because, retention: 500d, rollup-retention: 2y}
                    heat: {legal-basis: contract, retention: forever, rollup-retention: 1y}
                """);
        ConfigException e = catchThrowableOfType(() -> GovernanceParser.load(file, STORAGE), ConfigException.class);
        assertThat(e.errors()).anyMatch(m -> m.equals(file + ":3: governance: unknown key \"colour\"; known: alert-retention,"
                        + " categories, controller, dpo-contact, names-retention"))
                .anyMatch(m -> m.matches(".*:\\d+: governance.dpo-contact: missing"))
                .anyMatch(m -> m.startsWith(file + ":5: governance.categories.occupancy.legal-basis: expected one of"))
                .anyMatch(m -> m.startsWith(file + ":5: governance.categories.occupancy.retention: longer than storage.retention"))
                .anyMatch(m -> m.matches(".*:\\d+: governance.categories.heat.purpose: missing"))
                .anyMatch(m -> m.startsWith(file + ":6: governance.categories.heat.retention: expected a duration"))
                .hasSize(6);
    }

    /**
     * A category's own quarantine retention is read and handed to the purge; the others have none
     * (the global {@code storage.quarantine-retention} applies); one longer than the category's
     * raw retention is refused.
     */
    @Test
    void aCategoryMayHaveItsOwnQuarantineRetention() throws Exception {
        GovernanceConfig g = GovernanceParser.load(write("""
                governance:
                  controller: "OPH"
                  dpo-contact: "dpo@oph.example"
                  categories:
                    occupancy: {purpose: "x", legal-basis: legitimate-interest, retention: 90d, rollup-retention: 2y, quarantine-retention: 7d}
                    heat: {purpose: "y", legal-basis: legal-obligation, retention: 400d, rollup-retention: 10y}
                """), STORAGE);
        assertThat(g.quarantineRetention()).containsExactly(java.util.Map.entry("occupancy", Duration.ofDays(7)));
        assertThat(g.categories().get("heat").quarantineRetention()).isEmpty();

        Path file = write("""
                governance:
                  controller: "OPH"
                  dpo-contact: "dpo@oph.example"
                  categories:
                    occupancy: {purpose: "x", legal-basis: legitimate-interest, retention: 90d, rollup-retention: 2y, quarantine-retention: 100d}
                """);
        ConfigException e = catchThrowableOfType(() -> GovernanceParser.load(file, STORAGE), ConfigException.class);
        assertThat(e.errors()).containsExactly(file + ":5: governance.categories.occupancy.quarantine-retention: longer than"
                + " its retention (90d): a rejected reading would outlive the stored ones");
    }

    private Path write(String text) throws Exception {
        Path file = dir.resolve("gardien.yaml");
        Files.writeString(file, text);
        return file;
    }
}
