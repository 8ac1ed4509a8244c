package fr.gardien.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The gateway's packages stand in layers, and a package uses only packages of lower layers: the
 * web helpers and the configuration at the bottom, the features in the middle, the wiring of the
 * roles at the top. Checked twice: on the compiled classes (every use, fully qualified ones
 * included) and on the source's {@code import} lines (those kept only for Javadoc too).
 */
class PackageLayersTest {

    private static final String ROOT = "fr.gardien.gateway";

    /**
     * Bottom first; packages relative to {@code fr.gardien.gateway}, "" being the root (the
     * gateway, its main and the role assemblies). A package may use the packages of earlier
     * lines; packages on one line do not use each other.
     */
    static final List<List<String>> LAYERS = List.of(
            List.of("config", "web"),
            List.of("registry"),
            List.of("auth"),
            List.of("access"),
            List.of("ingest.senml"),
            List.of("ingest"),
            List.of("ingest.mqtt", "ingest.coap", "ingest.http"),
            List.of("alerts"),
            List.of("rules"),
            List.of("ticketing"),
            List.of("ticketing.connector"),
            List.of("api", "backtest", "governance"),
            List.of("ops"),
            List.of(""));

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?(fr\\.gardien\\.gateway\\.[\\w.]+);",
            Pattern.MULTILINE);
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);

    /** Every class of the gateway uses only its own package and packages of lower layers. */
    @Test
    void compiledClassesUseOnlyLowerLayers() {
        // The module's own classes only: scanning the whole class path for the package takes longer.
        JavaClasses classes = new ClassFileImporter().importPath(Path.of("target/classes"));
        assertThat(classes).isNotEmpty();
        List<String> upward = new ArrayList<>();
        for (JavaClass origin : classes) {
            for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                String from = origin.getPackageName();
                String to = dependency.getTargetClass().getPackageName();
                if (to.equals(ROOT) || to.startsWith(ROOT + ".")) {
                    check(from, to, origin.getName() + " -> " + dependency.getTargetClass().getName(), upward);
                }
            }
        }
        assertThat(new TreeSet<>(upward)).as("uses of a package of the same or a higher layer").isEmpty();
    }

    /** No source file imports a class of its own layer's other packages or of a higher layer. */
    @Test
    void sourceImportsPointOnlyDown() throws IOException {
        List<String> upward = new ArrayList<>();
        int files = 0;
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java/fr/gardien/gateway"))) {
            for (Path file : (Iterable<Path>) sources.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String text = Files.readString(file);
                Matcher pkg = PACKAGE.matcher(text);
                assertThat(pkg.find()).as("package line of " + file).isTrue();
                Matcher m = IMPORT.matcher(text);
                while (m.find()) {
                    String imported = m.group(1);
                    check(pkg.group(1), packageOf(imported), file.getFileName() + " imports " + imported, upward);
                }
                files++;
            }
        }
        assertThat(files).isGreaterThan(100);
        assertThat(upward).as("imports of a package of the same or a higher layer").isEmpty();
    }

    /** A package missing from {@link #LAYERS} is reported, so that a new one is placed on purpose. */
    private static void check(String from, String to, String what, List<String> upward) {
        if (from.equals(to)) {
            return;
        }
        int fromLayer = layer(from);
        int toLayer = layer(to);
        if (fromLayer < 0 || toLayer < 0) {
            upward.add(what + " (package without a layer: add it to PackageLayersTest.LAYERS)");
        } else if (toLayer >= fromLayer) {
            upward.add(what + " (layer " + fromLayer + " uses layer " + toLayer + ")");
        }
    }

    private static int layer(String pkg) {
        String relative = pkg.equals(ROOT) ? "" : pkg.startsWith(ROOT + ".") ? pkg.substring(ROOT.length() + 1) : null;
        for (int i = 0; relative != null && i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(relative)) {
                return i;
            }
        }
        return -1;
    }

    /** The package of an imported name: what precedes its first capitalised part (a nested or static member's too). */
    private static String packageOf(String imported) {
        String[] parts = imported.split("\\.");
        StringBuilder pkg = new StringBuilder();
        for (String part : parts) {
            if (Character.isUpperCase(part.charAt(0))) {
                break;
            }
            pkg.append(pkg.length() == 0 ? "" : ".").append(part);
        }
        return pkg.toString();
    }
}
