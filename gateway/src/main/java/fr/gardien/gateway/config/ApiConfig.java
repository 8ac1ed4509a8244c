package fr.gardien.gateway.config;

/**
 * The read API's privacy settings.
 *
 * @param occupancyMinCount the smallest people count of an occupancy bucket served to roles
 *     other than the energy team ({@code api.occupancy-min-count}), 1 to 1,000,000
 * @throws IllegalArgumentException when the value is out of its range
 */
public record ApiConfig(int occupancyMinCount) {
    public ApiConfig {
        ConfigKey.API_OCCUPANCY_MIN_COUNT.checkInt(occupancyMinCount);
    }
}
