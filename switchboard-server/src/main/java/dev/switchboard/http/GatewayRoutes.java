package dev.switchboard.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.auth.Role;
import dev.switchboard.gateway.Gateway;
import dev.switchboard.gateway.Operation;
import dev.switchboard.gateway.Outcome;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;

/**
 * The OpenAI-compatible inference endpoints: parse the body, plan the upstreams by its {@code model}, hand the
 * request to the gateway, and answer its refusals in OpenAI's error shape ({@link OpenAiErrors}). No refused
 * request reaches an upstream. Everything here runs on the event loop: the plan is made from memory and the
 * forwarding is asynchronous.
 */
final class GatewayRoutes {
    private final Gateway gateway;
    private final Responses responses;
    private final RequestBodies bodies;

    GatewayRoutes(Gateway gateway, Responses responses, RequestBodies bodies) {
        this.gateway = gateway;
        this.responses = responses;
        this.bodies = bodies;
    }

    /** Whether {@code path} is one of the gateway's, whose bodies are capped by {@code [gateway] max_request_bytes}. */
    static boolean isGatewayPath(String path) {
        return OpenAiErrors.appliesTo(path);
    }

    void register(RouteTable routes) {
        routes.add(HttpMethod.POST, Operation.CHAT_COMPLETIONS.path(), Role.CALLER,
                "OpenAI chat completion through an alias or provider/model (streams with \"stream\": true)",
                ctx -> handle(ctx, Operation.CHAT_COMPLETIONS));
        routes.add(HttpMethod.POST, Operation.COMPLETIONS.path(), Role.CALLER, "OpenAI (legacy) completion through an alias or provider/model",
                ctx -> handle(ctx, Operation.COMPLETIONS));
        routes.add(HttpMethod.POST, Operation.EMBEDDINGS.path(), Role.CALLER, "OpenAI embeddings through an alias or provider/model",
                ctx -> handle(ctx, Operation.EMBEDDINGS));
        routes.add(HttpMethod.POST, Operation.RESPONSES.path(), Role.CALLER, "OpenAI Responses API through an alias or provider/model",
                ctx -> handle(ctx, Operation.RESPONSES));
    }

    /** A request body and what its model resolved to. */
    private record Planned(ObjectNode body, Gateway.Plan plan) {
    }

    private void handle(RoutingContext ctx, Operation operation) {
        parse(ctx)
                .compose(body -> Future.fromCompletionStage(gateway.plan(model(body), operation), ctx.vertx().getOrCreateContext())
                        .map(plan -> new Planned(body, plan)))
                .onSuccess(planned -> {
                    switch (planned.plan()) {
                        case Gateway.Plan.Ready ready -> gateway.forward(ready, planned.body(), ctx.request())
                                .onSuccess(outcome -> answer(ctx, outcome))
                                .onFailure(error -> responses.fail(ctx, error));
                        case Gateway.Plan.UnknownModel unknown -> refuse(ctx, 404, "model_not_found", unknown.message(), "model");
                        case Gateway.Plan.NoEndpoint none -> refuse(ctx, 400, "no_inference_endpoint", none.message(), "model");
                    }
                })
                .onFailure(error -> responses.fail(ctx, error));
    }

    /** Reading a large body would hold the event loop for milliseconds; it is read on a worker instead. */
    private Future<ObjectNode> parse(RoutingContext ctx) {
        if (ctx.body().length() <= Gateway.INLINE_JSON_BYTES) {
            try {
                return Future.succeededFuture(body(ctx));
            } catch (RuntimeException refused) {
                return Future.failedFuture(refused);
            }
        }
        return ctx.vertx().executeBlocking(() -> body(ctx), false);
    }

    private ObjectNode body(RoutingContext ctx) {
        JsonNode body;
        try {
            body = bodies.json(ctx);
        } catch (RuntimeException invalid) {
            gateway.rejected("invalid_request");
            throw invalid;
        }
        if (!(body instanceof ObjectNode object)) {
            gateway.rejected("invalid_request");
            throw new dev.switchboard.Problem.Invalid("the body must be a JSON object with a \"model\"", Map.of());
        }
        return object;
    }

    private String model(ObjectNode body) {
        JsonNode model = body.get("model");
        if (model == null || model.isNull()) {
            gateway.rejected("invalid_request");
            throw new dev.switchboard.Problem.Invalid("you must provide a model parameter: an alias or a catalog id"
                    + " (<provider>/<model>)", Map.of("model", "is required"));
        }
        if (!model.isTextual() || model.asText().isBlank()) {
            gateway.rejected("invalid_request");
            throw new dev.switchboard.Problem.Invalid("model must be a non-empty string: an alias or a catalog id"
                    + " (<provider>/<model>)", Map.of("model", "must be a non-empty string"));
        }
        return model.asText();
    }

    private void refuse(RoutingContext ctx, int status, String code, String message, String param) {
        gateway.rejected(code);
        responses.error(ctx, status, code, message, Map.of("fields", Map.of(param, message)));
    }

    /** What the gateway could not answer itself: every upstream failed before answering. */
    private void answer(RoutingContext ctx, Outcome outcome) {
        if (outcome instanceof Outcome.Exhausted exhausted) {
            ctx.response().putHeader("X-Switchboard-Target", exhausted.target())
                    .putHeader("X-Switchboard-Attempts", Integer.toString(exhausted.attempts()));
            responses.error(ctx, exhausted.status(), exhausted.code(), exhausted.message(), Map.of());
        }
    }
}
