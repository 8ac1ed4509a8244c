package fr.gardien.gateway.governance;

import fr.gardien.gateway.config.GardienConfig;
import fr.gardien.gateway.ticketing.ConnectorSpec;
import fr.gardien.gateway.ticketing.TicketingConfig;
import fr.gardien.rules.yaml.YamlNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The record of processing activities (GDPR art. 30(1)) generated from the configuration: the
 * controller, the purposes and legal bases, the categories of data and of persons, the
 * recipients (each ticketing connector and what it receives), transfers, retention, and the
 * security measures actually configured. Counts of points and readings per category may be
 * added; never a reading.
 */
public final class ProcessingRegister {

    /** What a ticket carries: the allow-list of {@code PrivacyBoundary}, as the contract fixes it. */
    static final JsonArray TICKET_FIELDS = new JsonArray().add("site").add("equipment").add("rule").add("severity")
            .add("summary").add("timestamps").add("occurrences").add("dashboard link");

    private ProcessingRegister() {
    }

    /**
     * @param pointsPerCategory registered points by category, or an empty map when unknown
     * @param readingsPerCategory readings stored by category (from the daily rollups), or an empty map
     */
    public static JsonObject of(GardienConfig config, GovernanceConfig governance, TicketingConfig ticketing,
                                int occupancyMinCount, Map<String, Long> pointsPerCategory,
                                Map<String, Long> readingsPerCategory, Instant generatedAt) {
        JsonArray processing = new JsonArray();
        governance.categories().forEach((name, c) -> processing.add(new JsonObject()
                .put("category", name)
                .put("purpose", c.purpose())
                .put("legalBasis", c.legalBasis())
                .put("retention", days(c.retention()))
                .put("rollupRetention", days(c.rollupRetention()))
                .put("quarantineRetention", days(c.quarantineRetention().orElse(config.storage().quarantineRetention())))
                .put("points", pointsPerCategory.getOrDefault(name, 0L))
                .put("readingsStored", readingsPerCategory.isEmpty() ? null : readingsPerCategory.getOrDefault(name, 0L))));
        JsonArray recipients = new JsonArray();
        for (ConnectorSpec spec : ticketing.connectors()) {
            recipients.add(new JsonObject().put("connector", spec.name()).put("type", spec.type().code())
                    .put("host", host(spec)).put("inClear", inClear(spec)).put("receives", TICKET_FIELDS.copy()));
        }
        return new JsonObject()
                .put("generatedAt", generatedAt.toString())
                .put("controller", governance.controller())
                .put("dpoContact", governance.dpoContact())
                .put("declaredByController", governance.declared())
                .put("processing", processing)
                .put("dataSubjects", new JsonArray()
                        .add("people using the common areas: counts per interval, never per person, served below the"
                                + " energy team only as closed 15-minute buckets of at least " + occupancyMinCount + " people")
                        .add("staff acknowledging, resolving or silencing alerts: their names and notes, replaced after "
                                + days(governance.namesRetention()))
                        .add("holders of API tokens: token names in the access audit, kept " + days(config.audit().retention())))
                .put("recipients", recipients)
                .put("transfers", "none: the gateway is self-hosted and sends nothing outside the configured connectors")
                .put("retention", new JsonObject()
                        .put("resolvedAlerts", days(governance.alertRetention()))
                        .put("names", days(governance.namesRetention()))
                        .put("accessAudit", days(config.audit().retention()))
                        .put("quarantine", days(config.storage().quarantineRetention()))
                        .put("rawReadingsAtMost", days(config.storage().retention())))
                .put("security", new JsonObject()
                        .put("httpTls", config.http().tls().isPresent())
                        .put("plainHttp", config.http().plainEnabled())
                        .put("mqttTls", config.mqtt().tls().isPresent())
                        .put("plainMqtt", config.mqtt().plainEnabled())
                        .put("coapDtls", true)
                        .put("plainCoap", config.coap().plainEnabled())
                        .put("secrets", "device secrets and API tokens stored as salted hashes, never logged")
                        .put("accessAudit", "every authenticated API request recorded (who, route, when)")
                        .put("occupancyMinCount", occupancyMinCount));
    }

    private static String host(ConnectorSpec spec) {
        YamlNode url = spec.field("url");
        if (url instanceof YamlNode.Scalar s && s.text() != null) {
            try {
                return URI.create(s.text()).getHost();
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        YamlNode to = spec.field("to");
        return to instanceof YamlNode.Scalar s ? "mail: " + s.text() : to == null ? null : "mail";
    }

    /** True for an {@code http://} URL (allowed by {@code allow-insecure: true}): the alert travels in clear. */
    private static boolean inClear(ConnectorSpec spec) {
        YamlNode url = spec.field("url");
        return url instanceof YamlNode.Scalar s && s.text() != null && s.text().toLowerCase().startsWith("http:");
    }

    private static String days(Duration d) {
        return d.toDays() + "d";
    }
}
