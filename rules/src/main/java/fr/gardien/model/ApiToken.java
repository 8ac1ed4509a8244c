package fr.gardien.model;

import java.time.Instant;
import java.util.List;

/**
 * A bearer token for people and tools using the HTTP API.
 *
 * @param name a unique, human-readable name (shown in logs and audit, never the token)
 * @param tokenHash the hash of the token; the plain token is never kept
 * @param role admin, building-manager, energy-analyst or ticketing
 * @param sites the site ids it may see, or {@code ["*"]} for all; empty for a ticketing token
 * @param expiresAt when it stops working; {@code null}: never
 */
public record ApiToken(String name, String tokenHash, String role, List<String> sites, Instant expiresAt) {
    public ApiToken {
        sites = List.copyOf(sites);
    }

    /** A token that does not expire. */
    public ApiToken(String name, String tokenHash, String role, List<String> sites) {
        this(name, tokenHash, role, sites, null);
    }

    public boolean allSites() {
        return sites.contains("*");
    }

    public boolean maySee(String site) {
        return allSites() || sites.contains(site);
    }

    /** True once {@code now} has reached {@link #expiresAt}. */
    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
