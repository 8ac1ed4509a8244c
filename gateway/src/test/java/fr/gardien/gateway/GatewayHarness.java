package fr.gardien.gateway;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import fr.gardien.gateway.config.ConfigLoader;
import fr.gardien.storage.testing.TestPostgres;
import fr.gardien.storage.db.DatabaseConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real gateway for integration tests: a two-site portfolio, a configuration file written to a
 * temporary folder, ports picked by the system, and helpers to talk to it and to look into its
 * database.
 */
final class GatewayHarness implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    static final String DEVICE = "gw-tilleuls";
    static final String SECRET = "tilleuls-secret-1";
    static final String OTHER_DEVICE = "gw-marronniers";
    static final String OTHER_SECRET = "marronniers-secret-1";
    static final String ADMIN_TOKEN = "admin-token-0001";
    static final String MANAGER_MARRONNIERS_TOKEN = "manager-token-0001";
    static final String ENERGY_TOKEN = "energy-token-0001";
    static final String SUPPLY = "tilleuls/boiler-1/supply_temp";
    static final String RETURN = "tilleuls/boiler-1/return_temp";
    static final String OTHER_SITE_POINT = "marronniers/substation/supply_temp";

    /** A writer small enough for a test to saturate it. */
    static final Map<String, String> SMALL_WRITER = Map.of("writer.queue-capacity", "100", "writer.batch-max-rows", "50",
            "writer.threads", "2", "ingest.max-records-per-pack", "100");
    static final String PORTFOLIO = """
            sites:
              - id: tilleuls
                name: Résidence Les Tilleuls
                timezone: Europe/Paris
                equipment:
                  - id: boiler-1
                    type: boiler
                    points:
                      - {name: supply_temp, unit: Cel, category: heat}
                      - {name: return_temp, unit: Cel, category: heat}
                      - {name: burner_on, unit: "/", category: equipment}
                  - id: ecs-1
                    type: hot-water
                    points:
                      - {name: storage_temp, unit: Cel, category: heat}
                  - id: lift-a
                    type: lift
                    name: Ascenseur A
                    points:
                      - {name: fault_code, unit: "/", category: equipment, label: Code défaut armoire}
              - id: marronniers
                name: Résidence Les Marronniers
                timezone: Europe/Paris
                equipment:
                  - id: substation
                    type: substation
                    points:
                      - {name: supply_temp, unit: Cel, category: heat}
            devices:
              - {id: gw-tilleuls, site: tilleuls, secret: "tilleuls-secret-1"}
              - {id: gw-marronniers, site: marronniers, secret: "marronniers-secret-1"}
            api-tokens:
              - {name: admin, token: "admin-token-0001", role: admin, sites: ["*"]}
              - {name: manager-marronniers, token: "manager-token-0001", role: building-manager, sites: [marronniers]}
              - {name: energy, token: "energy-token-0001", role: energy-analyst, sites: ["*"]}
            """;

    Path dir;
    DatabaseConfig db;
    Gateway gateway;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String> extra;
    private final String yaml;

    private GatewayHarness(Path dir, DatabaseConfig db, Gateway gateway) {
        this.dir = dir;
        this.db = db;
        this.gateway = gateway;
        this.extra = Map.of();
        this.yaml = "";
    }

    private GatewayHarness(Map<String, String> extra, String yaml) {
        this.extra = extra;
        this.yaml = yaml;
    }

    /**
     * One gateway for a whole test class, registered with {@code @RegisterExtension} on a static
     * field: started before the class's {@code @BeforeAll} methods on a database of its own and a
     * temporary folder ({@link #dir}), stopped after its {@code @AfterAll} methods.
     */
    static GatewayHarness perClass(Map<String, String> extra) {
        return perClass(extra, "");
    }

    /** As {@link #perClass(Map)}, with {@code yaml} (whole sections) appended to the configuration file. */
    static GatewayHarness perClass(Map<String, String> extra, String yaml) {
        return new GatewayHarness(extra, yaml);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("gardien-it-");
        GatewayHarness started = start(dir, TestPostgres.shared().newDatabase(), extra, yaml);
        db = started.db;
        gateway = started.gateway;
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        stopAndDelete(gateway == null ? null : this, dir);
    }

    /** Stops {@code harness} when it started, then deletes {@code dir} and what it holds. */
    static void stopAndDelete(GatewayHarness harness, Path dir) throws IOException {
        try {
            if (harness != null) {
                harness.close();
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /**
     * Starts a gateway on {@code db} (or the embedded database under {@code dir} when null)
     * with the test portfolio and extra configuration keys.
     */
    static GatewayHarness start(Path dir, DatabaseConfig db, Map<String, String> extra) throws IOException {
        return start(dir, db, extra, "");
    }

    /** As {@link #start(Path, DatabaseConfig, Map)}, with {@code yaml} (whole sections, e.g. {@code ticketing}) appended to the file. */
    static GatewayHarness start(Path dir, DatabaseConfig db, Map<String, String> extra, String yaml) throws IOException {
        Gateway gateway = Gateway.start(ConfigLoader.load(writeConfig(dir, db, extra, yaml), Map.of()));
        return new GatewayHarness(dir, db, gateway);
    }

    /** The configuration file {@link #start} runs a gateway on, written in {@code dir}, for a gateway in another process. */
    static Path writeConfig(Path dir, DatabaseConfig db, Map<String, String> extra, String yaml) throws IOException {
        Path portfolio = dir.resolve("portfolio.yaml");
        if (!Files.exists(portfolio)) {
            Files.writeString(portfolio, PORTFOLIO);
        }
        Map<String, String> keys = new LinkedHashMap<>();
        if (db != null) {
            keys.put("db.url", db.url());
            keys.put("db.user", db.user());
            keys.put("db.password", db.password());
        }
        keys.put("data.dir", dir.resolve("data").toString());
        keys.put("http.host", "127.0.0.1");
        keys.put("http.port", "0");
        keys.put("mqtt.host", "127.0.0.1");
        keys.put("mqtt.port", "0");
        keys.put("coap.host", "127.0.0.1");
        keys.put("coap.port", "0");
        keys.put("coap.dtls-port", "0");
        keys.put("portfolio", portfolio.toString());
        keys.putAll(extra);
        StringBuilder text = new StringBuilder();
        keys.forEach((k, v) -> text.append(k).append(": \"").append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n"));
        Path config = dir.resolve("gardien.yaml");
        Files.writeString(config, text.append(yaml));
        return config;
    }

    String mqttUri() {
        return "tcp://127.0.0.1:" + gateway.mqttPort();
    }

    String httpBase() {
        return "http://127.0.0.1:" + gateway.httpPort();
    }

    /** Readings stored for a point key. */
    long countReadings(String pointKey) throws SQLException {
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement(
                        "SELECT count(*) FROM readings r JOIN points p ON p.id = r.point_id WHERE p.key = ?")) {
            s.setString(1, pointKey);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Quarantine entries with that reason. */
    long countQuarantined(String reason) throws SQLException {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement("SELECT count(*) FROM quarantine WHERE reason = ?")) {
            s.setString(1, reason);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    Connection connect() throws SQLException {
        DatabaseConfig config = gateway.databaseConfig();
        return DriverManager.getConnection(config.url(), config.user(), config.password());
    }

    /** Locks the readings table in {@code lock}'s transaction: no writer commits until it rolls back. */
    static void lockReadings(Connection lock) throws SQLException {
        lock.setAutoCommit(false);
        lock.createStatement().execute("LOCK TABLE readings IN ACCESS EXCLUSIVE MODE");
    }

    HttpResponse<String> post(String path, String contentType, byte[] body, String user, String secret)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(httpBase() + path))
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String pathAndQuery, String token) throws IOException, InterruptedException {
        return get(pathAndQuery, token, "application/json");
    }

    HttpResponse<String> get(String pathAndQuery, String token, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(httpBase() + pathAndQuery))
                .timeout(Duration.ofSeconds(20)).header("Accept", accept).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An API request with a bearer token and an optional JSON body. */
    HttpResponse<String> send(String method, String pathAndQuery, String token, String jsonBody)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(httpBase() + pathAndQuery))
                .timeout(Duration.ofSeconds(20)).header("Accept", "application/json")
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A SenML JSON pack of the supply and return temperatures at {@code epochSeconds}. */
    /** Storage temperatures every 5 minutes from {@code fromSeconds} to {@code toSeconds}. */
    static byte[] storagePack(long fromSeconds, long toSeconds, double value) {
        StringBuilder json = new StringBuilder("[");
        for (long t = fromSeconds; t <= toSeconds; t += 300) {
            json.append(json.length() == 1 ? "{\"bn\":\"tilleuls/ecs-1/\"," : "{")
                    .append("\"n\":\"storage_temp\",\"u\":\"Cel\",\"v\":").append(value).append(",\"t\":").append(t).append("},");
        }
        json.setCharAt(json.length() - 1, ']');
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] boilerPack(long epochSeconds, double supply, double ret) {
        return ("[{\"bn\":\"tilleuls/boiler-1/\",\"bt\":" + epochSeconds + ",\"n\":\"supply_temp\",\"u\":\"Cel\",\"v\":" + supply
                + "},{\"n\":\"return_temp\",\"u\":\"Cel\",\"v\":" + ret + "}]").getBytes(StandardCharsets.UTF_8);
    }

    /** A SenML CBOR pack (integer labels, RFC 8428 §6) of one supply temperature, without a time. */
    static byte[] cborSupplyPack(double supply) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator g = new CBORFactory().createGenerator(out)) {
            g.writeStartArray();
            g.writeStartObject();
            g.writeFieldId(-2);
            g.writeString("tilleuls/boiler-1/");
            g.writeFieldId(0);
            g.writeString("supply_temp");
            g.writeFieldId(1);
            g.writeString("Cel");
            g.writeFieldId(2);
            g.writeNumber(supply);
            g.writeEndObject();
            g.writeEndArray();
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        gateway.stop();
    }
}
