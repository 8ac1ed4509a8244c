package fr.gardien.sim.portfolio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class PortfolioReaderTest {

  /** The sample portfolio is read with its sites, equipment, points, units and devices. */
  @Test
  void readsSitesEquipmentPointsAndDevices() throws Exception {
    Portfolio p = PortfolioReader.read(Path.of("src/test/resources/portfolio-two-sites.yaml"));

    assertThat(p.sites()).extracting(Portfolio.Site::id).containsExactly("tilleuls", "acacias");
    Portfolio.Site tilleuls = p.site("tilleuls").orElseThrow();
    assertThat(tilleuls.timezone()).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(tilleuls.equipment().get(0).type()).isEqualTo("boiler");
    assertThat(tilleuls.equipment().get(0).points().get(0))
        .isEqualTo(new Portfolio.Point("supply_temp", "Cel", "heat"));
    assertThat(p.devicesOf("tilleuls")).extracting(Portfolio.Device::id)
        .containsExactly("gw-tilleuls", "sensor-tilleuls-vmc");
    assertThat(p.devices().get(2).secret()).isEqualTo("s3cret-acacias");
  }

  /** A device with only a secret-hash cannot be simulated, and the error names it. */
  @Test
  void rejectsADeviceWithOnlyASecretHashNamingIt() {
    String yaml = """
        sites:
          - id: tilleuls
            equipment:
              - {id: boiler-1, type: boiler, points: [{name: supply_temp, unit: Cel}]}
        devices:
          - {id: gw-ok, site: tilleuls, secret: plain}
          - {id: gw-hashed, site: tilleuls, secret-hash: "$argon2id$v=19$abc"}
        """;

    assertThatThrownBy(() -> PortfolioReader.parse("inline", yaml))
        .isInstanceOf(PortfolioException.class)
        .hasMessageContaining("gw-hashed")
        .hasMessageContaining("secret-hash")
        .hasMessageNotContaining("gw-ok");
  }

  /** Every problem of a broken file is reported at once, each naming its entry. */
  @Test
  void reportsEveryProblemAtOnce() {
    String yaml = """
        sites:
          - id: Bad_Id
          - id: ok
            equipment:
              - {id: e1, points: [{name: p}, {name: p}]}
        devices:
          - {id: d1, site: nowhere, secret: x}
        """;

    assertThatThrownBy(() -> PortfolioReader.parse("inline", yaml))
        .isInstanceOfSatisfying(PortfolioException.class, e -> assertThat(e.problems()).hasSize(4)
            .anySatisfy(m -> assertThat(m).contains("Bad_Id"))
            .anySatisfy(m -> assertThat(m).contains("'type' is required"))
            .anySatisfy(m -> assertThat(m).contains("duplicate point name"))
            .anySatisfy(m -> assertThat(m).contains("nowhere")));
  }

  /** A missing file is reported as such rather than as a parse error. */
  @Test
  void reportsAMissingFile() {
    assertThatThrownBy(() -> PortfolioReader.read(Path.of("does-not-exist.yaml")))
        .hasMessageContaining("does-not-exist.yaml").hasMessageContaining("file not found");
  }
}
