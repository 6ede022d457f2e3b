package dev.switchboard.http;

import dev.switchboard.gateway.Operation;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code switchboard_http_server_requests_seconds{method, route, status}}: every answer, timed from the request to
 * the end of the answer, by the endpoint's template ({@code /api/v1/model-configs/{alias}}, never the raw path: ids
 * would make the series unbounded) and status. Requests that match no endpoint are {@code route="unmatched"}, and
 * methods outside the standard ones {@code method="other"}, for the same reason.
 *
 * <p>The hot {@code GET /v1/models} path records on timers made up front: no lookup, no allocation.
 */
final class HttpMetrics {
    static final String NAME = "switchboard.http.server.requests";
    static final String UNMATCHED = "unmatched";
    static final String MODELS = "/v1/models";
    private static final Set<HttpMethod> STANDARD = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT,
            HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.OPTIONS);
    /** Fixed buckets, for latency quantiles per route without a full percentile histogram per series. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private record Key(String method, String route, int status) {
    }

    private final MeterRegistry meters;
    private final RouteTable routes;
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();
    private final Timer modelsOk;
    private final Timer modelsNotModified;

    HttpMetrics(MeterRegistry meters, RouteTable routes) {
        this.meters = meters;
        this.routes = routes;
        this.modelsOk = timer("GET", MODELS, 200);
        this.modelsNotModified = timer("GET", MODELS, 304);
    }

    /** The hot path answered {@code GET /v1/models} (synchronously: its status is set). */
    void modelsAnswered(int status, long startNanos) {
        Timer timer = status == 200 ? modelsOk : status == 304 ? modelsNotModified : timer("GET", MODELS, status);
        timer.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    /** The gateway's fast path answered a call ({@link GatewayFastPath}): its answer ended. */
    void gatewayAnswered(Operation operation, int status, long startNanos) {
        timer("POST", operation.path(), status).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    /** The router's first handler: times the request until its answer ends (or its connection closes). */
    void begin(RoutingContext ctx) {
        long start = System.nanoTime();
        ctx.addEndHandler(ended -> {
            HttpMethod method = ctx.request().method();
            timer(STANDARD.contains(method) ? method.name() : "other", route(ctx, method), ctx.response().getStatusCode())
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        });
        ctx.next();
    }

    /**
     * The endpoint that took the request; else (refused before its route: cross-site, body too large, shutting
     * down) the endpoint its path and method name; else {@code unmatched}.
     */
    private String route(RoutingContext ctx, HttpMethod method) {
        RouteTable.Endpoint endpoint = ctx.get(RouteTable.ENDPOINT);
        if (endpoint != null) return endpoint.template();
        return routes.endpoint(method, ctx.normalizedPath()).map(RouteTable.Endpoint::template).orElse(UNMATCHED);
    }

    private Timer timer(String method, String route, int status) {
        return timers.computeIfAbsent(new Key(method, route, status), key -> Timer.builder(NAME)
                .description("HTTP answers by method, route template (unmatched: no endpoint) and status, "
                        + "from the request to the end of the answer")
                .tags("method", key.method(), "route", key.route(), "status", Integer.toString(key.status()))
                .serviceLevelObjectives(BUCKETS)
                .register(meters));
    }
}
