package fr.gardien.model;

import java.util.List;

/**
 * The registry as declared in the portfolio file, secrets already hashed: what exists and who
 * may talk.
 */
public record Portfolio(List<Site> sites, List<Device> devices, List<ApiToken> apiTokens) {
    public Portfolio {
        sites = List.copyOf(sites);
        devices = List.copyOf(devices);
        apiTokens = List.copyOf(apiTokens);
    }
}
