package fr.gardien.gateway.registry;

import fr.gardien.model.ApiToken;
import fr.gardien.model.Device;
import fr.gardien.model.RegisteredPoint;
import fr.gardien.model.Site;
import fr.gardien.storage.access.StoredRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of the registry for the hot path: point, device and site look-ups by id
 * are one hash-map read. A reload builds a new snapshot and swaps it in whole (see
 * {@link RegistryService}), so a pack is always checked against one consistent registry.
 */
public final class Registry {

    private final Map<String, RegisteredPoint> pointsByKey;
    private final Map<String, Device> devices;
    private final Map<String, Site> sites;
    private final Map<String, List<RegisteredPoint>> pointsBySite;
    private final List<ApiToken> apiTokens;
    private final Map<String, ApiToken> issuedTokensByHash;
    private final Map<String, CoapAccess> coapAccess;

    private Registry(StoredRegistry stored, Map<String, CoapAccess> coapAccess) {
        this.coapAccess = Map.copyOf(coapAccess);
        pointsByKey = new HashMap<>(stored.points().size() * 2);
        pointsBySite = new HashMap<>();
        for (RegisteredPoint point : stored.points()) {
            pointsByKey.put(point.key().toString(), point);
            pointsBySite.computeIfAbsent(point.key().site(), s -> new ArrayList<>()).add(point);
        }
        devices = new HashMap<>();
        for (Device device : stored.devices()) {
            devices.put(device.id(), device);
        }
        sites = new LinkedHashMap<>();
        for (Site site : stored.sites()) {
            sites.put(site.id(), site);
        }
        apiTokens = List.copyOf(stored.apiTokens());
        issuedTokensByHash = byHash(apiTokens);
    }

    private Registry(Registry base, List<ApiToken> tokens) {
        pointsByKey = base.pointsByKey;
        pointsBySite = base.pointsBySite;
        devices = base.devices;
        sites = base.sites;
        coapAccess = base.coapAccess;
        apiTokens = List.copyOf(tokens);
        issuedTokensByHash = byHash(apiTokens);
    }

    private static Map<String, ApiToken> byHash(List<ApiToken> tokens) {
        Map<String, ApiToken> map = new HashMap<>();
        for (ApiToken token : tokens) {
            if (IssuedTokens.isIssuedHash(token.tokenHash())) {
                map.put(token.tokenHash(), token);
            }
        }
        return map;
    }

    /** A registry without CoAP access: what the database alone can give (it holds no key in clear). */
    public static Registry of(StoredRegistry stored) {
        return new Registry(stored, Map.of());
    }

    /** A registry with the CoAP access read from the portfolio file, by device id. */
    public static Registry of(StoredRegistry stored, Map<String, CoapAccess> coapAccess) {
        return new Registry(stored, coapAccess);
    }

    /** The CoAP access of a device, or {@code null} when unknown or loaded without the file. */
    public CoapAccess coapAccess(String deviceId) {
        return coapAccess.get(deviceId);
    }

    /** The active point of that key ({@code site/equipment/point}), or {@code null}. */
    public RegisteredPoint point(String key) {
        return pointsByKey.get(key);
    }

    /** The device of that id, or {@code null}. */
    public Device device(String id) {
        return devices.get(id);
    }

    /** The site of that id, or {@code null}. */
    public Site site(String id) {
        return sites.get(id);
    }

    public Collection<Site> sites() {
        return sites.values();
    }

    /** The active points of a site, in registry order; empty for an unknown site. */
    public List<RegisteredPoint> pointsOfSite(String siteId) {
        return pointsBySite.getOrDefault(siteId, List.of());
    }

    public List<ApiToken> apiTokens() {
        return apiTokens;
    }

    /** This registry with another list of API tokens (after one was created or revoked through the API). */
    public Registry withTokens(List<ApiToken> tokens) {
        return new Registry(this, tokens);
    }

    /** The API-created token of that {@link IssuedTokens#hash}, or {@code null}. */
    public ApiToken issuedToken(String hash) {
        return issuedTokensByHash.get(hash);
    }

    /** The token of that name, or {@code null}. */
    public ApiToken apiToken(String name) {
        for (ApiToken token : apiTokens) {
            if (token.name().equals(name)) {
                return token;
            }
        }
        return null;
    }

    public int pointCount() {
        return pointsByKey.size();
    }

    public int deviceCount() {
        return devices.size();
    }
}
