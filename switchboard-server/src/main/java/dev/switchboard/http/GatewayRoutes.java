package dev.switchboard.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Problem;
import dev.switchboard.auth.Role;
import dev.switchboard.gateway.CallerBody;
import dev.switchboard.gateway.Gateway;
import dev.switchboard.gateway.Operation;
import dev.switchboard.gateway.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RequestBody;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The OpenAI-compatible inference endpoints: parse the body, plan the upstreams by its {@code model}, hand the
 * request to the gateway, and answer its refusals in OpenAI's error shape ({@link OpenAiErrors}). No refused
 * request reaches an upstream. Everything here runs on the event loop: the plan is made from memory and the
 * forwarding is asynchronous.
 *
 * <p>Requests come here through the router, or straight from the server's request handler once
 * {@link GatewayFastPath} has read their body: {@link #serve} answers both the same way.
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
                ctx -> serve(ctx.request(), buffer(ctx.body()), Operation.CHAT_COMPLETIONS));
        routes.add(HttpMethod.POST, Operation.COMPLETIONS.path(), Role.CALLER, "OpenAI (legacy) completion through an alias or provider/model",
                ctx -> serve(ctx.request(), buffer(ctx.body()), Operation.COMPLETIONS));
        routes.add(HttpMethod.POST, Operation.EMBEDDINGS.path(), Role.CALLER, "OpenAI embeddings through an alias or provider/model",
                ctx -> serve(ctx.request(), buffer(ctx.body()), Operation.EMBEDDINGS));
        routes.add(HttpMethod.POST, Operation.RESPONSES.path(), Role.CALLER, "OpenAI Responses API through an alias or provider/model",
                ctx -> serve(ctx.request(), buffer(ctx.body()), Operation.RESPONSES));
    }

    private static Buffer buffer(RequestBody body) {
        return body == null ? null : body.buffer();
    }

    /**
     * Answers a call whose whole body has been read and which passed the checks before its handler (host,
     * origin, content type, role, size). On the request's event loop.
     */
    void serve(HttpServerRequest request, Buffer body, Operation operation) {
        if (body == null || body.length() <= Gateway.INLINE_JSON_BYTES) {
            CallerBody parsed;
            try {
                parsed = parse(body);
            } catch (RuntimeException refused) {
                failed(request, operation, refused);
                return;
            }
            plan(request, parsed, operation);
            return;
        }
        // reading a large body would hold the event loop for milliseconds: it is read on a worker instead
        Vertx.currentContext().executeBlocking(() -> parse(body), false)
                .onSuccess(parsed -> plan(request, parsed, operation))
                .onFailure(error -> failed(request, operation, error));
    }

    private CallerBody parse(Buffer buffer) {
        CallerBody body;
        try {
            body = bodies.callerBody(buffer);
        } catch (RuntimeException invalid) {
            gateway.rejected("invalid_request");
            throw invalid;
        }
        if (body == null) {
            gateway.rejected("invalid_request");
            throw new Problem.Invalid("the body must be a JSON object with a \"model\"", Map.of());
        }
        return body;
    }

    /** Plans from memory, at once, unless a catalog id names a provider that must be fetched first. */
    private void plan(HttpServerRequest request, CallerBody body, Operation operation) {
        CompletableFuture<Gateway.Plan> plan;
        try {
            plan = gateway.plan(model(body), operation).toCompletableFuture();
        } catch (RuntimeException refused) {
            failed(request, operation, refused);
            return;
        }
        if (plan.isDone() && !plan.isCompletedExceptionally()) {
            dispatch(request, body, operation, plan.join());
            return;
        }
        Future.fromCompletionStage(plan, Vertx.currentContext())
                .onSuccess(ready -> dispatch(request, body, operation, ready))
                .onFailure(error -> failed(request, operation, error));
    }

    private void dispatch(HttpServerRequest request, CallerBody body, Operation operation, Gateway.Plan plan) {
        switch (plan) {
            case Gateway.Plan.Ready ready -> gateway.forward(ready, body, request)
                    .onSuccess(outcome -> answer(request, operation, outcome))
                    .onFailure(error -> failed(request, operation, error));
            case Gateway.Plan.UnknownModel unknown -> refuse(request, operation, 404, "model_not_found", unknown.message(), "model");
            case Gateway.Plan.NoEndpoint none -> refuse(request, operation, 400, "no_inference_endpoint", none.message(), "model");
        }
    }

    private String model(CallerBody body) {
        JsonNode model = body.model();
        if (model == null || model.isNull()) {
            gateway.rejected("invalid_request");
            throw new Problem.Invalid("you must provide a model parameter: an alias or a catalog id"
                    + " (<provider>/<model>)", Map.of("model", "is required"));
        }
        if (!model.isTextual() || model.asText().isBlank()) {
            gateway.rejected("invalid_request");
            throw new Problem.Invalid("model must be a non-empty string: an alias or a catalog id"
                    + " (<provider>/<model>)", Map.of("model", "must be a non-empty string"));
        }
        return model.asText();
    }

    private void refuse(HttpServerRequest request, Operation operation, int status, String code, String message, String param) {
        gateway.rejected(code);
        responses.error(request, operation.path(), -1, status, code, message, Map.of("fields", Map.of(param, message)));
    }

    /** Answers {@code error} as the route's failure would be answered. */
    void failed(HttpServerRequest request, Operation operation, Throwable error) {
        responses.fail(request, operation.path(), -1, error);
    }

    /** What the gateway could not answer itself: every upstream failed before answering. */
    private void answer(HttpServerRequest request, Operation operation, Outcome outcome) {
        if (outcome instanceof Outcome.Exhausted exhausted) {
            request.response().putHeader("X-Switchboard-Target", exhausted.target())
                    .putHeader("X-Switchboard-Attempts", Integer.toString(exhausted.attempts()));
            responses.error(request, operation.path(), -1, exhausted.status(), exhausted.code(), exhausted.message(), Map.of());
        }
    }
}
