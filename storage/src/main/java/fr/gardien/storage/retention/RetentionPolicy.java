package fr.gardien.storage.retention;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How long each kind of stored data is kept (issue 14), validated by the gateway's governance
 * configuration.
 *
 * @param categories point category → how long its raw readings and its rollups are kept
 * @param alerts how long a resolved alert is kept after its resolution, with its transitions,
 *     outbox rows and delivery audit
 * @param names how long the names of the people who acknowledged, resolved or silenced, and
 *     their notes, are kept before they are replaced by {@value RetentionPurger#PSEUDONYM}
 */
public record RetentionPolicy(Map<String, CategoryRetention> categories, Duration alerts, Duration names) {

    public RetentionPolicy {
        categories = Map.copyOf(categories);
        Objects.requireNonNull(alerts, "alerts");
        Objects.requireNonNull(names, "names");
    }

    /**
     * @param raw how long raw readings of the category are kept
     * @param rollups how long its hourly and daily rollups are kept
     */
    public record CategoryRetention(Duration raw, Duration rollups) {
        public CategoryRetention {
            Objects.requireNonNull(raw, "raw");
            Objects.requireNonNull(rollups, "rollups");
        }
    }
}
