package dev.switchboard.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.auth.WriteRateLimiter;
import dev.switchboard.config.AuthConfig;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.nats.ModelsBody;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP face of Switchboard: the route table, the revision header on every answer, and the hot paths that
 * skip the router: {@code GET /v1/models} and the gateway's calls ({@link GatewayFastPath}).
 */
public final class ApiServer {
    public static final String REVISION_HEADER = "X-Switchboard-Revision";
    private static final int SERVER_INSTANCES = Math.max(1, Runtime.getRuntime().availableProcessors());

    /**
     * How long a stop (or closing Vert.x) waits for answers in flight. Shutdown fails the work they wait on
     * first, so they are being answered 503 already; this covers writing them, within shutdown's one second.
     */
    static final Duration SHUTDOWN_GRACE = Duration.ofMillis(400);

    /** Largest request header block; larger requests are refused by Vert.x with 431. */
    static final int MAX_HEADER_BYTES = 16 * 1024;

    private final Vertx vertx;
    private final SwitchboardConfig config;
    private final Router router;
    private final RouteTable routes;
    private final ModelsRoutes models;
    private final ModelsRenderer modelsRenderer;
    private final AccessControl access;
    private final CrossSiteGuard crossSite;
    private final InvalidRequests invalidRequests;
    private final HttpMetrics httpMetrics;
    private final GatewayFastPath gatewayFastPath;
    private volatile String deployment;
    private volatile boolean stopping;

    /** {@code modelsRenderer} renders the large {@code /v1/models} bodies, off the event loops and the writer. */
    public ApiServer(Vertx vertx, SwitchboardConfig config, ObjectMapper mapper, Features features, Executor modelsRenderer) {
        this.vertx = vertx;
        this.config = config;
        Responses responses = new Responses(mapper);
        RequestBodies bodies = new RequestBodies(mapper);
        Async async = new Async(responses, config.store().writeTimeout());
        this.access = new AccessControl(features.auth().mode() == AuthConfig.Mode.TOKEN, features.keys(), features.tokens(),
                new WriteRateLimiter(features.auth().writeRatePerMinute(), features.clock()), responses);
        ModelsRenderer renderer = new ModelsRenderer(mapper, features.catalog(), features.configs()::current, features.bus(), modelsRenderer,
                features.metadata());
        this.modelsRenderer = renderer;
        this.models = new ModelsRoutes(renderer, features.lookup(), features.configs()::current, responses, features.meters());
        this.router = Router.router(vertx);
        this.routes = new RouteTable(router, access, new MinRevision(features.bus(), config.store().writeTimeout(), responses));
        this.crossSite = new CrossSiteGuard(config.server(), routes, responses);
        this.invalidRequests = new InvalidRequests(mapper, HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH, MAX_HEADER_BYTES,
                features.bus()::revision);
        this.httpMetrics = new HttpMetrics(features.meters(), routes);
        router.route().handler(httpMetrics::begin);
        router.route().handler(ctx -> {
            ctx.addHeadersEndHandler(v -> {
                if (!ctx.response().headers().contains(REVISION_HEADER)) {
                    ctx.response().putHeader(REVISION_HEADER, Long.toString(features.bus().revision()));
                }
            });
            ctx.next();
        });
        router.route().handler(this::refuseWhileStopping);
        router.route().handler(crossSite);
        BodyHandler body = BodyHandler.create(false).setBodyLimit(config.server().maxBodyBytes());
        BodyHandler gatewayBody = BodyHandler.create(false).setBodyLimit(config.gateway().maxRequestBytes());
        router.route().method(HttpMethod.POST).method(HttpMethod.PUT).method(HttpMethod.PATCH)
                .handler(ctx -> (GatewayRoutes.isGatewayPath(ctx.normalizedPath()) ? gatewayBody : body).handle(ctx));
        models.register(routes);
        new ProvidersRoutes(features.providers(), features.catalog(), features.coordinator(), renderer, config.catalog(),
                features.clock(), responses, features.providerAdmin(), bodies, async).register(routes);
        new ModelConfigRoutes(features.configs(), features.bus(), responses, bodies, async).register(routes);
        new AuthRoutes(features.keys(), features.tokens(), access, responses, bodies, async).register(routes);
        new EventsRoutes(features.feed(), features.tokens(), features.heartbeat(), responses, features.clock()).register(routes);
        new OpsRoutes(features.bus(), features.store(), features.started(), features.meters(), responses).register(routes);
        GatewayRoutes gateway = new GatewayRoutes(features.gateway(), responses, bodies);
        gateway.register(routes);
        this.gatewayFastPath = new GatewayFastPath(crossSite, access, gateway, httpMetrics, config.gateway().maxRequestBytes(),
                features.bus()::revision);
        new NatsRoutes(features.nats(), responses).register(routes);
        new MetadataSourcesRoutes(features.metadataSources(), responses).register(routes);
        OpenApiRoute.register(routes, mapper, responses);
        new ConsoleRoutes(access.enabled()).register(routes);
        router.route().failureHandler(ctx -> responses.fail(ctx, ctx.failure()));
        router.route().last().handler(routes::handleUnmatched);
    }

    /** The {@code GET /v1/models} body as served now, and the revision it shows: for the NATS bridge's {@code models} subject. */
    public ModelsBody modelsBody() {
        ModelsDocument document = modelsRenderer.full();
        return new ModelsBody(document.revision(), document.json().getBytes());
    }

    Router router() {
        return router;
    }

    RouteTable routes() {
        return routes;
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
                .setTcpNoDelay(true)
                .setMaxHeaderSize(MAX_HEADER_BYTES)
                .setHttp2ClearTextEnabled(false); // HTTP/1.1 only: one set of limits, no h2c upgrade to reason about
        AtomicInteger bound = new AtomicInteger();
        return vertx.deployVerticle(() -> new HttpVerticle(options, this::handle, invalidRequests, bound),
                        new DeploymentOptions().setInstances(SERVER_INSTANCES))
                .map(id -> {
                    deployment = id;
                    return bound.get();
                });
    }

    private void handle(HttpServerRequest request) {
        long start = System.nanoTime();
        if (!stopping && request.method() == HttpMethod.GET && "/v1/models".equals(request.path())) {
            // a body already rendered (full, or a filter's at this revision), under the router's own checks
            ModelsDocument ready = models.cached(request);
            if (ready != null && crossSite.passesUntouched(request) && access.mayRead(request)) {
                models.serve(request, ready);
                httpMetrics.modelsAnswered(request.response().getStatusCode(), start);
                return;
            }
        }
        if (!stopping && gatewayFastPath.serve(request)) return;
        router.handle(request);
    }

    /**
     * From now on every request is answered {@code 503 shutting_down} (and its connection closed): shutdown
     * has begun, and what the request needs (the writer, a refresh, the feed) is stopping under it.
     */
    public void refuseNewRequests() {
        stopping = true;
    }

    private void refuseWhileStopping(RoutingContext ctx) {
        if (!stopping) {
            ctx.next();
            return;
        }
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        ctx.fail(new CancellationException("shutting down"));
    }

    public Future<Void> stop() {
        return deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment);
    }

    /** One HTTP server on the event loop of its deployment; closed when undeployed. */
    private static final class HttpVerticle extends VerticleBase {
        private final HttpServerOptions options;
        private final Handler<HttpServerRequest> handler;
        private final Handler<HttpServerRequest> invalid;
        private final AtomicInteger bound;
        private HttpServer server;

        HttpVerticle(HttpServerOptions options, Handler<HttpServerRequest> handler, Handler<HttpServerRequest> invalid,
                     AtomicInteger bound) {
            this.options = options;
            this.handler = handler;
            this.invalid = invalid;
            this.bound = bound;
        }

        @Override
        public Future<?> start() {
            server = vertx.createHttpServer(options).invalidRequestHandler(invalid).requestHandler(handler);
            return server.listen().onSuccess(listening -> bound.set(listening.actualPort()));
        }

        /**
         * Stops listening, lets the requests in flight be answered for up to {@link #SHUTDOWN_GRACE}, then closes
         * every connection. Undeploying (or closing Vert.x) would otherwise close them with their answers unsent.
         */
        @Override
        public Future<?> stop() {
            return server.shutdown(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
