package fr.gardien.storage.alerts;

import fr.gardien.rules.Severity;
import java.time.Instant;
import java.util.Set;

/**
 * A filter of {@link AlertStore#list}. Every null filter is no filter.
 *
 * @param sites the sites the caller may see ({@code null}: all; empty: none)
 * @param since only alerts changed (a transition) at or after it
 * @param limit at most this many, newest change first; 1 to {@value AlertStore#MAX_LIMIT}
 */
public record AlertQuery(Alert.State state, Set<String> sites, Severity severity, Instant since, int limit) {

    public AlertQuery {
        if (limit < 1 || limit > AlertStore.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be from 1 to " + AlertStore.MAX_LIMIT + ", was " + limit);
        }
        sites = sites == null ? null : Set.copyOf(sites);
    }

    /** Every alert, newest first, up to {@code limit}. */
    public static AlertQuery all(int limit) {
        return new AlertQuery(null, null, null, null, limit);
    }
}
