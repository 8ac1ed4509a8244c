package fr.gardien.rules;

import java.util.List;

/**
 * The state of every rule instance of a {@link RuleEngine}, as plain records and maps the
 * gateway can write as JSON and read back (see {@link RuleEngine#restore(EngineSnapshot)}).
 */
public record EngineSnapshot(List<InstanceSnapshot> instances) {
    public EngineSnapshot {
        instances = List.copyOf(instances);
    }
}
