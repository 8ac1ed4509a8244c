package fr.gardien.gateway.registry;

import fr.gardien.rules.yaml.YamlFile;
import fr.gardien.rules.yaml.YamlNode;
import fr.gardien.model.ApiToken;
import fr.gardien.model.Device;
import fr.gardien.model.Equipment;
import fr.gardien.model.PointKey;
import fr.gardien.model.PointSpec;
import fr.gardien.model.Portfolio;
import fr.gardien.model.Site;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the portfolio file (contract: "Portfolio file"): sites with their equipment and points,
 * devices and API tokens. Fields not described here are allowed and ignored. Plain secrets and
 * tokens are hashed on load and then forgotten: the result holds only hashes.
 */
public final class PortfolioLoader {

    private static final Logger log = LoggerFactory.getLogger(PortfolioLoader.class);

    /** The default time zone of a site that gives none: the portfolio is French social housing. */
    public static final ZoneId DEFAULT_TIMEZONE = ZoneId.of("Europe/Paris");
    /** The point categories of the contract. */
    public static final Set<String> CATEGORIES = Set.of("energy", "heat", "water", "occupancy", "equipment", "climate");
    /** The API token roles of the contract. */
    public static final Set<String> ROLES = Roles.ALL;
    /** The shortest plain secret or token accepted. */
    public static final int MIN_SECRET_LENGTH = 8;

    /** The longest equipment name or point label: a line of a table, not a description. */
    static final int HUMAN_NAME_MAX = 80;

    private static final String ID_RULE = "lower-case letters, digits and dashes, starting with a letter or digit,"
        + " at most 63 characters";
    private static final String NAME_RULE = "lower-case letters, digits and underscores, starting with a letter or"
        + " digit, at most 63 characters";

    private PortfolioLoader() {
    }

    /**
     * Reads, validates and hashes the portfolio.
     *
     * @param file the portfolio YAML file
     * @param hasher hashes plain {@code secret} and {@code token} values
     * @return the portfolio, every secret and token as a {@link SecretHasher} hash
     * @throws PortfolioException with every error found, each with its line; a missing,
     *     unreadable or syntactically invalid file is one error
     */
    public static Portfolio load(Path file, SecretHasher hasher) {
        return loadWithCoapAccess(file, hasher).portfolio();
    }

    /**
     * The portfolio and its devices' CoAP access, as the gateway needs them.
     *
     * @param portfolio what {@link #load} returns
     * @param coapAccess by device id, every device of the portfolio: its DTLS pre-shared key (its
     *     plain {@code secret}, absent when the file gives only {@code secret-hash}) and whether it
     *     may use plain CoAP ({@code coap-plain: true}). Kept in memory only, never stored.
     */
    public record Loaded(Portfolio portfolio, Map<String, CoapAccess> coapAccess) {
    }

    /**
     * As {@link #load}, also keeping what DTLS-PSK needs in clear (see {@link CoapAccess}).
     *
     * @throws PortfolioException as {@link #load}
     */
    public static Loaded loadWithCoapAccess(Path file, SecretHasher hasher) {
        YamlFile yaml;
        try {
            yaml = YamlFile.read(file);
        } catch (YamlFile.ReadException e) {
            throw new PortfolioException(List.of(e.getMessage()));
        }
        Reader reader = new Reader(file);
        reader.errors.addAll(yaml.problems());
        Portfolio portfolio = reader.portfolio(yaml.root(), hasher);
        if (!reader.errors.isEmpty()) {
            throw new PortfolioException(reader.sortedErrors());
        }
        log.debug("portfolio loaded [file: {}, sites: {}, devices: {}, api tokens: {}]", file,
            portfolio.sites().size(), portfolio.devices().size(), portfolio.apiTokens().size());
        return new Loaded(portfolio, Map.copyOf(reader.coapAccess));
    }

    /** A secret as written: exactly one of plain or hash is set once validated. */
    private record SecretDraft(String plain, String hash) {
        String hashWith(SecretHasher hasher) {
            return hash != null ? hash : hasher.hash(plain);
        }
    }

    private record DeviceDraft(String id, String site, SecretDraft secret, boolean coapPlain) {
    }

    private record TokenDraft(String name, SecretDraft token, String role, List<String> sites) {
    }

    /** One pass over the tree, collecting errors rather than stopping at the first. */
    private static final class Reader {
        private final Path file;
        private final List<String> errors = new ArrayList<>();
        private final Map<String, CoapAccess> coapAccess = new HashMap<>();

        Reader(Path file) {
            this.file = file;
        }

        Portfolio portfolio(YamlNode root, SecretHasher hasher) {
            if (root instanceof YamlNode.Scalar && ((YamlNode.Scalar) root).isNull()) {
                return new Portfolio(List.of(), List.of(), List.of());
            }
            if (!(root instanceof YamlNode.Mapping)) {
                error(root.line(), "expected a mapping with sites, devices and api-tokens, got " + root.describe());
                return null;
            }
            YamlNode.Mapping top = (YamlNode.Mapping) root;
            List<Site> sites = sites(top);
            Set<String> siteIds = new HashSet<>();
            sites.forEach(s -> siteIds.add(s.id()));
            List<DeviceDraft> devices = devices(top, siteIds);
            List<TokenDraft> tokens = tokens(top, siteIds);
            if (!errors.isEmpty()) {
                return null; // hashing is slow on purpose: only once everything is valid
            }
            List<Device> hashedDevices = new ArrayList<>();
            for (DeviceDraft d : devices) {
                hashedDevices.add(new Device(d.id(), d.site(), d.secret().hashWith(hasher)));
                coapAccess.put(d.id(), new CoapAccess(d.secret().plain(), d.coapPlain()));
            }
            List<ApiToken> hashedTokens = new ArrayList<>();
            for (TokenDraft t : tokens) {
                hashedTokens.add(new ApiToken(t.name(), t.token().hashWith(hasher), t.role(), t.sites()));
            }
            return new Portfolio(sites, hashedDevices, hashedTokens);
        }

        private List<Site> sites(YamlNode.Mapping top) {
            List<Site> sites = new ArrayList<>();
            Map<String, Integer> ids = new HashMap<>();
            for (YamlNode.Mapping site : mappings(top, "sites")) {
                String id = id(site, "id", "site", ids);
                String name = text(site, "name", false);
                ZoneId zone = timezone(site);
                List<Equipment> equipment = new ArrayList<>();
                Map<String, Integer> equipmentIds = new HashMap<>();
                for (YamlNode.Mapping e : mappings(site, "equipment")) {
                    String equipmentId = id(e, "id", "equipment", equipmentIds);
                    String type = text(e, "type", true);
                    List<PointSpec> points = points(e);
                    equipment.add(new Equipment(equipmentId, type, points, humanName(e, "name")));
                }
                sites.add(new Site(id, name == null || name.isBlank() ? id : name, zone, equipment));
            }
            return sites;
        }

        private List<PointSpec> points(YamlNode.Mapping equipment) {
            List<PointSpec> points = new ArrayList<>();
            Map<String, Integer> names = new HashMap<>();
            for (YamlNode.Mapping p : mappings(equipment, "points")) {
                String name = text(p, "name", true);
                if (name != null) {
                    int line = p.get("name").line();
                    if (!PointKey.NAME.matcher(name).matches()) {
                        error(line, "name: \"" + name + "\" is not a valid point name: use " + NAME_RULE);
                    } else {
                        unique(names, name, line, "point name");
                    }
                }
                String unit = text(p, "unit", true);
                if (unit != null && !unit.isEmpty() && unit.chars().anyMatch(Character::isWhitespace)) {
                    error(p.get("unit").line(), "unit: \"" + unit + "\" is not a SenML unit (such as Cel, kWh, m3, %RH):"
                        + " no spaces");
                }
                String category = text(p, "category", true);
                if (category != null && !CATEGORIES.contains(category)) {
                    error(p.get("category").line(), "category: \"" + category + "\" is not one of "
                        + "energy, heat, water, occupancy, equipment, climate");
                }
                points.add(new PointSpec(name, unit, category, humanName(p, "label")));
            }
            return points;
        }

        private List<DeviceDraft> devices(YamlNode.Mapping top, Set<String> siteIds) {
            List<DeviceDraft> devices = new ArrayList<>();
            Map<String, Integer> ids = new HashMap<>();
            for (YamlNode.Mapping d : mappings(top, "devices")) {
                String id = id(d, "id", "device", ids);
                String site = text(d, "site", true);
                if (site != null && !site.isEmpty() && !siteIds.contains(site)) {
                    error(d.get("site").line(), "site: no site \"" + site + "\" in this portfolio");
                }
                devices.add(new DeviceDraft(id, site, secret(d, "secret", "secret-hash"), flag(d, "coap-plain")));
            }
            return devices;
        }

        private List<TokenDraft> tokens(YamlNode.Mapping top, Set<String> siteIds) {
            List<TokenDraft> tokens = new ArrayList<>();
            Map<String, Integer> names = new HashMap<>();
            for (YamlNode.Mapping t : mappings(top, "api-tokens")) {
                String name = text(t, "name", true);
                if (name != null && !name.isEmpty()) {
                    unique(names, name, t.get("name").line(), "token name");
                }
                SecretDraft token = secret(t, "token", "token-hash");
                String role = text(t, "role", true);
                if (role != null && !ROLES.contains(role)) {
                    error(t.get("role").line(), "role: \"" + role + "\" is not one of admin, building-manager,"
                        + " energy-analyst, ticketing");
                }
                tokens.add(new TokenDraft(name, token, role, tokenSites(t, role, siteIds)));
            }
            return tokens;
        }

        private List<String> tokenSites(YamlNode.Mapping t, String role, Set<String> siteIds) {
            YamlNode.Entry entry = t.get("sites");
            if (Roles.TICKETING.equals(role)) {
                // A ticketing system's token reads no site: it may only call the signed callback.
                if (entry != null) {
                    error(entry.line(), "sites: a ticketing token sees no site; remove sites");
                }
                return List.of();
            }
            if (entry == null) {
                error(t.line(), "sites: is required: the site ids the token may see, or [\"*\"] for all");
                return List.of();
            }
            List<YamlNode> items;
            if (entry.value() instanceof YamlNode.Sequence) {
                items = ((YamlNode.Sequence) entry.value()).items();
            } else if (entry.value() instanceof YamlNode.Scalar && !((YamlNode.Scalar) entry.value()).isNull()) {
                items = List.of(entry.value()); // sites: "*" means the same as sites: ["*"]
            } else {
                error(entry.line(), "sites: expected a list of site ids or [\"*\"], got " + entry.value().describe());
                return List.of();
            }
            List<String> sites = new ArrayList<>();
            for (YamlNode item : items) {
                if (!(item instanceof YamlNode.Scalar) || ((YamlNode.Scalar) item).isNull()) {
                    error(item.line(), "sites: expected a site id or \"*\", got " + item.describe());
                    continue;
                }
                String site = ((YamlNode.Scalar) item).text();
                if (!site.equals("*") && !siteIds.contains(site)) {
                    error(item.line(), "sites: no site \"" + site + "\" in this portfolio");
                }
                sites.add(site);
            }
            if (sites.isEmpty() && items.isEmpty()) {
                error(entry.line(), "sites: must not be empty: list site ids, or [\"*\"] for all");
            } else if (sites.contains("*") && sites.size() > 1) {
                error(entry.line(), "sites: \"*\" already means every site: do not list site ids with it");
            } else if ("building-manager".equals(role) && sites.contains("*")) {
                error(entry.line(), "sites: a building-manager must list its sites explicitly, not \"*\"");
            }
            return sites;
        }

        /** Exactly one of a plain secret or its hash, each checked; never quotes the plain secret. */
        private SecretDraft secret(YamlNode.Mapping m, String plainKey, String hashKey) {
            String plain = text(m, plainKey, false);
            String hash = text(m, hashKey, false);
            if (plain == null && hash == null) {
                error(m.line(), plainKey + ": is required: give exactly one of " + plainKey + " or " + hashKey);
            } else if (plain != null && hash != null) {
                error(m.get(hashKey).line(), hashKey + ": give exactly one of " + plainKey + " or " + hashKey
                    + ", not both");
            } else if (plain != null && plain.length() < MIN_SECRET_LENGTH) {
                error(m.get(plainKey).line(), plainKey + ": too short: at least " + MIN_SECRET_LENGTH
                    + " characters are required (use a long random value)");
            } else if (hash != null && !SecretHasher.isEncodedHash(hash)) {
                error(m.get(hashKey).line(), hashKey + ": not a hash of the expected form"
                    + " pbkdf2-sha256$<iterations>$<base64 salt>$<base64 32-byte hash>");
            }
            return new SecretDraft(plain, hash);
        }

        /** An optional {@code true}/{@code false} field, false when absent. */
        private boolean flag(YamlNode.Mapping m, String key) {
            String text = text(m, key, false);
            if (text == null || text.equals("false")) {
                return false;
            }
            if (!text.equals("true")) {
                error(m.get(key).line(), key + ": expected true or false, got \"" + text + "\"");
            }
            return true;
        }

        private ZoneId timezone(YamlNode.Mapping site) {
            String zone = text(site, "timezone", false);
            if (zone == null || zone.isEmpty()) {
                return DEFAULT_TIMEZONE;
            }
            try {
                return ZoneId.of(zone);
            } catch (DateTimeException e) {
                error(site.get("timezone").line(), "timezone: unknown time zone \"" + zone
                    + "\" (use a tz database name such as Europe/Paris)");
                return DEFAULT_TIMEZONE;
            }
        }

        /** A required id matching {@link PointKey#ID}, unique among {@code seen}. */
        private String id(YamlNode.Mapping m, String key, String what, Map<String, Integer> seen) {
            String id = text(m, key, true);
            if (id == null || id.isEmpty()) {
                return id;
            }
            int line = m.get(key).line();
            if (!PointKey.ID.matcher(id).matches()) {
                error(line, key + ": \"" + id + "\" is not a valid " + what + " id: use " + ID_RULE);
            } else {
                unique(seen, id, line, what + " id");
            }
            return id;
        }

        private void unique(Map<String, Integer> seen, String value, int line, String what) {
            Integer first = seen.putIfAbsent(value, line);
            if (first != null) {
                error(line, "duplicate " + what + " \"" + value + "\" (first at line " + first + ")");
            }
        }

        /**
         * A scalar field's text; {@code null} when absent (an error when required). A present
         * but empty required field is an error too.
         */
        private String text(YamlNode.Mapping m, String key, boolean required) {
            YamlNode.Entry entry = m.get(key);
            if (entry == null || (entry.value() instanceof YamlNode.Scalar && ((YamlNode.Scalar) entry.value()).isNull())) {
                if (required) {
                    error(entry == null ? m.line() : entry.line(), key + ": is required" + hint(key));
                }
                return null;
            }
            if (!(entry.value() instanceof YamlNode.Scalar)) {
                error(entry.line(), key + ": expected a single value, got " + entry.value().describe());
                return null;
            }
            String text = ((YamlNode.Scalar) entry.value()).text();
            if (required && text.isBlank()) {
                error(entry.line(), key + ": must not be empty" + hint(key));
            }
            return text;
        }

        /** An optional name shown to people (equipment {@code name}, point {@code label}): null when absent or blank. */
        private String humanName(YamlNode.Mapping m, String key) {
            String text = text(m, key, false);
            if (text == null || text.isBlank()) {
                return null;
            }
            text = text.strip();
            if (text.length() > HUMAN_NAME_MAX) {
                error(m.get(key).line(), key + ": at most " + HUMAN_NAME_MAX + " characters (" + text.length() + " given)");
            }
            return text;
        }

        private static String hint(String key) {
            switch (key) {
                case "unit": return " (a SenML unit such as Cel, kWh, m3, %RH)";
                case "category": return " (one of energy, heat, water, occupancy, equipment, climate)";
                case "role": return " (one of admin, building-manager, energy-analyst, ticketing)";
                default: return "";
            }
        }

        /** The mappings of an optional list field; other kinds of items are errors. */
        private List<YamlNode.Mapping> mappings(YamlNode.Mapping m, String key) {
            YamlNode.Entry entry = m.get(key);
            if (entry == null || (entry.value() instanceof YamlNode.Scalar && ((YamlNode.Scalar) entry.value()).isNull())) {
                return List.of();
            }
            if (!(entry.value() instanceof YamlNode.Sequence)) {
                error(entry.line(), key + ": expected a list, got " + entry.value().describe());
                return List.of();
            }
            List<YamlNode.Mapping> result = new ArrayList<>();
            for (YamlNode item : ((YamlNode.Sequence) entry.value()).items()) {
                if (item instanceof YamlNode.Mapping) {
                    result.add((YamlNode.Mapping) item);
                } else {
                    error(item.line(), key + ": expected an entry with fields, got " + item.describe());
                }
            }
            return result;
        }

        private void error(int line, String what) {
            errors.add(file + ":" + line + ": " + what);
        }

        /** Errors by line: checks run section by section, readers expect file order. */
        List<String> sortedErrors() {
            String prefix = file + ":";
            List<String> sorted = new ArrayList<>(errors);
            sorted.sort(Comparator.comparingInt(e -> {
                int end = e.indexOf(':', prefix.length());
                try {
                    return Integer.parseInt(e.substring(prefix.length(), end));
                } catch (RuntimeException notALine) {
                    return Integer.MAX_VALUE;
                }
            }));
            return sorted;
        }
    }
}
