package fr.gardien.rules.yaml;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every error of one file, so that a load reports them all at once, each as
 * {@code source:LINE: path: message}.
 */
public final class Problems {

    private final String source;
    private final List<String> messages = new ArrayList<>();

    public Problems(String source) {
        this.source = source;
    }

    /** Records an error at a line; {@code path} is the field's path, e.g. {@code rules[3].for}. */
    public void add(int line, String path, String message) {
        messages.add(source + ':' + line + ": " + (path.isEmpty() ? "" : path + ": ") + message);
    }

    public boolean isEmpty() {
        return messages.isEmpty();
    }

    public int count() {
        return messages.size();
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }
}
