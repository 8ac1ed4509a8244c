package fr.gardien.storage.access;

import fr.gardien.model.ApiToken;
import fr.gardien.model.Device;
import fr.gardien.model.RegisteredPoint;
import fr.gardien.model.Site;
import java.util.List;

/**
 * The registry as stored, in declaration order.
 *
 * @param sites the sites with their equipment and active points
 * @param points active points only, with their stable ids
 */
public record StoredRegistry(List<Site> sites, List<RegisteredPoint> points, List<Device> devices,
                             List<ApiToken> apiTokens) {
    public StoredRegistry {
        sites = List.copyOf(sites);
        points = List.copyOf(points);
        devices = List.copyOf(devices);
        apiTokens = List.copyOf(apiTokens);
    }
}
