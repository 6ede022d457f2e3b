package dev.switchboard.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.auth.Role;
import io.vertx.core.http.HttpMethod;

/** {@code GET /openapi.json}, generated from the route table so it lists exactly what is served. */
final class OpenApiRoute {
    private OpenApiRoute() {
    }

    static void register(RouteTable routes, ObjectMapper mapper, Responses responses) {
        routes.add(HttpMethod.GET, "/openapi.json", Role.PUBLIC, "This document", ctx -> responses.json(ctx, 200, document(routes, mapper)));
    }

    static ObjectNode document(RouteTable routes, ObjectMapper mapper) {
        ObjectNode doc = mapper.createObjectNode();
        doc.put("openapi", "3.1.0");
        doc.putObject("info").put("title", "Switchboard").put("version", "1")
                .put("description", "Live model catalog and model-configuration service. Errors are {\"error\": {type, message, details?}}, "
                        + "on /v1/… also with OpenAI's param and code; every response carries X-Switchboard-Revision, on a write's answer "
                        + "the revision at which it was applied; ?min_revision=N on a read answers once this instance has applied N "
                        + "(read-your-writes across instances).");
        doc.putObject("components").putObject("securitySchemes").putObject("bearer").put("type", "http").put("scheme", "bearer");
        ObjectNode paths = doc.putObject("paths");
        for (RouteTable.Endpoint endpoint : routes.endpoints()) {
            ObjectNode path = paths.has(endpoint.openApiPath()) ? (ObjectNode) paths.get(endpoint.openApiPath()) : paths.putObject(endpoint.openApiPath());
            ObjectNode operation = path.putObject(endpoint.method().name().toLowerCase());
            operation.put("summary", endpoint.summary());
            operation.put("x-switchboard-role", endpoint.role().wireName());
            ArrayNode security = operation.putArray("security");
            if (endpoint.role() != Role.PUBLIC) security.addObject().putArray("bearer");
            ArrayNode parameters = operation.putArray("parameters");
            for (String name : endpoint.parameters()) {
                parameters.addObject().put("name", name).put("in", "path").put("required", true).putObject("schema").put("type", "string");
            }
            if (endpoint.method() == HttpMethod.GET) {
                parameters.addObject().put("name", MinRevision.PARAMETER).put("in", "query").put("required", false)
                        .put("description", "answer once this instance has applied this revision (503 revision_not_reached"
                                + " after [store] write_timeout)")
                        .putObject("schema").put("type", "integer").put("minimum", 0);
            }
            operation.putObject("responses").putObject("default").put("description", "JSON");
        }
        return doc;
    }
}
