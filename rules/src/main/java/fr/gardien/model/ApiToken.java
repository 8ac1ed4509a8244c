package fr.gardien.model;

import java.util.List;

/**
 * A bearer token for people and tools using the HTTP API.
 *
 * @param name a unique, human-readable name (shown in logs and audit, never the token)
 * @param tokenHash the salted hash of the token; the plain token is never kept
 * @param role admin, building-manager or energy-analyst
 * @param sites the site ids it may see, or {@code ["*"]} for all
 */
public record ApiToken(String name, String tokenHash, String role, List<String> sites) {
    public ApiToken {
        sites = List.copyOf(sites);
    }

    public boolean allSites() {
        return sites.contains("*");
    }

    public boolean maySee(String site) {
        return allSites() || sites.contains(site);
    }
}
