package dev.switchboard.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Problem;
import dev.switchboard.configs.ConfigJson;
import dev.switchboard.configs.ModelConfig;
import dev.switchboard.configs.ModelConfigService;
import dev.switchboard.events.ChangeBus;
import io.vertx.core.http.HttpHeaders;
import dev.switchboard.auth.Role;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** {@code /api/v1/model-configs…}: CRUD with versions ({@code ETag}/{@code If-Match}), history and rollback. */
final class ModelConfigRoutes {
    private static final String ALIAS = "(?<alias>[^/:]+)";

    private final ModelConfigService configs;
    private final ChangeBus bus;
    private final Responses responses;
    private final RequestBodies bodies;
    private final Async async;

    ModelConfigRoutes(ModelConfigService configs, ChangeBus bus, Responses responses, RequestBodies bodies, Async async) {
        this.configs = configs;
        this.bus = bus;
        this.responses = responses;
        this.bodies = bodies;
        this.async = async;
    }

    void register(RouteTable routes) {
        routes.add(HttpMethod.GET, "/api/v1/model-configs", Role.READER, "Every model configuration", this::handleList);
        routes.add(HttpMethod.POST, "/api/v1/model-configs", Role.WRITER, "Create a model configuration", this::handleCreate);
        routes.add(HttpMethod.POST, "/api/v1/model-configs/{alias}:{action}", Role.WRITER, "Roll back (:rollback with {\"version\": N})", this::handleAction);
        routes.add(HttpMethod.GET, "/api/v1/model-configs/{alias}/history", Role.READER, "Every version of a configuration", this::handleHistory);
        routes.add(HttpMethod.GET, "/api/v1/model-configs/{alias}", Role.READER, "One configuration (ETag = version)", this::handleGet);
        routes.add(HttpMethod.PUT, "/api/v1/model-configs/{alias}", Role.WRITER, "Create or replace (If-Match)", this::handlePut);
        routes.add(HttpMethod.PATCH, "/api/v1/model-configs/{alias}", Role.WRITER, "Change (JSON merge patch, If-Match)", this::handlePatch);
        routes.add(HttpMethod.DELETE, "/api/v1/model-configs/{alias}", Role.WRITER, "Delete (If-Match)", this::handleDelete);
    }

    private ConfigJson json() {
        return configs.json();
    }

    private void handleList(RoutingContext ctx) {
        List<JsonNode> data = configs.current().byAlias().values().stream().map(c -> (JsonNode) json().render(c)).toList();
        responses.json(ctx, 200, Map.of("revision", bus.revision(), "data", data));
    }

    private void handleGet(RoutingContext ctx) {
        String alias = ctx.pathParam("alias");
        ModelConfig config = configs.find(alias).orElseThrow(() -> new Problem.NotFound("not_configured",
                "no model configuration \"" + alias + "\"; the change feed announces it with model_config.created when it appears"));
        respond(ctx, 200, config);
    }

    private void handleCreate(RoutingContext ctx) {
        JsonNode body = bodies.json(ctx);
        boolean validate = RequestBodies.flag(ctx, "validate", true);
        async.write(ctx, ticket -> configs.create(body, validate, AccessControl.principal(ctx).name(), ticket), config -> {
            ctx.response().putHeader(HttpHeaders.LOCATION, "/api/v1/model-configs/" + config.alias());
            respond(ctx, 201, config);
        });
    }

    private void handlePut(RoutingContext ctx) {
        JsonNode body = bodies.json(ctx);
        boolean validate = RequestBodies.flag(ctx, "validate", true);
        var ifMatch = RequestBodies.ifMatch(ctx);
        async.write(ctx, ticket -> configs.put(ctx.pathParam("alias"), body, ifMatch, validate, AccessControl.principal(ctx).name(), ticket),
                written -> respond(ctx, written.created() ? 201 : 200, written.config()));
    }

    private void handlePatch(RoutingContext ctx) {
        JsonNode patch = bodies.json(ctx);
        boolean validate = RequestBodies.flag(ctx, "validate", true);
        var ifMatch = RequestBodies.ifMatch(ctx);
        async.write(ctx, ticket -> configs.patch(ctx.pathParam("alias"), patch, ifMatch, validate, AccessControl.principal(ctx).name(), ticket),
                config -> respond(ctx, 200, config));
    }

    private void handleDelete(RoutingContext ctx) {
        var ifMatch = RequestBodies.ifMatch(ctx);
        async.write(ctx, ticket -> configs.delete(ctx.pathParam("alias"), ifMatch, AccessControl.principal(ctx).name(), ticket),
                done -> ctx.response().setStatusCode(204).end());
    }

    private void handleHistory(RoutingContext ctx) {
        String alias = ctx.pathParam("alias");
        async.run(ctx, () -> CompletableFuture.completedFuture(configs.history(alias)), entries -> {
            List<Map<String, Object>> data = entries.stream().map(entry -> {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("version", entry.version());
                item.put("change", entry.change());
                item.put("updated_at", entry.updatedAt().toString());
                item.put("updated_by", entry.updatedBy());
                item.put("revision", entry.revision());
                entry.spec().ifPresent(spec -> item.put("config", spec));
                return item;
            }).toList();
            responses.json(ctx, 200, Map.of("alias", alias, "data", data));
        });
    }

    private void handleAction(RoutingContext ctx) {
        String action = ctx.pathParam("action");
        if (!"rollback".equals(action)) {
            throw new Problem.Invalid("unknown action \":" + action + "\"; the only action on a model configuration is \":rollback\"", Map.of());
        }
        JsonNode version = bodies.object(ctx, "a rollback", Set.of("version")).get("version");
        if (version == null || !version.canConvertToLong() || !version.isIntegralNumber() || version.asLong() < 1) {
            throw new Problem.Invalid("rollback needs {\"version\": N} with N a version number of at least 1",
                    Map.of("version", version == null ? "is required" : "must be a positive integer"));
        }
        boolean validate = RequestBodies.flag(ctx, "validate", true);
        var ifMatch = RequestBodies.ifMatch(ctx);
        async.write(ctx, ticket -> configs.rollback(ctx.pathParam("alias"), version.asLong(), ifMatch, validate,
                        AccessControl.principal(ctx).name(), ticket),
                config -> respond(ctx, 200, config));
    }

    private void respond(RoutingContext ctx, int status, ModelConfig config) {
        ctx.response().putHeader(HttpHeaders.ETAG, RequestBodies.etag(config.version()));
        responses.json(ctx, status, json().render(config));
    }
}
