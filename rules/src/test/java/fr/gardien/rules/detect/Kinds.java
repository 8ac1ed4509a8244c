package fr.gardien.rules.detect;

import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.rules.yaml.YamlNode;
import fr.gardien.rules.yaml.Problems;
import java.util.Set;

/** Configures a detector kind from YAML params, as the loader does. */
final class Kinds {

    static final long MINUTE = 60_000_000L;

    private Kinds() {
    }

    static DetectorFactory configure(DetectorKind kind, String yaml, String... roles) {
        Problems problems = new Problems("test");
        DetectorParams params = new DetectorParams(YamlNode.parse(yaml), "params", problems, Set.of(roles));
        DetectorFactory factory = kind.configure(params);
        params.finish();
        assertThat(problems.messages()).isEmpty();
        return factory;
    }
}
