package fr.gardien.gateway.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the gateway keeps its files (the embedded database among them).
 *
 * @param dir the data directory; need not exist yet
 */
public record DataConfig(Path dir) {
    public DataConfig {
        Objects.requireNonNull(dir, "dir");
    }
}
