package fr.gardien.gateway.rules;

import fr.gardien.rules.BuiltInCatalog;
import fr.gardien.rules.OccupancyFigures;
import fr.gardien.rules.RuleDefinition;
import fr.gardien.rules.RuleSet;
import fr.gardien.rules.RuleSetException;
import fr.gardien.rules.RuleSetLoader;
import fr.gardien.rules.detect.DetectorRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads the rules of the {@code rules} configuration key: one YAML file, or every {@code .yaml}
 * / {@code .yml} file of a folder (in name order); the built-in catalog when none is configured.
 * Every error of every file is reported at once.
 */
public final class RuleFiles {

    private RuleFiles() {
    }

    /**
     * @param path a file or folder, or {@code null} for the built-in catalog
     * @throws RuleSetException with every error of every file
     */
    public static RuleSet load(Path path) throws RuleSetException {
        return load(path, OccupancyFigures.VOCABULARY);
    }

    /**
     * As {@link #load(Path)}, refusing summaries that state a figure read from one of
     * {@code occupancyPoints} (issue 14).
     */
    public static RuleSet load(Path path, Set<String> occupancyPoints) throws RuleSetException {
        if (path == null) {
            return BuiltInCatalog.load();
        }
        List<RuleDefinition> rules = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Path file : files(path)) {
            try {
                rules.addAll(RuleSetLoader.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(),
                        DetectorRegistry.standard(), occupancyPoints).rules());
            } catch (RuleSetException e) {
                errors.addAll(e.errors());
            } catch (IOException e) {
                errors.add(file + ": cannot read: " + e.getMessage());
            }
        }
        if (errors.isEmpty()) {
            try {
                return new RuleSet(rules);
            } catch (IllegalArgumentException e) {
                errors.add(path + ": " + e.getMessage());
            }
        }
        throw new RuleSetException(errors);
    }

    /** A stamp that changes when any of the files changes: modification times and sizes. */
    public static String stamp(Path path) {
        if (path == null) {
            return "built-in";
        }
        StringBuilder stamp = new StringBuilder();
        for (Path file : files(path)) {
            try {
                stamp.append(file).append(Files.getLastModifiedTime(file)).append(Files.size(file)).append(';');
            } catch (IOException e) {
                stamp.append(file).append("?;");
            }
        }
        return stamp.toString();
    }

    private static List<Path> files(Path path) {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> entries = Files.list(path)) {
            return entries.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the rules folder " + path, e);
        }
    }
}
