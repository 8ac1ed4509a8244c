package fr.gardien.gateway.ticketing;

import fr.gardien.gateway.config.ConfigException;
import fr.gardien.gateway.config.YamlNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The errors of the {@code ticketing} section, collected so that all are reported at once, each
 * as {@code config.yaml:LINE: ticketing.connectors[0].type: message}. Connectors report the
 * errors of their own fields here too.
 */
public final class ConfigProblems {

    private final String file;
    private final List<String> errors = new ArrayList<>();

    /** @param file the configuration file's name as the errors should show it */
    public ConfigProblems(String file) {
        this.file = file;
    }

    /** Adds an error about the key at {@code path} (e.g. {@code ticketing.connectors[0].url}) found at {@code node}. */
    public void add(YamlNode node, String path, String message) {
        add(node.line(), path, message);
    }

    public void add(int line, String path, String message) {
        errors.add(file + ":" + line + ": " + path + ": " + message);
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public List<String> errors() {
        return List.copyOf(errors);
    }

    /** @throws ConfigException with every error, when there is any */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
    }
}
