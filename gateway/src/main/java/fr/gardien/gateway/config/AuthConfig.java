package fr.gardien.gateway.config;

import java.time.Duration;

/**
 * The brake on credential guessing (see {@code AuthBrake}).
 *
 * @param maxFailures failed authentications from one source address before it is refused for a
 *     while, 1 to 1,000,000
 * @param deviceMaxFailures failed authentications for one device id, from any address, before
 *     that device is refused from addresses it never authenticated from, 1 to 1,000,000
 * @param blockTime the first refusal's length (doubled at each new one, up to 64 times), 1s to 1 day
 * @throws IllegalArgumentException when a value is out of its range
 */
public record AuthConfig(int maxFailures, int deviceMaxFailures, Duration blockTime) {
    public AuthConfig {
        ConfigKey.AUTH_MAX_FAILURES.checkInt(maxFailures);
        ConfigKey.AUTH_DEVICE_MAX_FAILURES.checkInt(deviceMaxFailures);
        ConfigKey.AUTH_BLOCK_TIME.checkDuration(blockTime);
    }

    /** The defaults. */
    public static AuthConfig defaults() {
        return new AuthConfig(Integer.parseInt(ConfigKey.AUTH_MAX_FAILURES.defaultText),
                Integer.parseInt(ConfigKey.AUTH_DEVICE_MAX_FAILURES.defaultText), ConfigKey.AUTH_BLOCK_TIME.defaultDuration());
    }
}
