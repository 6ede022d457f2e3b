package dev.switchboard.http;

import dev.switchboard.gateway.Operation;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The gateway's calls served straight from the server's request handler, as {@code GET /v1/models} is: the
 * router's chain (metrics, revision header, host and origin checks, body handler, role check) costs a third of a
 * proxied call. It takes only what that chain would pass on untouched — a {@code POST} to a gateway path
 * without a query, an accepted {@code Host}, no {@code Origin} (which would need CORS headers), a JSON body
 * with a {@code Content-Length} of at most {@code [gateway] max_request_bytes} and no {@code Expect}, and a
 * credential whose role may call — and leaves everything else to the router, which refuses it as ever (421,
 * 403, 415, 401, 413 …). What it takes is answered by {@link GatewayRoutes#serve}, exactly as the router's
 * route answers it, with the revision header and the request metrics the router's handlers would add.
 */
final class GatewayFastPath {
    private static final CharSequence REVISION = HttpHeaders.createOptimized(ApiServer.REVISION_HEADER);
    private static final Map<String, Operation> BY_PATH = Map.of(
            Operation.CHAT_COMPLETIONS.path(), Operation.CHAT_COMPLETIONS,
            Operation.COMPLETIONS.path(), Operation.COMPLETIONS,
            Operation.EMBEDDINGS.path(), Operation.EMBEDDINGS,
            Operation.RESPONSES.path(), Operation.RESPONSES);

    private final CrossSiteGuard crossSite;
    private final AccessControl access;
    private final GatewayRoutes gateway;
    private final HttpMetrics metrics;
    private final long maxRequestBytes;
    private final LongSupplier revision;

    GatewayFastPath(CrossSiteGuard crossSite, AccessControl access, GatewayRoutes gateway, HttpMetrics metrics, long maxRequestBytes,
                    LongSupplier revision) {
        this.crossSite = crossSite;
        this.access = access;
        this.gateway = gateway;
        this.metrics = metrics;
        this.maxRequestBytes = maxRequestBytes;
        this.revision = revision;
    }

    /** Takes {@code request} and answers it when it qualifies; false (nothing done, body unread) to leave it to the router. */
    boolean serve(HttpServerRequest request) {
        if (request.method() != HttpMethod.POST || request.query() != null) return false;
        Operation operation = BY_PATH.get(request.path());
        if (operation == null || !bodyFits(request) || !crossSite.passesUntouched(request) || !crossSite.acceptsBody(request)
                || !access.mayCall(request)) {
            return false;
        }
        long start = System.nanoTime();
        HttpServerResponse response = request.response();
        response.headersEndHandler(v -> {
            if (!response.headers().contains(REVISION)) response.putHeader(REVISION, Long.toString(revision.getAsLong()));
        });
        response.endHandler(v -> metrics.gatewayAnswered(operation, response.getStatusCode(), start));
        request.body()
                .onSuccess(body -> gateway.serve(request, body, operation))
                .onFailure(error -> gateway.failed(request, operation, error));
        return true;
    }

    /** A body of known length that the body handler would take whole; chunked bodies and {@code Expect} go to the router. */
    private boolean bodyFits(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null || request.headers().contains(HttpHeaders.EXPECT) || request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            return false;
        }
        try {
            long bytes = Long.parseLong(length.strip());
            return bytes > 0 && bytes <= maxRequestBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
