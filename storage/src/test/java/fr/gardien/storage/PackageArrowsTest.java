package fr.gardien.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The storage module's rooms and arrows, read from its main sources: each sub-package uses only
 * the packages below it, so no arrow runs back up and there is no cycle; nothing in storage
 * knows the gateway. A new package or arrow must be added to {@link #ALLOWED} on purpose.
 */
class PackageArrowsTest {

    private static final Path SOURCES = Path.of("src/main/java/fr/gardien/storage");

    /** Each package and the packages it may use: db at the bottom; series on it; write on both. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "db", Set.of(),
            "series", Set.of("db"),
            "write", Set.of("db", "series"),
            "alerts", Set.of("db"),
            "access", Set.of("db"),
            "retention", Set.of("db"));

    private static final Pattern STORAGE_REFERENCE = Pattern.compile("\\bfr\\.gardien\\.storage\\.([a-z]\\w*)\\.");
    private static final Pattern GATEWAY_REFERENCE = Pattern.compile("\\bfr\\.gardien\\.gateway\\b");

    /** Every arrow between storage packages is an allowed one, and there is no code outside the sub-packages. */
    @Test
    void packagesUseOnlyThePackagesBelowThem() throws IOException {
        Map<String, Set<String>> arrows = arrows();
        assertThat(arrows.keySet()).as("storage packages (a new one needs its place in ALLOWED)")
                .containsExactlyInAnyOrderElementsOf(ALLOWED.keySet());
        List<String> upward = new ArrayList<>();
        arrows.forEach((from, targets) -> targets.stream().filter(to -> !ALLOWED.get(from).contains(to))
                .forEach(to -> upward.add(from + " -> " + to)));
        assertThat(upward).as("arrows not allowed").isEmpty();
    }

    /** The arrows as found have no cycle (whatever ALLOWED says). */
    @Test
    void thereIsNoCycle() throws IOException {
        Map<String, Set<String>> arrows = arrows();
        for (String start : arrows.keySet()) {
            assertThat(reachable(arrows, start)).as("packages reached from %s", start).doesNotContain(start);
        }
    }

    /** Storage knows nothing of the gateway. */
    @Test
    void storageDoesNotKnowTheGateway() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path file : javaFiles()) {
            if (GATEWAY_REFERENCE.matcher(code(file)).find()) {
                offenders.add(SOURCES.relativize(file).toString());
            }
        }
        assertThat(offenders).isEmpty();
    }

    /** The arrows the detection relies on are there: it reads what it claims to read. */
    @Test
    void theKnownArrowsAreFound() throws IOException {
        Map<String, Set<String>> arrows = arrows();
        assertThat(arrows.get("write")).contains("db", "series");
        assertThat(arrows.get("alerts")).contains("db");
    }

    private static Set<String> reachable(Map<String, Set<String>> arrows, String start) {
        Set<String> seen = new TreeSet<>();
        List<String> todo = new ArrayList<>(arrows.getOrDefault(start, Set.of()));
        while (!todo.isEmpty()) {
            String next = todo.remove(todo.size() - 1);
            if (seen.add(next)) {
                todo.addAll(arrows.getOrDefault(next, Set.of()));
            }
        }
        return seen;
    }

    /** Package → the other storage packages its code names (imports and qualified names; comments do not count). */
    private static Map<String, Set<String>> arrows() throws IOException {
        Map<String, Set<String>> arrows = new TreeMap<>();
        for (Path file : javaFiles()) {
            Path relative = SOURCES.relativize(file);
            String from = relative.getNameCount() > 1 ? relative.getName(0).toString() : "(root)";
            Set<String> targets = arrows.computeIfAbsent(from, k -> new TreeSet<>());
            Matcher m = STORAGE_REFERENCE.matcher(code(file));
            while (m.find()) {
                if (!m.group(1).equals(from)) {
                    targets.add(m.group(1));
                }
            }
        }
        return arrows;
    }

    private static List<Path> javaFiles() throws IOException {
        assertThat(SOURCES).as("the storage sources, from the module's directory").isDirectory();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    /** The file without its comments. */
    private static String code(Path file) throws IOException {
        return Files.readString(file).replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ");
    }
}
