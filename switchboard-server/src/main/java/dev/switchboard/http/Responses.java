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
        if (ctx.response().ended()) return;
        try {
            byte[] bytes = mapper.writeValueAsBytes(body);
            ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON).end(Buffer.buffer(bytes));
        } catch (JsonProcessingException e) {
            fail(ctx, e);
        }
    }

    /** The failure handler of the router, and what async handlers call on error. */
    void fail(RoutingContext ctx, Throwable failure) {
        if (ctx.response().ended()) return;
        Throwable cause = unwrap(failure);
        switch (cause) {
            case Problem problem -> error(ctx, status(problem), problem.type(), problem.getMessage(), problem.details());
            case StoreUnavailableException store -> {
                ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
                error(ctx, 503, "store_unavailable", store.getMessage(), Map.of());
            }
            case StoreException.Conflict conflict -> error(ctx, 409, "conflict", conflict.getMessage(), Map.of());
            case StoreException.Busy busy -> {
                ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
                error(ctx, 503, "store_busy", busy.getMessage(), Map.of());
            }
            case StoreException.Failed failed -> {
                log.error("store error on {} {}", ctx.request().method(), ctx.request().path(), failed);
                error(ctx, 500, "store_error", failed.getMessage(), Map.of());
            }
            case CancellationException cancelled -> error(ctx, 503, "shutting_down", "the server is shutting down", Map.of());
            case null -> statusOnly(ctx);
            default -> {
                log.error("unhandled error on {} {}", ctx.request().method(), ctx.request().path(), cause);
                error(ctx, 500, "internal_error", "internal error; see the server log", Map.of());
            }
        }
    }

    /** Failures Vert.x raises by status alone (413 from the body limit, 404 and 405 from the router). */
    private void statusOnly(RoutingContext ctx) {
        int status = ctx.statusCode() < 0 ? 500 : ctx.statusCode();
        switch (status) {
            case 413 -> error(ctx, 413, "payload_too_large", "request body is over the size limit", Map.of());
            case 404 -> error(ctx, 404, "not_found", "no such endpoint: " + ctx.request().method() + " " + ctx.request().path(), Map.of());
            case 405 -> error(ctx, 405, "method_not_allowed", ctx.request().method() + " is not allowed on " + ctx.request().path(), Map.of());
            case 400 -> error(ctx, 400, "invalid_request", "malformed request", Map.of());
            default -> error(ctx, status, "error", "request failed with status " + status, Map.of());
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
        if (OpenAiErrors.appliesTo(ctx.normalizedPath())) {
            json(ctx, status, OpenAiErrors.body(status, type, message, details));
            return;
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", type);
        error.put("message", message);
        String path = ctx.request().path();
        if (path != null && path.startsWith(OPENAI_PATHS)) {
            // OpenAI's own error fields, which its official clients expose (e.code, e.param)
            error.put("param", param(details)); // a JSON null when none: the mapper drops plain nulls
            error.put("code", type);
        }
        if (!details.isEmpty()) error.put("details", details);
        json(ctx, status, Map.of("error", error));
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
