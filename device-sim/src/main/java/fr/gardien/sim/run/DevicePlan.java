package fr.gardien.sim.run;

import fr.gardien.sim.portfolio.Portfolio;
import fr.gardien.sim.portfolio.Portfolio.Device;
import fr.gardien.sim.portfolio.Portfolio.Equipment;
import fr.gardien.sim.portfolio.Portfolio.Site;
import java.util.ArrayList;
import java.util.List;

/**
 * What one device sends: a share of its site's equipment. When a site has several devices its
 * equipment is dealt round-robin among them, so each point is sent by exactly one device.
 */
public record DevicePlan(Device device, Site site, List<Equipment> equipment) {

  public DevicePlan {
    equipment = List.copyOf(equipment);
  }

  /** The plans of every device of the portfolio, in file order (some may have no equipment). */
  public static List<DevicePlan> assign(Portfolio portfolio) {
    List<DevicePlan> plans = new ArrayList<>();
    for (Site site : portfolio.sites()) {
      List<Device> devices = portfolio.devicesOf(site.id());
      for (int d = 0; d < devices.size(); d++) {
        List<Equipment> share = new ArrayList<>();
        for (int e = d; e < site.equipment().size(); e += devices.size()) {
          share.add(site.equipment().get(e));
        }
        plans.add(new DevicePlan(devices.get(d), site, share));
      }
    }
    return plans;
  }

  /** Number of points this device sends each interval. */
  public int pointCount() {
    return equipment.stream().mapToInt(e -> e.points().size()).sum();
  }
}
