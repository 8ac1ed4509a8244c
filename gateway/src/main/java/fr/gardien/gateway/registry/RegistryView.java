package fr.gardien.gateway.registry;

/**
 * Read-only access to the registry for the features that look devices, points, sites and tokens
 * up: they can read the snapshot in force, never reload it (that is {@link RegistryService}'s
 * job, for the maintenance and the admin API).
 */
@FunctionalInterface
public interface RegistryView {

    /**
     * The snapshot in force now; immutable. Take it once per request or pack: a reload between two
     * lookups must not mix two portfolios.
     */
    Registry current();
}
