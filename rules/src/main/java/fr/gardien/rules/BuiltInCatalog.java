package fr.gardien.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The rule catalog shipped with Gardien (resource {@code fr/gardien/rules/catalog.yaml}), used
 * when no rules file is configured. Its rules find their inputs through the contract's point
 * vocabulary.
 */
public final class BuiltInCatalog {

    public static final String RESOURCE = "fr/gardien/rules/catalog.yaml";

    private BuiltInCatalog() {
    }

    /** The catalog's YAML text. */
    public static String text() {
        try (InputStream in = BuiltInCatalog.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the built-in catalog is missing from the classpath: " + RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The catalog, parsed.
     *
     * @throws IllegalStateException when it does not load: a defect of the build, caught by its tests
     */
    public static RuleSet load() {
        try {
            return RuleSetLoader.parse(text(), "built-in catalog");
        } catch (RuleSetException e) {
            throw new IllegalStateException("the built-in catalog does not load:\n" + String.join("\n", e.errors()), e);
        }
    }
}
