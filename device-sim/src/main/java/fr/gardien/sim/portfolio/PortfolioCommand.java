package fr.gardien.sim.portfolio;

import fr.gardien.sim.signal.Variant;
import java.io.PrintWriter;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code portfolio}: prints a portfolio of N résidences, each with the equipment types of the
 * built-in rule catalog and its point names (contract: "Point vocabulary"), one field gateway per
 * site, and an admin API token. Deterministic with {@code --seed}: the device secrets are drawn
 * from it, so the file is for simulations and tests only.
 */
@Command(name = "portfolio", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Prints a simulated portfolio of N sites (YAML) on standard output.",
        "Each site has a boiler or a district-heat substation (one in three), hot water, a lift, ventilation, "
            + "water and electricity meters, a people counter and a climate sensor, with the point names of the "
            + "built-in rule catalog, and one device. The secrets come from --seed: for simulations only."})
public final class PortfolioCommand implements Callable<Integer> {
  private static final String[] TREES = {"Tilleuls", "Marronniers", "Acacias", "Peupliers", "Chênes", "Érables",
      "Platanes", "Charmes", "Frênes", "Bouleaux", "Cèdres", "Saules", "Ormes", "Merisiers", "Noyers", "Aulnes"};

  @Spec
  CommandSpec spec;

  @Option(names = "--sites", required = true, paramLabel = "N", description = "Number of sites (1-10000).")
  int sites;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Seed of the secrets and of the boiler/substation choice (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--variant", defaultValue = "usual", paramLabel = "usual|held-out", converter = Variant.Converter.class,
      description = "usual: a boiler (or, one site in three, a substation) with its own outdoor probe; held-out: a "
          + "substation on one site in two, and on one site in two the outdoor probe on a site-level weather equipment "
          + "(default: ${DEFAULT-VALUE}).")
  Variant variant;

  @Option(names = "--admin-token", required = true, paramLabel = "T",
      description = "The admin API token to declare (at least 8 characters); the gateway hashes it on load.")
  String adminToken;

  @Override
  public Integer call() {
    if (sites < 1 || sites > 10_000) {
      throw new ParameterException(spec.commandLine(), "--sites must be between 1 and 10000");
    }
    if (adminToken.length() < 8) {
      throw new ParameterException(spec.commandLine(), "--admin-token must have at least 8 characters");
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(generate(sites, seed, adminToken, variant));
    out.flush();
    return 0;
  }

  /** The portfolio text of the usual variant. */
  public static String generate(int sites, long seed, String adminToken) {
    return generate(sites, seed, adminToken, Variant.USUAL);
  }

  /** The portfolio text. */
  public static String generate(int sites, long seed, String adminToken, Variant variant) {
    SplittableRandom rnd = new SplittableRandom(seed);
    // Drawn apart, so that the usual variant's portfolio (and its secrets) stay what they were.
    SplittableRandom layout = new SplittableRandom(seed * 0x9e3779b97f4a7c15L + 5);
    boolean heldOut = variant == Variant.HELD_OUT;
    StringBuilder y = new StringBuilder();
    y.append("# Simulated portfolio: ").append(sites).append(" sites, seed ").append(seed)
        .append(" (gardien-sim portfolio). Secrets are derived from the seed: for simulations only.\n");
    y.append("sites:\n");
    StringBuilder devices = new StringBuilder("devices:\n");
    for (int i = 1; i <= sites; i++) {
      String id = String.format("site-%03d", i);
      boolean substation = rnd.nextInt(3) == 0;
      boolean weatherStation = false;
      if (heldOut) {
        substation = layout.nextInt(2) == 0;
        weatherStation = layout.nextInt(2) == 0;
      }
      String outdoor = weatherStation ? null : "outdoor_temp: Cel climate";
      y.append("  - id: ").append(id).append('\n');
      y.append("    name: Résidence Les ").append(TREES[(i - 1) % TREES.length])
          .append(i > TREES.length ? " " + ((i - 1) / TREES.length + 1) : "").append('\n');
      y.append("    timezone: Europe/Paris\n");
      y.append("    equipment:\n");
      if (substation) {
        equipment(y, "substation", "substation", "supply_temp: Cel heat", "return_temp: Cel heat",
            outdoor, "pressure: bar equipment");
      } else {
        equipment(y, "boiler-1", "boiler", "supply_temp: Cel heat", "return_temp: Cel heat",
            outdoor, "burner_on: / equipment", "pressure: bar equipment");
      }
      if (weatherStation) {
        equipment(y, "meteo", "weather", "outdoor_temp: Cel climate");
      }
      equipment(y, "ecs-1", "hot-water", "storage_temp: Cel heat", "loop_return_temp: Cel heat");
      equipment(y, "lift-a", "lift", "in_service: / equipment", "door_cycles: count equipment",
          "trips: count equipment", "fault_code: / equipment");
      equipment(y, "vmc-1", "ventilation", "fan_on: / equipment", "pressure_drop: Pa equipment");
      equipment(y, "water-main", "water-meter", "volume: m3 water", "flow: m3/h water");
      equipment(y, "elec-sg", "electricity-meter", "energy: Wh energy", "power: W energy");
      equipment(y, "hall-counter", "people-counter", "count: count occupancy");
      equipment(y, "laundry", "climate", "temperature: Cel climate", "humidity: %RH climate", "co2: ppm climate");
      byte[] secret = new byte[12];
      for (int b = 0; b < secret.length; b++) {
        secret[b] = (byte) rnd.nextInt(256);
      }
      devices.append("  - {id: gw-").append(id).append(", site: ").append(id).append(", secret: \"")
          .append(HexFormat.of().formatHex(secret)).append("\"}\n");
    }
    y.append(devices);
    y.append("api-tokens:\n");
    y.append("  - {name: evaluation, token: \"").append(adminToken.replace("\"", "")).append("\", role: admin, sites: [\"*\"]}\n");
    return y.toString();
  }

  private static void equipment(StringBuilder y, String id, String type, String... points) {
    y.append("      - id: ").append(id).append('\n');
    y.append("        type: ").append(type).append('\n');
    y.append("        points:\n");
    for (String p : points) {
      if (p == null) {
        continue;
      }
      String[] nameRest = p.split(": ", 2);
      String[] unitCategory = nameRest[1].split(" ");
      y.append("          - {name: ").append(nameRest[0]).append(", unit: \"").append(unitCategory[0])
          .append("\", category: ").append(unitCategory[1]).append("}\n");
    }
  }
}
