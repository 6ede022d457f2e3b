package dev.switchboard.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Answers requests Vert.x could not decode — a request line or header block over its limit, a malformed
 * request — which never reach the router. Vert.x's own handler answers them with an empty body; this one
 * gives the same statuses the JSON error body of every other answer, then closes the connection as Vert.x
 * does (what follows on it cannot be trusted to start at a request boundary).
 */
final class InvalidRequests implements Handler<HttpServerRequest> {
    private final Buffer uriTooLong;
    private final Buffer headersTooLarge;
    private final Buffer malformed;
    private final LongSupplier revision;

    InvalidRequests(ObjectMapper mapper, int maxInitialLineBytes, int maxHeaderBytes, LongSupplier revision) {
        this.uriTooLong = body(mapper, "uri_too_long", "the request line is longer than " + maxInitialLineBytes + " bytes");
        this.headersTooLarge = body(mapper, "headers_too_large", "the request headers are larger than " + maxHeaderBytes / 1024 + " KB");
        this.malformed = body(mapper, "invalid_request", "malformed HTTP request");
        this.revision = revision;
    }

    @Override
    public void handle(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        int status;
        Buffer body;
        if (cause instanceof TooLongHttpLineException) {
            status = 414;
            body = uriTooLong;
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = 431;
            body = headersTooLarge;
        } else {
            status = 400;
            body = malformed;
        }
        request.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Responses.APPLICATION_JSON)
                .putHeader(ApiServer.REVISION_HEADER, Long.toString(revision.getAsLong()))
                .end(body.copy());
        request.connection().close();
    }

    private static Buffer body(ObjectMapper mapper, String type, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", type);
        error.put("message", message);
        try {
            return Buffer.buffer(mapper.writeValueAsBytes(Map.of("error", error)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
