package fr.gardien.gateway.ticketing.connector;

import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ready {@link RestTemplate}s for GLPI, Redmine and Jira Service Management, each written
 * from the system's public API documentation (cited on each method) and read from a few YAML
 * fields. Every text is built from allow-listed alert fields only; the credentials go in
 * headers, as {@code ${secret:…}} placeholders.
 */
final class ReadyTemplates {

    /** What a ready template contributes to {@link RestSettings}. */
    record Parts(Map<String, String> secrets, RestTemplate template) {
    }

    static final String TITLE = "[${severity}] ${siteName} / ${equipment}: ${rule}";
    static final String DESCRIPTION = """
            ${summary}

            Site: ${siteName} (${site})
            Equipment: ${equipment} (${equipmentType})
            Rule: ${rule}, category ${category}, severity ${severity}, urgency ${urgency}
            State: ${state}
            First seen: ${firstSeen}
            Last seen: ${lastSeen}
            Occurrences: ${occurrences}
            Gardien: ${dashboardUrl}""";
    static final String NOTE = """
            Gardien: ${transition} (state ${state}, ${occurrences} occurrence(s), last seen ${lastSeen})
            ${summary}
            ${dashboardUrl}""";

    private ReadyTemplates() {
    }

    /**
     * GLPI REST API v1 ({@code apirest.md} of GLPI 9.5/10.0,
     * https://github.com/glpi-project/glpi/blob/10.0/bugfixes/apirest.md):
     * <ul>
     *   <li>every call carries {@code App-Token} (the API client's token, when the client requires
     *   one) and {@code Session-Token}. "Init session": {@code GET /apirest.php/initSession} with
     *   {@code Authorization: user_token …} (and {@code App-Token}) answers {@code 200} with
     *   {@code {"session_token": …}}. With {@code user-token} this template opens the session
     *   itself and again whenever GLPI answers 401 (an expired session,
     *   {@code ERROR_SESSION_TOKEN_INVALID}); with {@code session-token} it uses a session opened
     *   beforehand, which must then outlive GLPI's session lifetime;</li>
     *   <li>"Add item(s)": {@code POST /apirest.php/Ticket} with {@code {"input": {…}}}, answered
     *   {@code 201} with {@code {"id": 15, "message": ""}}; the reference is {@code /id};</li>
     *   <li>"Update item(s)": {@code PUT /apirest.php/Ticket/:id} with {@code {"input": {…}}};</li>
     *   <li>Ticket fields ({@code CommonITILObject}): {@code name}, {@code content},
     *   {@code urgency} 1 (very low) to 5 (very high), {@code type} 1 incident / 2 request,
     *   {@code status} 6 = closed.</li>
     * </ul>
     * YAML: {@code url} (GLPI's root, requests go to {@code url/apirest.php/…}), {@code app-token},
     * either {@code user-token} (preferred) or {@code session-token}, optional {@code ticket-type}
     * (1 incident, default; 2 request).
     * Urgency from severity: info 2, warning 3, major 4, critical 5. An update rewrites the
     * ticket's content with the alert's latest state and urgency; close sets status 6.
     */
    static Parts glpi(Fields f) {
        String appToken = f.secret("app-token", 1, true);
        String userToken = f.secret("user-token", 1, false);
        String sessionToken = f.secret("session-token", 1, false);
        if (!f.has("user-token") && !f.has("session-token")) {
            f.error("user-token", "required (or session-token)");
        } else if (f.has("user-token") && f.has("session-token")) {
            f.error("session-token", "give either user-token or session-token, not both");
        }
        String type = f.id("ticket-type", false);
        int ticketType = 1;
        if (type != null) {
            if (!type.equals("1") && !type.equals("2")) {
                f.error("ticket-type", "expected 1 (incident) or 2 (request)");
            } else {
                ticketType = Integer.parseInt(type);
            }
        }
        Map<String, String> headers = Map.of("App-Token", "${secret:app-token}",
                "Session-Token", "${secret:session-token}");
        Map<String, Lookup> lookups = Map.of("glpi-urgency", new Lookup("severity",
                Map.of("info", 2, "warning", 3, "major", 4, "critical", 5), 3));
        RequestTemplate create = new RequestTemplate(HttpMethod.POST, "/apirest.php/Ticket", headers,
                Map.of("input", ordered("name", TITLE, "content", DESCRIPTION, "urgency", "${glpi-urgency}",
                        "type", ticketType)), "/id");
        RequestTemplate update = new RequestTemplate(HttpMethod.PUT, "/apirest.php/Ticket/${ref}", headers,
                Map.of("input", ordered("content", DESCRIPTION, "urgency", "${glpi-urgency}")), null);
        RequestTemplate close = new RequestTemplate(HttpMethod.PUT, "/apirest.php/Ticket/${ref}", headers,
                Map.of("input", Map.of("status", 6)), null);
        if (userToken != null) {
            SessionTemplate session = new SessionTemplate(new RequestTemplate(HttpMethod.GET,
                    "/apirest.php/initSession", Map.of("App-Token", "${secret:app-token}",
                            "Authorization", "user_token ${secret:user-token}"), null, null),
                    "/session_token", "session-token");
            return new Parts(secrets("app-token", appToken, "user-token", userToken),
                    new RestTemplate(create, update, close, lookups, session));
        }
        return new Parts(secrets("app-token", appToken, "session-token", sessionToken),
                new RestTemplate(create, update, close, lookups));
    }

    /**
     * Redmine REST API (https://www.redmine.org/projects/redmine/wiki/Rest_api,
     * https://www.redmine.org/projects/redmine/wiki/Rest_Issues):
     * <ul>
     *   <li>authentication: the user's API key in the {@code X-Redmine-API-Key} header;</li>
     *   <li>"Creating an issue": {@code POST /issues.json} with
     *   {@code {"issue": {"project_id", "subject", "description", "priority_id"}}}, answered
     *   {@code 201 Created} with the issue, whose reference is {@code /issue/id};</li>
     *   <li>"Updating an issue": {@code PUT /issues/[id].json} with {@code {"issue": {"notes": …}}}
     *   (a journal entry), and {@code status_id} to close; answered {@code 204 No Content}.</li>
     * </ul>
     * YAML: {@code url} (Redmine's root), {@code api-key}, {@code project-id} (id or identifier),
     * {@code closed-status-id} (a closed status of the instance: Redmine's ids are per instance),
     * optional {@code priority-ids} by severity (default: info 1, warning 2, major 3, critical 4,
     * Redmine's default Low/Normal/High/Urgent).
     */
    static Parts redmine(Fields f) {
        String apiKey = f.secret("api-key", 1, true);
        String projectId = f.id("project-id", true);
        String closedStatus = f.id("closed-status-id", true);
        Map<String, Object> priorities = new LinkedHashMap<>(Map.of("info", 1, "warning", 2, "major", 3,
                "critical", 4));
        Map<String, Object> configured = f.object("priority-ids", false);
        if (configured != null) {
            configured.forEach((severity, id) -> {
                if (!priorities.containsKey(severity) || !(id instanceof Integer)) {
                    f.error("priority-ids." + severity, "expected one of info, warning, major, critical "
                            + "with an integer priority id");
                } else {
                    priorities.put(severity, id);
                }
            });
        }
        Map<String, String> headers = Map.of("X-Redmine-API-Key", "${secret:api-key}");
        Map<String, Lookup> lookups = Map.of("redmine-priority", new Lookup("severity", priorities,
                priorities.get("warning")));
        RequestTemplate create = new RequestTemplate(HttpMethod.POST, "/issues.json", headers,
                Map.of("issue", ordered("project_id", number(projectId), "subject", TITLE,
                        "description", DESCRIPTION, "priority_id", "${redmine-priority}")), "/issue/id");
        RequestTemplate update = new RequestTemplate(HttpMethod.PUT, "/issues/${ref}.json", headers,
                Map.of("issue", ordered("notes", NOTE, "priority_id", "${redmine-priority}")), null);
        RequestTemplate close = new RequestTemplate(HttpMethod.PUT, "/issues/${ref}.json", headers,
                Map.of("issue", ordered("notes", NOTE, "status_id", number(closedStatus))), null);
        return new Parts(secrets("api-key", apiKey), new RestTemplate(create, update, close, lookups));
    }

    /**
     * Jira Service Management Cloud (https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-request/,
     * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-post,
     * https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/):
     * <ul>
     *   <li>authentication: HTTP Basic with the account's e-mail and an API token;</li>
     *   <li>"Create customer request": {@code POST /rest/servicedeskapi/request} with
     *   {@code {"serviceDeskId", "requestTypeId", "requestFieldValues": {"summary", "description"}}},
     *   answered {@code 201} with the request, whose reference is {@code /issueKey};</li>
     *   <li>"Create request comment": {@code POST /rest/servicedeskapi/request/{issueIdOrKey}/comment}
     *   with {@code {"body", "public"}};</li>
     *   <li>"Transition issue": {@code POST /rest/api/3/issue/{issueIdOrKey}/transitions} with
     *   {@code {"transition": {"id"}}}, answered {@code 204}; the transition's id is the
     *   workflow's (list them with {@code GET …/transitions}).</li>
     * </ul>
     * YAML: {@code url} (the site, e.g. {@code https://example.atlassian.net}), {@code email},
     * {@code api-token}, {@code service-desk-id}, {@code request-type-id},
     * {@code resolve-transition-id}, optional {@code public-comments} (default true).
     */
    static Parts jira(Fields f) {
        String email = f.text("email", true);
        String apiToken = f.secret("api-token", 1, true);
        String serviceDesk = f.id("service-desk-id", true);
        String requestType = f.id("request-type-id", true);
        String transition = f.id("resolve-transition-id", true);
        Object publicComments = f.raw("public-comments");
        if (publicComments != null && !(publicComments instanceof Boolean)) {
            f.error("public-comments", "expected true or false");
        }
        String basic = email == null || apiToken == null ? "" : Base64.getEncoder()
                .encodeToString((email + ":" + apiToken).getBytes(StandardCharsets.UTF_8));
        Map<String, String> headers = Map.of("Authorization", "Basic ${secret:basic-auth}",
                "Accept", "application/json");
        RequestTemplate create = new RequestTemplate(HttpMethod.POST, "/rest/servicedeskapi/request", headers,
                ordered("serviceDeskId", serviceDesk, "requestTypeId", requestType,
                        "requestFieldValues", ordered("summary", TITLE, "description", DESCRIPTION)), "/issueKey");
        RequestTemplate update = new RequestTemplate(HttpMethod.POST, "/rest/servicedeskapi/request/${ref}/comment",
                headers, ordered("body", NOTE, "public", !Boolean.FALSE.equals(publicComments)), null);
        RequestTemplate close = new RequestTemplate(HttpMethod.POST, "/rest/api/3/issue/${ref}/transitions",
                headers, Map.of("transition", Map.of("id", transition == null ? "" : transition)), null);
        return new Parts(secrets("basic-auth", basic), new RestTemplate(create, update, close, Map.of()));
    }

    /** An id as a JSON number when it is one, else as text (Redmine accepts a project identifier). */
    private static Object number(String id) {
        if (id == null) {
            return "";
        }
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            return id;
        }
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static Map<String, String> secrets(String... namesAndValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put(namesAndValues[i], namesAndValues[i + 1] == null ? "" : namesAndValues[i + 1]);
        }
        return m;
    }

}
