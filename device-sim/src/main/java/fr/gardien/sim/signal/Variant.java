package fr.gardien.sim.signal;

import java.util.Arrays;
import java.util.Optional;

/**
 * Which buildings a run simulates (issue 16): the {@code usual} ones, on which the rule catalog's
 * thresholds were chosen, or {@code held-out} ones, drawn per site from ranges it was not tuned on
 * (see {@link BuildingProfile#heldOut(long, String, boolean)}). The portfolio and the run must be
 * made with the same variant.
 */
public enum Variant {
  USUAL("usual"),
  HELD_OUT("held-out");

  private final String id;

  Variant(String id) {
    this.id = id;
  }

  /** The name on the command line: {@code usual} or {@code held-out}. */
  public String id() {
    return id;
  }

  public static Optional<Variant> byId(String id) {
    return Arrays.stream(values()).filter(v -> v.id.equals(id)).findFirst();
  }

  /** For picocli: {@code --variant usual|held-out}. */
  public static final class Converter implements picocli.CommandLine.ITypeConverter<Variant> {
    @Override
    public Variant convert(String value) {
      return byId(value).orElseThrow(() -> new picocli.CommandLine.TypeConversionException(
          "expected usual or held-out, got '" + value + "'"));
    }
  }
}
