package fr.gardien.storage.access;

import java.time.Instant;
import java.util.List;

/**
 * An API token as listed to admins: everything but its hash.
 *
 * @param source {@code portfolio} (declared in the portfolio file) or {@code api} (created through the API)
 * @param createdBy the admin token that created it; {@code null} for the portfolio's
 * @param expiresAt {@code null}: never
 */
public record IssuedToken(String name, String role, List<String> sites, String source, Instant createdAt, String createdBy,
        Instant expiresAt) {
    public IssuedToken {
        sites = List.copyOf(sites);
    }
}
