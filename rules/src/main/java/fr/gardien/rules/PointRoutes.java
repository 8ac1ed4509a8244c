package fr.gardien.rules;

import java.util.Arrays;

/**
 * Point id → the rule instances that read it, with the input's role index in each: an
 * open-addressing table of primitive keys, built once, so the hot path neither boxes nor
 * allocates.
 */
final class PointRoutes {

    /** The instances reading one point. */
    static final class Route {
        RuleInstance[] instances = new RuleInstance[0];
        int[] roles = new int[0];

        void add(RuleInstance instance, int role) {
            instances = Arrays.copyOf(instances, instances.length + 1);
            roles = Arrays.copyOf(roles, roles.length + 1);
            instances[instances.length - 1] = instance;
            roles[roles.length - 1] = role;
        }
    }

    private int[] keys;
    private Route[] routes;
    private int mask;
    private int size;

    PointRoutes(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        keys = new int[capacity];
        routes = new Route[capacity];
        mask = capacity - 1;
    }

    /** The route of a point, or {@code null} when no instance reads it. */
    Route get(int pointId) {
        int i = mix(pointId) & mask;
        while (true) {
            Route route = routes[i];
            if (route == null || keys[i] == pointId) {
                return route;
            }
            i = (i + 1) & mask;
        }
    }

    Route getOrCreate(int pointId) {
        Route existing = get(pointId);
        if (existing != null) {
            return existing;
        }
        if ((size + 1) * 2 > keys.length) {
            rehash();
        }
        int i = mix(pointId) & mask;
        while (routes[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = pointId;
        routes[i] = new Route();
        size++;
        return routes[i];
    }

    int size() {
        return size;
    }

    private void rehash() {
        int[] oldKeys = keys;
        Route[] oldRoutes = routes;
        keys = new int[oldKeys.length * 2];
        routes = new Route[oldKeys.length * 2];
        mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldRoutes[j] != null) {
                int i = mix(oldKeys[j]) & mask;
                while (routes[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                routes[i] = oldRoutes[j];
            }
        }
    }

    private static int mix(int key) {
        int h = key * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
