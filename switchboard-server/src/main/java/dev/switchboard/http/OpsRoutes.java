package dev.switchboard.http;

import dev.switchboard.events.ChangeBus;
import dev.switchboard.store.Store;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpHeaders;
import dev.switchboard.auth.Role;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Liveness, readiness and Prometheus metrics. */
final class OpsRoutes {
    /** A readiness probe hears back within this, whatever the store does (a probe that hangs is no answer). */
    private static final long READY_WITHIN_MILLIS = 900;
    private final ChangeBus bus;
    private final Store store;
    private final BooleanSupplier started;
    private final PrometheusMeterRegistry prometheus;
    private final Responses responses;

    OpsRoutes(ChangeBus bus, Store store, BooleanSupplier started, PrometheusMeterRegistry prometheus, Responses responses) {
        this.bus = bus;
        this.store = store;
        this.started = started;
        this.prometheus = prometheus;
        this.responses = responses;
    }

    void register(RouteTable routes) {
        routes.add(HttpMethod.GET, "/healthz", Role.PUBLIC, "Liveness", this::handleHealth);
        routes.add(HttpMethod.GET, "/readyz", Role.PUBLIC, "Readiness: started and the store answers", this::handleReady);
        routes.add(HttpMethod.GET, "/metrics", Role.READER, "Prometheus metrics", this::handleMetrics);
    }

    private void handleHealth(RoutingContext ctx) {
        responses.json(ctx, 200, Map.of("status", "ok"));
    }

    /**
     * Ready once started with the persisted catalog loaded and the store answering; upstreams do not count. A store
     * known down answers at once; otherwise the store gets less than a second to answer.
     */
    private void handleReady(RoutingContext ctx) {
        ctx.vertx().executeBlocking(store::isReachable, false).timeout(READY_WITHIN_MILLIS, TimeUnit.MILLISECONDS).onComplete(result -> {
            boolean storeOk = result.succeeded() && result.result();
            boolean ready = storeOk && started.getAsBoolean();
            responses.json(ctx, ready ? 200 : 503, Map.of(
                    "status", ready ? "ready" : "not_ready",
                    "store", storeOk ? "ok" : "unavailable",
                    "revision", bus.revision()));
        });
    }

    private void handleMetrics(RoutingContext ctx) {
        ctx.vertx().executeBlocking(prometheus::scrape, false).onComplete(result -> {
            if (result.failed()) {
                responses.fail(ctx, result.cause());
                return;
            }
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8").end(result.result());
        });
    }
}
