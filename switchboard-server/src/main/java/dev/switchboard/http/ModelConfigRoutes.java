package dev.switchboard.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Problem;
import dev.switchboard.configs.ConfigJson;
import dev.switchboard.configs.ModelConfig;
import dev.switchboard.configs.ModelConfigService;
import dev.switchboard.events.ChangeBus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** {@code /api/v1/model-configs…}: CRUD with versions ({@code ETag}/{@code If-Match}), history and rollback. */
final class ModelConfigRoutes {
    private static final String ALIAS = "(?<alias>[^/:]+)";

    private final ModelConfigService configs;
    private final ChangeBus bus;
    private final Responses responses;
    private final RequestBodies bodies;
    private final Async async;
    private final Function<RoutingContext, String> actor;

    ModelConfigRoutes(ModelConfigService configs, ChangeBus bus, Responses responses, RequestBodies bodies, Async async,
                      Function<RoutingContext, String> actor) {
        this.configs = configs;
        this.bus = bus;
        this.responses = responses;
        this.bodies = bodies;
        this.async = async;
        this.actor = actor;
    }

    void register(Router router) {
        router.get("/api/v1/model-configs").handler(this::handleList);
        router.post("/api/v1/model-configs").handler(this::handleCreate);
        router.postWithRegex("/api/v1/model-configs/" + ALIAS + ":(?<action>[^/]*)").handler(this::handleAction);
        router.getWithRegex("/api/v1/model-configs/" + ALIAS + "/history").handler(this::handleHistory);
        router.getWithRegex("/api/v1/model-configs/" + ALIAS).handler(this::handleGet);
        router.putWithRegex("/api/v1/model-configs/" + ALIAS).handler(this::handlePut);
        router.patchWithRegex("/api/v1/model-configs/" + ALIAS).handler(this::handlePatch);
        router.deleteWithRegex("/api/v1/model-configs/" + ALIAS).handler(this::handleDelete);
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
        async.run(ctx, () -> configs.create(body, validate, actor.apply(ctx)), config -> {
            ctx.response().putHeader(HttpHeaders.LOCATION, "/api/v1/model-configs/" + config.alias());
            respond(ctx, 201, config);
        });
    }

    private void handlePut(RoutingContext ctx) {
        JsonNode body = bodies.json(ctx);
        boolean validate = RequestBodies.flag(ctx, "validate", true);
        var ifMatch = RequestBodies.ifMatch(ctx);
        async.run(ctx, () -> configs.put(ctx.pathParam("alias"), body, ifMatch, validate, actor.apply(ctx)),
                written -> respond(ctx, written.created() ? 201 : 200, written.config()));
    }

    private void handlePatch(RoutingContext ctx) {
        JsonNode patch = bodies.json(ctx);
        boolean validate = RequestBodies.flag(ctx, "validate", true);
        var ifMatch = RequestBodies.ifMatch(ctx);
        async.run(ctx, () -> configs.patch(ctx.pathParam("alias"), patch, ifMatch, validate, actor.apply(ctx)),
                config -> respond(ctx, 200, config));
    }

    private void handleDelete(RoutingContext ctx) {
        var ifMatch = RequestBodies.ifMatch(ctx);
        async.run(ctx, () -> configs.delete(ctx.pathParam("alias"), ifMatch, actor.apply(ctx)),
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
        JsonNode body = bodies.json(ctx);
        JsonNode version = body.get("version");
        if (version == null || !version.canConvertToLong() || !version.isIntegralNumber() || version.asLong() < 1) {
            throw new Problem.Invalid("rollback needs {\"version\": N} with N a version number of at least 1",
                    Map.of("version", version == null ? "is required" : "must be a positive integer"));
        }
        boolean validate = RequestBodies.flag(ctx, "validate", true);
        var ifMatch = RequestBodies.ifMatch(ctx);
        async.run(ctx, () -> configs.rollback(ctx.pathParam("alias"), version.asLong(), ifMatch, validate, actor.apply(ctx)),
                config -> respond(ctx, 200, config));
    }

    private void respond(RoutingContext ctx, int status, ModelConfig config) {
        ctx.response().putHeader(HttpHeaders.ETAG, RequestBodies.etag(config.version()));
        responses.json(ctx, status, json().render(config));
    }
}
