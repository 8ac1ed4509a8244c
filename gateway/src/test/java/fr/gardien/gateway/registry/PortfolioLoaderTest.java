package fr.gardien.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.model.ApiToken;
import fr.gardien.model.Device;
import fr.gardien.model.Equipment;
import fr.gardien.model.PointSpec;
import fr.gardien.model.Portfolio;
import fr.gardien.model.Site;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortfolioLoaderTest {

    /** The contract's minimal example; only the token placeholder "..." is given a real value. */
    static final String CONTRACT_EXAMPLE = String.join("\n",
        "sites:",
        "  - id: tilleuls                 # [a-z0-9-]+, unique",
        "    name: Résidence Les Tilleuls",
        "    timezone: Europe/Paris",
        "    equipment:",
        "      - id: boiler-1",
        "        type: boiler             # boiler, substation, hot-water, lift, ventilation,",
        "                                 # water-meter, electricity-meter, people-counter, climate, ...",
        "        points:",
        "          - name: supply_temp    # point key = tilleuls/boiler-1/supply_temp",
        "            unit: Cel            # SenML unit",
        "            category: heat       # energy, heat, water, occupancy, equipment, climate",
        "devices:",
        "  - id: gw-tilleuls              # a field gateway or a sensor",
        "    site: tilleuls               # may publish only points of this site",
        "    secret: \"change-me\"          # or secret-hash: a salted hash",
        "api-tokens:",
        "  - name: energy-team",
        "    token: \"energy-team-token\"   # or token-hash",
        "    role: energy-analyst         # admin, building-manager, energy-analyst",
        "    sites: [\"*\"]                 # building managers list their sites",
        "");

    private final SecretHasher hasher = new SecretHasher(1_000);

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("portfolio.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private List<String> errors(String yaml) throws IOException {
        Path file = write(yaml);
        try {
            PortfolioLoader.load(file, hasher);
        } catch (PortfolioException e) {
            assertThat(e.getMessage()).isEqualTo(String.join("\n", e.errors()));
            return e.errors().stream().map(m -> m.replace(file.toString(), "p")).toList();
        }
        throw new AssertionError("expected a PortfolioException");
    }

    /**
     * CoAP access is kept beside the portfolio: a plain secret is the device's DTLS key, a
     * secret-hash gives none, and coap-plain is false unless set to true.
     */
    @Test
    void coapAccessKeepsPlainSecretsAndThePlainCoapFlag() throws IOException {
        String hash = hasher.hash("hashed-secret-1");
        PortfolioLoader.Loaded loaded = PortfolioLoader.loadWithCoapAccess(write(CONTRACT_EXAMPLE.replace("api-tokens:",
            "  - {id: meter-1, site: tilleuls, secret: \"meter-secret-1\", coap-plain: true}\n"
                + "  - {id: meter-2, site: tilleuls, secret-hash: \"" + hash + "\"}\napi-tokens:")), hasher);

        assertThat(loaded.coapAccess()).containsOnlyKeys("gw-tilleuls", "meter-1", "meter-2");
        assertThat(loaded.coapAccess().get("gw-tilleuls")).isEqualTo(new CoapAccess("change-me", false));
        assertThat(loaded.coapAccess().get("meter-1")).isEqualTo(new CoapAccess("meter-secret-1", true));
        assertThat(loaded.coapAccess().get("meter-2").pskBytes()).isNull();
        assertThat(loaded.coapAccess().get("meter-1").toString()).doesNotContain("meter-secret-1");
        assertThat(loaded.portfolio().devices()).extracting(Device::secretHash).doesNotContain("change-me", "meter-secret-1");
    }

    /** coap-plain takes true or false only. */
    @Test
    void coapPlainMustBeABoolean() throws IOException {
        assertThat(errors(CONTRACT_EXAMPLE.replace("    secret: \"change-me\"", "    secret: \"change-me\"\n    coap-plain: yes")))
            .containsExactly("p:17: coap-plain: expected true or false, got \"yes\"");
    }

    /** The contract's example loads into the shared model, secrets hashed. */
    @Test
    void contractExampleLoads() throws IOException {
        Portfolio p = PortfolioLoader.load(write(CONTRACT_EXAMPLE), hasher);

        assertThat(p.sites()).containsExactly(new Site("tilleuls", "Résidence Les Tilleuls", ZoneId.of("Europe/Paris"),
            List.of(new Equipment("boiler-1", "boiler", List.of(new PointSpec("supply_temp", "Cel", "heat"))))));
        assertThat(p.devices()).extracting(Device::id, Device::site).containsExactly(
            org.assertj.core.groups.Tuple.tuple("gw-tilleuls", "tilleuls"));
        ApiToken token = p.apiTokens().get(0);
        assertThat(token.name()).isEqualTo("energy-team");
        assertThat(token.role()).isEqualTo("energy-analyst");
        assertThat(token.allSites()).isTrue();
    }

    /**
     * An equipment's optional name and a point's optional label are kept (trimmed), a blank one is
     * none, and one longer than a table's line is an error with its line.
     */
    @Test
    void equipmentNamesAndPointLabelsAreOptional() throws IOException {
        String named = CONTRACT_EXAMPLE.replace("        type: boiler ", "        name: \" Chaufferie \"\n        type: boiler ")
            .replace("            category: heat ", "            label: Départ chauffage\n            category: heat ");
        Equipment boiler = PortfolioLoader.load(write(named), hasher).sites().get(0).equipment().get(0);
        assertThat(boiler).isEqualTo(new Equipment("boiler-1", "boiler",
            List.of(new PointSpec("supply_temp", "Cel", "heat", "Départ chauffage")), "Chaufferie"));
        assertThat(PortfolioLoader.load(write(named.replace("\" Chaufferie \"", "\"  \"")), hasher)
            .sites().get(0).equipment().get(0).name()).isNull();
        assertThat(errors(named.replace("Chaufferie", "C".repeat(81))))
            .containsExactly("p:7: name: at most 80 characters (81 given)");
    }

    /** Plain secrets and tokens are kept only as hashes, which verify; they appear nowhere in the result. */
    @Test
    void plainSecretsAreHashed() throws IOException {
        Portfolio p = PortfolioLoader.load(write(CONTRACT_EXAMPLE), hasher);

        String deviceHash = p.devices().get(0).secretHash();
        String tokenHash = p.apiTokens().get(0).tokenHash();
        assertThat(SecretHasher.isEncodedHash(deviceHash)).isTrue();
        assertThat(hasher.verify("change-me", deviceHash)).isTrue();
        assertThat(hasher.verify("energy-team-token", tokenHash)).isTrue();
        assertThat(p.toString()).doesNotContain("change-me").doesNotContain("energy-team-token");
    }

    /** Hashes given in the file are kept exactly as written. */
    @Test
    void existingHashesAreKept() throws IOException {
        String deviceHash = new SecretHasher(5).hash("device-secret");
        String tokenHash = new SecretHasher(5).hash("token-secret");
        Portfolio p = PortfolioLoader.load(write(String.join("\n",
            "sites: [{id: s1}]",
            "devices:",
            "  - {id: d1, site: s1, secret-hash: \"" + deviceHash + "\"}",
            "api-tokens:",
            "  - {name: ops, token-hash: \"" + tokenHash + "\", role: admin, sites: \"*\"}",
            "")), hasher);

        assertThat(p.devices().get(0).secretHash()).isEqualTo(deviceHash);
        assertThat(p.apiTokens().get(0).tokenHash()).isEqualTo(tokenHash);
        assertThat(p.apiTokens().get(0).sites()).containsExactly("*");
        // Defaults of a site that gives only its id.
        assertThat(p.sites().get(0)).isEqualTo(new Site("s1", "s1", ZoneId.of("Europe/Paris"), List.of()));
    }

    /** A ticketing system's token sees no site: it loads without sites, and listing sites for it is an error. */
    @Test
    void aTicketingTokenHasNoSites() throws IOException {
        Portfolio p = PortfolioLoader.load(write(String.join("\n",
            "sites: [{id: s1}]",
            "api-tokens:",
            "  - {name: glpi, token: \"glpi-token-0001\", role: ticketing}",
            "")), hasher);
        assertThat(p.apiTokens().get(0).role()).isEqualTo("ticketing");
        assertThat(p.apiTokens().get(0).sites()).isEmpty();

        assertThat(errors(String.join("\n",
            "sites: [{id: s1}]",
            "api-tokens:",
            "  - {name: glpi, token: \"glpi-token-0001\", role: ticketing, sites: [s1]}",
            ""))).containsExactly("p:3: sites: a ticketing token sees no site; remove sites");
    }

    /** Every site, equipment and point error of a file is reported at once, with its line. */
    @Test
    void reportsEverySiteErrorAtOnce() throws IOException {
        assertThat(errors(String.join("\n",
            "sites:",
            "  - id: Tilleuls",                        // 2: bad id
            "    timezone: Europe/Pariss",              // 3: bad zone
            "    equipment:",
            "      - id: boiler-1",
            "        points:",                          // 6 (mapping at 5): type missing
            "          - name: Supply Temp",            // 7: bad name
            "            unit: Cel",
            "            category: heating",            // 9: bad category
            "          - name: return_temp",            // 10: unit missing
            "            category: heat",
            "          - name: return_temp",            // 12: duplicate point
            "            unit: deg C",                  // 13: unit with a space
            "            category: heat",
            "      - id: boiler-1",                     // 15: duplicate equipment
            "        type: boiler",
            "  - id: ok",
            "  - id: ok",                               // 18: duplicate site
            "")))
            .containsExactly(
                "p:2: id: \"Tilleuls\" is not a valid site id: use lower-case letters, digits and dashes, starting"
                    + " with a letter or digit, at most 63 characters",
                "p:3: timezone: unknown time zone \"Europe/Pariss\" (use a tz database name such as Europe/Paris)",
                "p:5: type: is required",
                "p:7: name: \"Supply Temp\" is not a valid point name: use lower-case letters, digits and underscores,"
                    + " starting with a letter or digit, at most 63 characters",
                "p:9: category: \"heating\" is not one of energy, heat, water, occupancy, equipment, climate",
                "p:10: unit: is required (a SenML unit such as Cel, kWh, m3, %RH)",
                "p:12: duplicate point name \"return_temp\" (first at line 10)",
                "p:13: unit: \"deg C\" is not a SenML unit (such as Cel, kWh, m3, %RH): no spaces",
                "p:15: duplicate equipment id \"boiler-1\" (first at line 5)",
                "p:18: duplicate site id \"ok\" (first at line 17)");
    }

    /** Every device and token error is reported at once, with its line, never quoting a secret. */
    @Test
    void reportsEveryDeviceAndTokenErrorAtOnce() throws IOException {
        List<String> errors = errors(String.join("\n",
            "sites:",
            "  - id: tilleuls",
            "devices:",
            "  - id: gw-1",                                         // 4
            "    site: acacias",                                    // 5: unknown site
            "    secret: short7!",                                  // 6: too short
            "  - id: gw-1",                                         // 7: duplicate id, no secret
            "    site: tilleuls",
            "  - id: gw-3",                                         // 9
            "    site: tilleuls",
            "    secret: long-enough-secret",
            "    secret-hash: pbkdf2-sha256$1$AAAA$BBBB",            // 12: both
            "  - id: gw-4",
            "    site: tilleuls",
            "    secret-hash: not-a-hash",                          // 15: malformed hash
            "api-tokens:",
            "  - name: team",                                       // 17: no token
            "    role: owner",                                      // 18: bad role
            "    sites: [tilleuls]",
            "  - name: team",                                       // 20: duplicate name
            "    token: tiny",                                      // 21: too short
            "    role: building-manager",
            "    sites: [\"*\"]",                                   // 23: manager with *
            "  - name: analyst",                                    // 24: no sites
            "    token-hash: bad",                                  // 25: malformed hash
            "    role: energy-analyst",
            "  - name: viewer",
            "    token: viewer-token-123",
            "    role: admin",
            "    sites: [tilleuls, acacias]",                       // 30: unknown site
            ""));

        assertThat(errors).containsExactly(
            "p:5: site: no site \"acacias\" in this portfolio",
            "p:6: secret: too short: at least 8 characters are required (use a long random value)",
            "p:7: duplicate device id \"gw-1\" (first at line 4)",
            "p:7: secret: is required: give exactly one of secret or secret-hash",
            "p:12: secret-hash: give exactly one of secret or secret-hash, not both",
            "p:15: secret-hash: not a hash of the expected form pbkdf2-sha256$<iterations>$<base64 salt>"
                + "$<base64 32-byte hash>",
            "p:17: token: is required: give exactly one of token or token-hash",
            "p:18: role: \"owner\" is not one of admin, building-manager, energy-analyst, ticketing",
            "p:20: duplicate token name \"team\" (first at line 17)",
            "p:21: token: too short: at least 8 characters are required (use a long random value)",
            "p:23: sites: a building-manager must list its sites explicitly, not \"*\"",
            "p:24: sites: is required: the site ids the token may see, or [\"*\"] for all",
            "p:25: token-hash: not a hash of the expected form pbkdf2-sha256$<iterations>$<base64 salt>"
                + "$<base64 32-byte hash>",
            "p:30: sites: no site \"acacias\" in this portfolio");
        assertThat(String.join("\n", errors)).doesNotContain("short7!").doesNotContain("tiny")
            .doesNotContain("long-enough-secret").doesNotContain("viewer-token-123");
    }

    /** Structural problems: wrong kinds of values and duplicate YAML keys. */
    @Test
    void reportsStructuralErrors() throws IOException {
        assertThat(errors(String.join("\n",
            "sites:",
            "  - id: a",
            "    id: b",
            "    equipment: none",
            "  - just-a-name",
            "devices: {}",
            "")))
            .containsExactly(
                "p:3: duplicate key \"id\" (first at line 2)",
                "p:4: equipment: expected a list, got \"none\"",
                "p:5: sites: expected an entry with fields, got \"just-a-name\"",
                "p:6: devices: expected a list, got a mapping");
    }

    /** A file that does not parse is one error with its line. */
    @Test
    void badYamlIsOneErrorWithItsLine() throws IOException {
        assertThat(errors("sites:\n  - id: a\n    name: [unclosed\n")).hasSize(1)
            .allMatch(e -> e.matches("p:\\d+: invalid YAML: .+"));
    }

    /** A missing file is one error naming it. */
    @Test
    void missingFileIsOneError() {
        Path file = dir.resolve("missing.yaml");
        try {
            PortfolioLoader.load(file, hasher);
            throw new AssertionError("expected a PortfolioException");
        } catch (PortfolioException e) {
            assertThat(e.errors()).containsExactly(file + ": file not found");
        }
    }
}
