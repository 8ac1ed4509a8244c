package fr.gardien.sim.senml;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackBuilderTest {
  private static final Instant T0 = Instant.parse("2025-11-21T08:00:00Z");

  /** A resolved SenML record: name, unit, value, time in epoch seconds. */
  record Resolved(String name, String unit, double value, BigDecimal time) {}

  /** Resolves a pack the way RFC 8428 §4.6 says, for base name and base time only. */
  static List<Resolved> resolve(byte[] json) throws Exception {
    JsonNode pack = new ObjectMapper().readTree(json);
    assertThat(pack.isArray()).isTrue();
    List<Resolved> out = new ArrayList<>();
    String bn = "";
    BigDecimal bt = BigDecimal.ZERO;
    for (JsonNode r : pack) {
      if (r.has("bn")) {
        bn = r.get("bn").asText();
      }
      if (r.has("bt")) {
        bt = r.get("bt").decimalValue();
      }
      BigDecimal t = r.has("t") ? r.get("t").decimalValue() : BigDecimal.ZERO;
      out.add(new Resolved(bn + r.get("n").asText(), r.has("u") ? r.get("u").asText() : null,
          r.get("v").asDouble(), bt.add(t)));
    }
    return out;
  }

  /** Readings of one equipment share its prefix as base name and resolve to their point keys. */
  @Test
  void readingsOfOneEquipmentResolveToTheirPointKeys() throws Exception {
    byte[] json = PackBuilder.encode(List.of(
        new Reading("tilleuls/boiler-1/supply_temp", "Cel", 71.5, false, T0),
        new Reading("tilleuls/boiler-1/return_temp", "Cel", 55.0, false, T0),
        new Reading("tilleuls/boiler-1/burner_on", null, 1, true, T0)));

    JsonNode first = new ObjectMapper().readTree(json).get(0);
    assertThat(first.get("bn").asText()).isEqualTo("tilleuls/boiler-1/");
    assertThat(first.get("bt").isIntegralNumber()).isTrue();
    assertThat(new ObjectMapper().readTree(json).get(2).get("v").isIntegralNumber()).isTrue();
    assertThat(resolve(json)).containsExactly(
        new Resolved("tilleuls/boiler-1/supply_temp", "Cel", 71.5, BigDecimal.valueOf(1763712000L)),
        new Resolved("tilleuls/boiler-1/return_temp", "Cel", 55.0, BigDecimal.valueOf(1763712000L)),
        new Resolved("tilleuls/boiler-1/burner_on", null, 1, BigDecimal.valueOf(1763712000L)));
  }

  /** Readings of several equipment use the site as base name and carry their own time offsets. */
  @Test
  void readingsOfSeveralEquipmentAndTimesResolveWithOffsets() throws Exception {
    byte[] json = PackBuilder.encode(List.of(
        new Reading("acacias/water-1/volume", "m3", 10234.125, false, T0.plusMillis(250)),
        new Reading("acacias/elec-sg/energy", "kWh", 15000.5, false, T0.plusMillis(1250))));

    assertThat(new ObjectMapper().readTree(json).get(0).get("bn").asText()).isEqualTo("acacias/");
    assertThat(resolve(json)).containsExactly(
        new Resolved("acacias/water-1/volume", "m3", 10234.125, new BigDecimal("1763712000.25")),
        new Resolved("acacias/elec-sg/energy", "kWh", 15000.5, new BigDecimal("1763712001.25")));
  }

  /** In CBOR the same pack uses SenML's integer labels (RFC 8428 §6) and plain numbers for its times. */
  @Test
  void cborPackUsesIntegerLabelsAndResolvesLikeJson() throws Exception {
    List<Reading> readings = List.of(
        new Reading("acacias/water-1/volume", "m3", 10234.125, false, T0.plusMillis(250)),
        new Reading("acacias/elec-sg/energy", "kWh", 15000.5, false, T0.plusMillis(1250)),
        new Reading("acacias/hall/count", null, 12, true, T0.plusMillis(2250)));

    JsonNode pack = new ObjectMapper(new com.fasterxml.jackson.dataformat.cbor.CBORFactory())
        .readTree(PackBuilder.encode(readings, PackFormat.CBOR));

    JsonNode first = pack.get(0);
    assertThat(first.get("-2").asText()).isEqualTo("acacias/");
    assertThat(first.get("-3").isNumber()).isTrue();
    assertThat(first.get("-3").asDouble()).isEqualTo(1763712000.25);
    assertThat(first.get("0").asText()).isEqualTo("water-1/volume");
    assertThat(first.get("1").asText()).isEqualTo("m3");
    assertThat(first.get("2").asDouble()).isEqualTo(10234.125);
    assertThat(pack.get(1).get("6").asDouble()).isEqualTo(1.0);
    assertThat(pack.get(2).has("1")).isFalse();
    assertThat(pack.get(2).get("2").isIntegralNumber()).isTrue();
    assertThat(pack.get(2).get("6").asDouble()).isEqualTo(2.0);
    assertThat(pack.findValue("bn")).isNull();
  }
}
