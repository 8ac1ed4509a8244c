package fr.gardien.gateway;

/**
 * Portfolio files for the integration tests, written as the portfolio loader reads them: the two
 * test sites (Les Tilleuls, Les Marronniers, both in Paris), their devices and the usual API
 * tokens, from which each test builds the portfolio it needs.
 */
public final class PortfolioYaml {

    public static final String DEVICE_TILLEULS = "  - {id: gw-tilleuls, site: tilleuls, secret: \"tilleuls-secret-1\"}\n";
    public static final String DEVICE_MARRONNIERS =
            "  - {id: gw-marronniers, site: marronniers, secret: \"marronniers-secret-1\"}\n";
    public static final String TOKEN_ADMIN = token("admin", "admin-token-0001", "admin", "[\"*\"]");
    public static final String TOKEN_ENERGY = token("energy", "energy-token-0001", "energy-analyst", "[\"*\"]");
    public static final String TOKEN_MANAGER_TILLEULS = token("manager", "manager-token-0002", "building-manager", "[tilleuls]");

    private PortfolioYaml() {
    }

    /** The whole file; {@code tokens} may be empty (no {@code api-tokens} section). */
    public static String portfolio(String sites, String devices, String tokens) {
        return "sites:\n" + sites + "devices:\n" + devices + (tokens.isEmpty() ? "" : "api-tokens:\n" + tokens);
    }

    /** Résidence Les Tilleuls with {@code equipment}. */
    public static String tilleuls(String... equipment) {
        return site("tilleuls", "Résidence Les Tilleuls", equipment);
    }

    /** Résidence Les Marronniers with {@code equipment}. */
    public static String marronniers(String... equipment) {
        return site("marronniers", "Résidence Les Marronniers", equipment);
    }

    public static String site(String id, String name, String... equipment) {
        return "  - id: " + id + "\n    name: " + name + "\n    timezone: Europe/Paris\n    equipment:\n" + String.join("", equipment);
    }

    public static String equipment(String id, String type, String... points) {
        return "      - id: " + id + "\n        type: " + type + "\n        points:\n" + String.join("", points);
    }

    public static String point(String name, String unit, String category) {
        return "          - {name: " + name + ", unit: " + unit + ", category: " + category + "}\n";
    }

    /** An API token line; {@code sites} as YAML, such as {@code ["*"]} or {@code [tilleuls]}. */
    public static String token(String name, String token, String role, String sites) {
        return "  - {name: " + name + ", token: \"" + token + "\", role: " + role + ", sites: " + sites + "}\n";
    }
}
