package fr.gardien.sim.portfolio;

import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * The part of a Gardien portfolio file the simulator needs: sites with their equipment and
 * points, and the devices that may publish for them. Immutable; built by {@link PortfolioReader}.
 */
public record Portfolio(List<Site> sites, List<Device> devices) {

  public Portfolio {
    sites = List.copyOf(sites);
    devices = List.copyOf(devices);
  }

  /** The site with this id, if declared. */
  public Optional<Site> site(String id) {
    return sites.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  /** The devices attached to a site, in file order. */
  public List<Device> devicesOf(String siteId) {
    return devices.stream().filter(d -> d.site().equals(siteId)).toList();
  }

  /** A site: its id is the first segment of every point key. */
  public record Site(String id, String name, ZoneId timezone, List<Equipment> equipment) {
    public Site {
      equipment = List.copyOf(equipment);
    }

    /** Number of points over all equipment of the site. */
    public int pointCount() {
      return equipment.stream().mapToInt(e -> e.points().size()).sum();
    }
  }

  /** A piece of equipment; {@code type} selects the built-in signal model. */
  public record Equipment(String id, String type, List<Point> points) {
    public Equipment {
      points = List.copyOf(points);
    }
  }

  /** A measured point; {@code unit} is the SenML unit every reading must carry (may be null). */
  public record Point(String name, String unit, String category) {}

  /** A device and its plain secret (the simulator cannot use a hashed one). */
  public record Device(String id, String site, String secret) {
    @Override
    public String toString() {
      return "Device[id=" + id + ", site=" + site + ", secret=****]";
    }
  }
}
