package fr.gardien.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import fr.gardien.gateway.api.OpenApi;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** {@code GET /openapi.yaml}: every route of the router is in it and nothing else, and its examples match their schemas. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class OpenApiIT {

    /**
     * Routes of the router that the document does not describe, on purpose: static files of the
     * dashboard (e.g. {@code "GET /"}, {@code "GET /assets/*"}), written as {@link RouteTable} writes them.
     */
    static final Set<String> NOT_IN_THE_DOCUMENT = Set.of("GET /", "HEAD /", "GET /ui/", "HEAD /ui/");
    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");
    static final ObjectMapper json = new ObjectMapper();

    @RegisterExtension
    static final GatewayHarness harness = GatewayHarness.perClass(Map.of());
    static JsonNode document;

    @BeforeAll
    static void start() throws Exception {
        document = new YAMLMapper().readTree(OpenApi.document());
    }

    static Set<String> documented() {
        Set<String> operations = new TreeSet<>();
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (METHODS.contains(method)) {
                operations.add(method.toUpperCase() + " " + path.getKey());
            }
        }));
        return operations;
    }

    /** Each route of the router is documented, and each documented operation is a route of the router. */
    @Test
    void everyRouteOfTheRouterIsDocumentedAndNothingElse() {
        Set<String> routes = new TreeSet<>(RouteTable.of(harness));
        routes.removeAll(NOT_IN_THE_DOCUMENT);
        Set<String> documented = documented();
        assertThat(routes).as("routes of the router").isNotEmpty();
        Set<String> undocumented = new TreeSet<>(routes);
        undocumented.removeAll(documented);
        Set<String> absent = new TreeSet<>(documented);
        absent.removeAll(routes);
        assertThat(undocumented).as("routes missing from openapi.yaml").isEmpty();
        assertThat(absent).as("operations of openapi.yaml that the router does not have").isEmpty();
    }

    /** Every path parameter is declared, every operation has an id, and every authenticated one documents 401 and 403. */
    @Test
    void everyOperationDescribesItsParametersAndErrors() {
        List<String> problems = new ArrayList<>();
        Set<String> ids = new TreeSet<>();
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (!METHODS.contains(op.getKey())) {
                return;
            }
            String where = op.getKey().toUpperCase() + " " + path.getKey();
            JsonNode operation = op.getValue();
            if (!operation.hasNonNull("operationId") || !ids.add(operation.get("operationId").asText())) {
                problems.add(where + ": missing or duplicate operationId");
            }
            Set<String> declared = new TreeSet<>();
            for (JsonNode p : operation.path("parameters")) {
                JsonNode parameter = resolve(p);
                if ("path".equals(parameter.path("in").asText())) {
                    declared.add(parameter.get("name").asText());
                }
            }
            Matcher m = PATH_PARAM.matcher(path.getKey());
            while (m.find()) {
                if (!declared.remove(m.group(1))) {
                    problems.add(where + ": path parameter " + m.group(1) + " not declared");
                }
            }
            if (!declared.isEmpty()) {
                problems.add(where + ": declares path parameters not in the path: " + declared);
            }
            JsonNode responses = operation.path("responses");
            if (responses.isEmpty()) {
                problems.add(where + ": no responses");
            }
            boolean authenticated = !(operation.has("security") && operation.get("security").isEmpty());
            if (authenticated && (!responses.has("401") || !responses.has("403"))) {
                problems.add(where + ": authenticated but 401 or 403 undocumented");
            }
            responses.fields().forEachRemaining(r -> {
                if (r.getKey().startsWith("4") || r.getKey().startsWith("5")) {
                    JsonNode content = resolve(r.getValue()).path("content");
                    if (!content.has("application/problem+json") && !where.startsWith("GET /health/")) {
                        problems.add(where + " " + r.getKey() + ": an error is not application/problem+json");
                    }
                }
            });
        }));
        assertThat(problems).isEmpty();
    }

    /** Each documented example validates against its schema (JSON Schema 2020-12), and a broken one would not. */
    @Test
    void documentedExamplesValidateAgainstTheirSchemas() throws Exception {
        List<Example> examples = new ArrayList<>();
        collect(document, "#", examples);
        assertThat(examples).as("examples found").hasSizeGreaterThan(30);
        Validator validator = new Validator();
        List<String> failures = new ArrayList<>();
        for (Example example : examples) {
            Set<ValidationMessage> messages = validator.validate(example.schema(), example.value());
            if (!messages.isEmpty()) {
                failures.add(example.where() + ": " + messages);
            }
        }
        assertThat(failures).isEmpty();

        JsonNode alert = resolve(document.at("/components/responses/Alert/content/application~1json/examples/alert")).get("value");
        ObjectNode broken = alert.deepCopy();
        broken.remove("id");
        broken.put("severity", "apocalyptic");
        assertThat(validator.validate(json.readTree("{\"$ref\":\"#/components/schemas/Alert\"}"), broken)).hasSize(2);
    }

    /** The document is served without authentication, as YAML, and is the one checked here. */
    @Test
    void theDocumentIsServedWithoutAuthentication() throws Exception {
        HttpResponse<String> response = harness.get("/openapi.yaml", null, "application/yaml");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/yaml"));
        assertThat(response.body()).isEqualTo(OpenApi.document());
        assertThat(document.get("openapi").asText()).isEqualTo("3.1.0");
    }

    record Example(String where, JsonNode schema, JsonNode value) {
    }

    /** Media types and parameters with a schema, and their {@code example} or {@code examples}. */
    static void collect(JsonNode node, String where, List<Example> out) {
        if (node.isObject()) {
            if (node.has("schema") && (node.has("example") || node.has("examples"))) {
                JsonNode schema = node.get("schema");
                if (node.has("example")) {
                    out.add(new Example(where + "/example", schema, node.get("example")));
                }
                node.path("examples").fields().forEachRemaining(e -> {
                    JsonNode example = resolve(e.getValue());
                    if (!example.has("value")) {
                        throw new AssertionError(where + "/examples/" + e.getKey() + " has no value");
                    }
                    out.add(new Example(where + "/examples/" + e.getKey(), schema, example.get("value")));
                });
            }
            node.fields().forEachRemaining(f -> collect(f.getValue(), where + "/" + f.getKey(), out));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), where + "/" + i, out);
            }
        }
    }

    /** A local {@code $ref} followed (components), or the node itself. */
    static JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        while (current.has("$ref")) {
            String ref = current.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new AssertionError("only local references are used: " + ref);
            }
            current = document.at(ref.substring(1));
            if (current.isMissingNode()) {
                throw new AssertionError("dangling reference " + ref);
            }
        }
        return current;
    }

    /**
     * Validates against a schema of the document: the schema is placed in a copy of the document
     * under {@code components/schemas}, so that its {@code #/components/...} references resolve.
     */
    static final class Validator {
        private final Map<String, String> documents = new HashMap<>();
        private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                b -> b.schemaLoaders(loaders -> loaders.schemas(documents::get)));
        private int count;

        Set<ValidationMessage> validate(JsonNode schema, JsonNode value) throws Exception {
            ObjectNode copy = document.deepCopy();
            ((ObjectNode) copy.with("components").with("schemas")).set("__target", schema);
            String iri = "https://gardien.test/openapi-" + (count++) + ".json";
            documents.put(iri, json.writeValueAsString(copy));
            JsonSchema compiled = factory.getSchema(SchemaLocation.of(iri + "#/components/schemas/__target"));
            return compiled.validate(value);
        }
    }
}
