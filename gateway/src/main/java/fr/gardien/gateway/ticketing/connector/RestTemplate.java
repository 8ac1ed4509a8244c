package fr.gardien.gateway.ticketing.connector;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a ticketing system's REST API is spoken: the request that creates a ticket (when the alert
 * has none yet), the one that updates it (retriggered, acknowledged, reopened, and any other
 * transition once a ticket exists) and the one that closes it (resolved). {@code update} and
 * {@code close} may be {@code null}: that delivery then completes without a request.
 *
 * @param lookups named tables from an alert field to the system's codes, usable in bodies
 * @param session how to open a session first, or {@code null} when the secrets suffice
 */
public record RestTemplate(RequestTemplate create, RequestTemplate update, RequestTemplate close,
        Map<String, Lookup> lookups, SessionTemplate session) {

    public RestTemplate {
        Objects.requireNonNull(create, "create");
        lookups = Map.copyOf(lookups);
    }

    public RestTemplate(RequestTemplate create, RequestTemplate update, RequestTemplate close,
            Map<String, Lookup> lookups) {
        this(create, update, close, lookups, null);
    }

    void validate(Map<String, String> configuredSecrets, List<String> errors) {
        Map<String, String> secrets = configuredSecrets;
        if (session != null) {
            session.request().validate("session.", configuredSecrets, lookups, errors);
            secrets = new HashMap<>(configuredSecrets);
            secrets.put(session.secretName(), "");
        }
        for (String name : lookups.keySet()) {
            if (AlertFields.NAMES.contains(name) || "ref".equals(name)) {
                errors.add("lookups." + name + ": a lookup cannot shadow an alert field");
            }
        }
        lookups.forEach((name, lookup) -> {
            if (!AlertFields.NAMES.contains(lookup.field())) {
                errors.add("lookups." + name + ".field: not an alert field: " + lookup.field());
            }
        });
        create.validate("create.", secrets, lookups, errors);
        if (create.refPointer() == null) {
            errors.add("create.ref: required (where the created ticket's reference is in the response)");
        }
        if (update != null) {
            update.validate("update.", secrets, lookups, errors);
        }
        if (close != null) {
            close.validate("close.", secrets, lookups, errors);
        }
    }
}
