package fr.gardien.sim.portfolio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import fr.gardien.sim.portfolio.Portfolio.Device;
import fr.gardien.sim.portfolio.Portfolio.Equipment;
import fr.gardien.sim.portfolio.Portfolio.Point;
import fr.gardien.sim.portfolio.Portfolio.Site;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the portfolio YAML of the public contract (sites → equipment → points, devices).
 * Fields the simulator does not need (api-tokens, purposes…) are ignored. Every problem is
 * collected and reported at once, including devices that have only a {@code secret-hash}:
 * the simulator must authenticate as the device, so it needs the plain secret.
 */
public final class PortfolioReader {
  private static final Pattern SITE_ID = Pattern.compile("[a-z0-9-]+");
  private static final ZoneId DEFAULT_ZONE = ZoneId.of("Europe/Paris");

  private PortfolioReader() {}

  /** As {@link #read(Path)}, or {@code null} after printing every problem of the file to {@code err} (the commands' way). */
  public static Portfolio read(Path file, PrintWriter err) {
    try {
      return read(file);
    } catch (PortfolioException e) {
      err.println(e.getMessage());
      return null;
    }
  }

  /** Reads and validates a portfolio file; fails with every problem found. */
  public static Portfolio read(Path file) throws PortfolioException {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new PortfolioException(file.toString(), List.of("file not found"));
    } catch (IOException e) {
      throw new PortfolioException(file.toString(), List.of("cannot be read: " + e.getMessage()));
    }
    return parse(file.toString(), text);
  }

  /** Parses portfolio YAML text; {@code origin} names it in error messages. */
  public static Portfolio parse(String origin, String yaml) throws PortfolioException {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new PortfolioException(origin, List.of("not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : "")));
    }
    List<String> problems = new ArrayList<>();
    if (root == null || !root.isObject()) {
      throw new PortfolioException(origin, List.of("the document must be a mapping with 'sites' and 'devices'"));
    }
    List<Site> sites = readSites(root.get("sites"), problems);
    List<Device> devices = readDevices(root.get("devices"), sites, problems);
    if (!problems.isEmpty()) {
      throw new PortfolioException(origin, problems);
    }
    return new Portfolio(sites, devices);
  }

  private static List<Site> readSites(JsonNode node, List<String> problems) {
    List<Site> sites = new ArrayList<>();
    if (node == null || !node.isArray() || node.isEmpty()) {
      problems.add("'sites' must be a non-empty list");
      return sites;
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode s = node.get(i);
      String id = text(s, "id");
      String where = "sites[" + i + "]" + (id != null ? " (" + id + ")" : "");
      if (id == null || !SITE_ID.matcher(id).matches()) {
        problems.add(where + ": 'id' must match [a-z0-9-]+");
        continue;
      }
      if (!ids.add(id)) {
        problems.add(where + ": duplicate site id");
      }
      ZoneId zone = DEFAULT_ZONE;
      String tz = text(s, "timezone");
      if (tz != null) {
        try {
          zone = ZoneId.of(tz);
        } catch (DateTimeException e) {
          problems.add(where + ": unknown timezone '" + tz + "'");
        }
      }
      sites.add(new Site(id, text(s, "name"), zone, readEquipment(s.get("equipment"), where, problems)));
    }
    return sites;
  }

  private static List<Equipment> readEquipment(JsonNode node, String site, List<String> problems) {
    List<Equipment> list = new ArrayList<>();
    if (node == null || node.isNull()) {
      return list;
    }
    if (!node.isArray()) {
      problems.add(site + ": 'equipment' must be a list");
      return list;
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode e = node.get(i);
      String id = text(e, "id");
      String where = site + " equipment[" + i + "]" + (id != null ? " (" + id + ")" : "");
      if (id == null || id.isBlank() || id.contains("/")) {
        problems.add(where + ": 'id' is required and may not contain '/'");
        continue;
      }
      if (!ids.add(id)) {
        problems.add(where + ": duplicate equipment id");
      }
      String type = text(e, "type");
      if (type == null) {
        problems.add(where + ": 'type' is required");
      }
      list.add(new Equipment(id, type, readPoints(e.get("points"), where, problems)));
    }
    return list;
  }

  private static List<Point> readPoints(JsonNode node, String equipment, List<String> problems) {
    List<Point> list = new ArrayList<>();
    if (node == null || node.isNull()) {
      return list;
    }
    if (!node.isArray()) {
      problems.add(equipment + ": 'points' must be a list");
      return list;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode p = node.get(i);
      String name = text(p, "name");
      if (name == null || name.isBlank() || name.contains("/")) {
        problems.add(equipment + " points[" + i + "]: 'name' is required and may not contain '/'");
        continue;
      }
      if (!names.add(name)) {
        problems.add(equipment + " point " + name + ": duplicate point name");
      }
      list.add(new Point(name, text(p, "unit"), text(p, "category")));
    }
    return list;
  }

  private static List<Device> readDevices(JsonNode node, List<Site> sites, List<String> problems) {
    List<Device> devices = new ArrayList<>();
    if (node == null || !node.isArray() || node.isEmpty()) {
      problems.add("'devices' must be a non-empty list");
      return devices;
    }
    Set<String> siteIds = new HashSet<>();
    sites.forEach(s -> siteIds.add(s.id()));
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode d = node.get(i);
      String id = text(d, "id");
      String where = "devices[" + i + "]" + (id != null ? " (" + id + ")" : "");
      if (id == null || id.isBlank()) {
        problems.add(where + ": 'id' is required");
        continue;
      }
      if (!ids.add(id)) {
        problems.add(where + ": duplicate device id");
      }
      String site = text(d, "site");
      if (site == null || !siteIds.contains(site)) {
        problems.add(where + ": 'site' must name a declared site (got " + site + ")");
      }
      String secret = text(d, "secret");
      if (secret == null) {
        problems.add(d.hasNonNull("secret-hash")
            ? "device " + id + " has only a secret-hash; the simulator needs its plain 'secret' to connect as it"
            : where + ": 'secret' is required");
      }
      devices.add(new Device(id, site, secret));
    }
    return devices;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
  }
}
