package dev.switchboard.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.catalog.CatalogState;
import dev.switchboard.catalog.ModelLookup;
import dev.switchboard.catalog.RefreshCoordinator;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.provider.ProviderRegistry;
import dev.switchboard.store.Store;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The HTTP face of Switchboard: the route table, the revision header on every answer, and the hot
 * {@code GET /v1/models} path that skips the router.
 */
public final class ApiServer {
    public static final String REVISION_HEADER = "X-Switchboard-Revision";
    private static final int SERVER_INSTANCES = Math.max(1, Runtime.getRuntime().availableProcessors());

    private final Vertx vertx;
    private final SwitchboardConfig config;
    private final CatalogState state;
    private final Router router;
    private final ModelsRoutes models;
    private volatile String deployment;

    public ApiServer(Vertx vertx, SwitchboardConfig config, ObjectMapper mapper, CatalogState state, ProviderRegistry providers,
                     RefreshCoordinator coordinator, ModelLookup lookup, Store store, PrometheusMeterRegistry prometheus,
                     BooleanSupplier started, Clock clock) {
        this.vertx = vertx;
        this.config = config;
        this.state = state;
        Responses responses = new Responses(mapper);
        ModelsRenderer renderer = new ModelsRenderer(mapper, state);
        this.models = new ModelsRoutes(renderer, lookup, responses, prometheus);
        this.router = Router.router(vertx);
        router.route().handler(ctx -> {
            ctx.addHeadersEndHandler(v -> {
                if (!ctx.response().headers().contains(REVISION_HEADER)) {
                    ctx.response().putHeader(REVISION_HEADER, Long.toString(state.revision()));
                }
            });
            ctx.next();
        });
        router.route().method(HttpMethod.POST).method(HttpMethod.PUT).method(HttpMethod.PATCH)
                .handler(BodyHandler.create(false).setBodyLimit(config.server().maxBodyBytes()));
        models.register(router);
        new ProvidersRoutes(providers, state, coordinator, renderer, config.catalog(), clock, responses).register(router);
        new OpsRoutes(state, store, started, prometheus, responses).register(router);
        router.route().failureHandler(ctx -> responses.fail(ctx, ctx.failure()));
        router.route().last().handler(ctx -> ctx.fail(404));
    }

    /**
     * Listens with one HTTP server per core, each on its own event loop, all on the same port (Vert.x
     * hands the accepted connections to them in turn). One server created outside a verticle would
     * serve every connection from a single event loop, that is from one core. Completes with the port.
     */
    public Future<Integer> start() {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.server().host())
                // Vert.x shares one port between servers with the same port number; for "any free port"
                // that takes a negative number (port 0 would give each server a port of its own).
                .setPort(config.server().port() == 0 ? -1 : config.server().port())
                .setCompressionSupported(false)
                .setTcpNoDelay(true);
        AtomicInteger bound = new AtomicInteger();
        return vertx.deployVerticle(() -> new HttpVerticle(options, this::handle, bound),
                        new DeploymentOptions().setInstances(SERVER_INSTANCES))
                .map(id -> {
                    deployment = id;
                    return bound.get();
                });
    }

    private void handle(HttpServerRequest request) {
        if (request.method() == HttpMethod.GET && "/v1/models".equals(request.path()) && request.query() == null
                && models.serveUnfiltered(request)) {
            return;
        }
        router.handle(request);
    }

    public Future<Void> stop() {
        return deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment);
    }

    /** One HTTP server on the event loop of its deployment; closed when undeployed. */
    private static final class HttpVerticle extends VerticleBase {
        private final HttpServerOptions options;
        private final Handler<HttpServerRequest> handler;
        private final AtomicInteger bound;

        HttpVerticle(HttpServerOptions options, Handler<HttpServerRequest> handler, AtomicInteger bound) {
            this.options = options;
            this.handler = handler;
            this.bound = bound;
        }

        @Override
        public Future<?> start() {
            return vertx.createHttpServer(options).requestHandler(handler).listen()
                    .onSuccess(server -> bound.set(server.actualPort()));
        }
    }
}
