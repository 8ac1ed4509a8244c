package fr.gardien.sim.testing;

import fr.gardien.sim.portfolio.Portfolio;
import java.util.HashMap;
import java.util.Map;

/** The credentials the fake gateways check: each device's secret, by device id. */
public final class DeviceSecrets {

  private DeviceSecrets() {
  }

  /** A new, modifiable map of the portfolio's device secrets (a test may then spoil one). */
  public static Map<String, String> of(Portfolio portfolio) {
    Map<String, String> secrets = new HashMap<>();
    portfolio.devices().forEach(d -> secrets.put(d.id(), d.secret()));
    return secrets;
  }
}
