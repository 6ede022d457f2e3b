package dev.switchboard.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.Problem;
import dev.switchboard.store.StoreException;
import dev.switchboard.store.StoreUnavailableException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/** Writes JSON answers and maps every failure to its status and error body, in one place. */
final class Responses {
    private static final Logger log = LoggerFactory.getLogger(Responses.class);
    static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
    /** The OpenAI-compatible endpoints, whose errors also carry OpenAI's {@code param} and {@code code}. */
    private static final String OPENAI_PATHS = "/v1/";

    private final ObjectMapper mapper;

    Responses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void json(RoutingContext ctx, int status, Object body) {
        json(ctx.request(), ctx.normalizedPath(), ctx.statusCode(), status, body);
    }

    /** For the paths that answer without the router (the gateway's): as {@link #json(RoutingContext, int, Object)}. */
    private void json(HttpServerRequest request, String path, int failedStatus, int status, Object body) {
        HttpServerResponse response = request.response();
        if (response.ended()) return;
        try {
            byte[] bytes = mapper.writeValueAsBytes(body);
            response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON).end(Buffer.buffer(bytes));
        } catch (JsonProcessingException e) {
            fail(request, path, failedStatus, e);
        }
    }

    /** The failure handler of the router, and what async handlers call on error. */
    void fail(RoutingContext ctx, Throwable failure) {
        fail(ctx.request(), ctx.normalizedPath(), ctx.statusCode(), failure);
    }

    /**
     * As {@link #fail(RoutingContext, Throwable)}, for a request answered without the router: {@code path} is its
     * normalised path, {@code failedStatus} the status Vert.x failed it with (-1 for none).
     */
    void fail(HttpServerRequest request, String path, int failedStatus, Throwable failure) {
        if (request.response().ended()) return;
        Throwable cause = unwrap(failure);
        switch (cause) {
            case Problem problem -> error(request, path, failedStatus, status(problem), problem.type(), problem.getMessage(), problem.details());
            case StoreUnavailableException store -> {
                request.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
                error(request, path, failedStatus, 503, "store_unavailable", store.getMessage(), Map.of());
            }
            case StoreException.Conflict conflict -> error(request, path, failedStatus, 409, "conflict", conflict.getMessage(), Map.of());
            case StoreException.Busy busy -> {
                request.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
                error(request, path, failedStatus, 503, "store_busy", busy.getMessage(), Map.of());
            }
            case StoreException.Failed failed -> {
                log.error("store error on {} {}", request.method(), request.path(), failed);
                error(request, path, failedStatus, 500, "store_error", failed.getMessage(), Map.of());
            }
            case CancellationException cancelled -> error(request, path, failedStatus, 503, "shutting_down", "the server is shutting down", Map.of());
            case null -> statusOnly(request, path, failedStatus);
            default -> {
                log.error("unhandled error on {} {}", request.method(), request.path(), cause);
                error(request, path, failedStatus, 500, "internal_error", "internal error; see the server log", Map.of());
            }
        }
    }

    /** Failures Vert.x raises by status alone (413 from the body limit, 404 and 405 from the router). */
    private void statusOnly(HttpServerRequest request, String path, int failedStatus) {
        int status = failedStatus < 0 ? 500 : failedStatus;
        switch (status) {
            case 413 -> error(request, path, failedStatus, 413, "payload_too_large", "request body is over the size limit", Map.of());
            case 404 -> error(request, path, failedStatus, 404, "not_found", "no such endpoint: " + request.method() + " " + request.path(), Map.of());
            case 405 -> error(request, path, failedStatus, 405, "method_not_allowed", request.method() + " is not allowed on " + request.path(), Map.of());
            case 400 -> error(request, path, failedStatus, 400, "invalid_request", "malformed request", Map.of());
            default -> error(request, path, failedStatus, status, "error", "request failed with status " + status, Map.of());
        }
    }

    private static int status(Problem problem) {
        return switch (problem) {
            case Problem.Invalid invalid -> 400;
            case Problem.NotFound notFound -> 404;
            case Problem.Conflict conflict -> 409;
            case Problem.PreconditionFailed stale -> 412;
            case Problem.Unprocessable unprocessable -> 422;
        };
    }

    void error(RoutingContext ctx, int status, String type, String message, Map<String, Object> details) {
        error(ctx.request(), ctx.normalizedPath(), ctx.statusCode(), status, type, message, details);
    }

    /** As {@link #error(RoutingContext, int, String, String, Map)}, for a request answered without the router. */
    void error(HttpServerRequest request, String path, int failedStatus, int status, String type, String message,
               Map<String, Object> details) {
        if (OpenAiErrors.appliesTo(path)) {
            json(request, path, failedStatus, status, OpenAiErrors.body(status, type, message, details));
            return;
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", type);
        error.put("message", message);
        String rawPath = request.path();
        if (rawPath != null && rawPath.startsWith(OPENAI_PATHS)) {
            // OpenAI's own error fields, which its official clients expose (e.code, e.param)
            error.put("param", param(details)); // a JSON null when none: the mapper drops plain nulls
            error.put("code", type);
        }
        if (!details.isEmpty()) error.put("details", details);
        json(request, path, failedStatus, status, Map.of("error", error));
    }

    /** The one field an error names, as OpenAI's {@code param}; null when it names none or several. */
    private static JsonNode param(Map<String, Object> details) {
        return details.get("fields") instanceof Map<?, ?> fields && fields.size() == 1
                ? TextNode.valueOf(String.valueOf(fields.keySet().iterator().next())) : NullNode.getInstance();
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) cause = cause.getCause();
        return cause;
    }
}
